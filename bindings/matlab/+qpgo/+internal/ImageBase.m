classdef ImageBase < qpgo.internal.HandleBase
    %IMAGEBASE (internal) what qpgo.QPImage and qpgo.FLImage share: meta
    %   data, info, char/disp, copy, isequal, shape and dtype, each the
    %   gateway command of the image's family ('qpi_...' / 'fli_...').

    properties (SetAccess = protected, Hidden)
        parent = [];       % series a member view belongs to (kept alive)
    end

    properties (Dependent)
        shape      % [rows cols]
        dtype      % storage type: 'float32' or 'float64'
    end

    methods
        function obj = ImageBase(prefix)
            obj = obj@qpgo.internal.HandleBase(prefix);
        end

        function close(obj)
            %CLOSE release the image and close its file (idempotent).
            close@qpgo.internal.HandleBase(obj);
        end

        function v = get.shape(obj), v = qpgo_mex(obj.cmd('shape'), obj.id); end
        function v = get.dtype(obj), v = qpgo_mex(obj.cmd('dtype'), obj.id); end

        function v = meta(obj, key)
            %META value of one meta data key; without key a containers.Map
            %   of all keys. Unknown key: qpgo:unknownKey; valid but not
            %   set: qpgo:metaDataMissing.
            if nargin < 2
                v = containers.Map('KeyType', 'char', 'ValueType', 'any');
                keys = qpgo.internal.jsonKeys(qpgo_mex(obj.cmd('meta_json'), obj.id));
                for k = 1:numel(keys)
                    v(keys{k}) = obj.meta(keys{k});
                end
                return;
            end
            v = qpgo.internal.typedJson( ...
                qpgo_mex(obj.cmd('meta_json'), obj.id, qpgo.internal.textArg(key, 'key')));
        end

        function [t, json] = metaType(obj, key)
            %METATYPE storage type of a meta value ('float64', 'int64', 'str', ...).
            json = qpgo_mex(obj.cmd('meta_json'), obj.id, qpgo.internal.textArg(key, 'key'));
            s = jsondecode(json);
            t = s.type;
        end

        function tf = hasMeta(obj, key)
            tf = qpgo_mex(obj.cmd('has_meta'), obj.id, qpgo.internal.textArg(key, 'key'));
        end

        function setMeta(obj, key, value)
            %SETMETA set one meta value (double -> float64, intXX -> int64, char -> str).
            key = qpgo.internal.textArg(key, 'key');
            qpgo_mex(obj.cmd('set_meta'), obj.id, ['{' qpgo.internal.jsonValue(key) ':' ...
                                                   qpgo.internal.jsonValue(value) '}']);
        end

        function c = info(obj)
            %INFO N x 3 cell {name, value, type} as upstream QPImage.info / FLImage.info.
            c = qpgo.internal.infoCell(qpgo_mex(obj.cmd('info'), obj.id));
        end

        function s = char(obj)
            s = qpgo_mex(obj.cmd('repr'), obj.id);
        end

        function disp(obj)
            if obj.id == 0
                fprintf('  %s (empty)\n', class(obj));
            elseif obj.closed
                fprintf('  %s (closed)\n', class(obj));
            else
                fprintf('  %s\n', char(obj));
            end
        end

        function c = copy(obj, path)
            %COPY copy in memory (no path) or to a new file at path.
            if nargin < 2
                path = '';
            end
            c = qpgo.internal.ImageBase.wrap(class(obj), ...
                    qpgo_mex(obj.cmd('copy'), obj.id, qpgo.internal.textArg(path, 'path')));
        end

        function tf = isequal(obj, other)
            %ISEQUAL upstream __eq__ (QPImage: shape, allclose pha/amp, data meta).
            if ~isa(other, class(obj))
                tf = false;
                return;
            end
            tf = qpgo_mex(obj.cmd('equal'), obj.id, other.id);
        end
    end

    methods (Static, Hidden)
        function obj = wrap(cls, h, parent)
            % a new object of class cls around the library handle h;
            % parent (a series) is kept referenced so that it outlives
            % the view.
            obj = feval(cls);
            obj.id = h;
            if nargin > 2
                obj.parent = parent;
            end
        end
    end
end
