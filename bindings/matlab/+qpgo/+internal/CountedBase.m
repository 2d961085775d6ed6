classdef CountedBase < qpgo.internal.HandleBase
    %COUNTEDBASE (internal) a handle whose numel/length is the library's
    %   [prefix '_len'] (series of images or frames).

    methods
        function obj = CountedBase(prefix)
            obj = obj@qpgo.internal.HandleBase(prefix);
        end

        function n = numel(obj, varargin)
            n = qpgo_mex(obj.cmd('len'), obj.id);
        end

        function n = length(obj)
            n = numel(obj);
        end
    end
end
