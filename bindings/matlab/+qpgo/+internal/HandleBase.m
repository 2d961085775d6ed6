classdef HandleBase < handle
    %HANDLEBASE (internal) a libqpgo handle of one command family.
    %   Holds the handle id and the family prefix of its gateway commands
    %   ('qpi', 'fli', 'qps', 'fls', 'ims'): qpgo_mex([prefix '_close'], id).
    %   Base of qpgo.QPImage, qpgo.FLImage, qpgo.QPSeries, qpgo.FLSeries and
    %   qpgo.ImageSeries; not meant to be used directly.

    properties (SetAccess = protected, Hidden)
        id = int64(0);     % library handle (int64); 0: none
        closed = false;
        prefix = '';       % gateway command family ('qpi', 'fli', ...)
    end

    methods
        function obj = HandleBase(prefix)
            if nargin > 0
                obj.prefix = prefix;
            end
        end

        function delete(obj)
            if obj.id ~= 0 && ~obj.closed
                obj.closed = true;
                try
                    qpgo_mex(obj.cmd('close'), obj.id);
                catch
                end
            end
        end

        function close(obj)
            %CLOSE release the handle and close its file (idempotent).
            if obj.id ~= 0 && ~obj.closed
                obj.closed = true;
                qpgo_mex(obj.cmd('close'), obj.id);
            end
        end
    end

    methods (Hidden)
        function c = cmd(obj, name)
            % gateway command name of this family: [prefix '_' name]
            c = [obj.prefix '_' name];
        end
    end

    methods (Static, Hidden)
        function h = openHandle(prefix, path, mode)
            % handle of [prefix '_open'] on path with mode ('r' by default)
            if nargin < 3, mode = 'r'; end
            h = qpgo_mex([prefix '_open'], qpgo.internal.textArg(path, 'path'), ...
                         qpgo.internal.textArg(mode, 'mode'));
        end
    end
end
