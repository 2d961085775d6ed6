classdef FLImage < handle
    %FLIMAGE fluorescence image (flimage.FLImage) backed by libqpgo.
    %
    %   fli = qpgo.FLImage(data, 'bg_data', bg, 'meta_data', struct('time', 1.5), ...
    %                      'h5file', path, 'h5mode', 'a', 'h5dtype', 'float32')
    %   fli = qpgo.FLImage.open(path, mode)       % mode 'r' (default), 'r+', 'a'
    %   fli = qpgo.FLImage([], 'h5file', path)    % open the image stored there
    %
    %   Properties fl (raw_fl - bg_fl), raw_fl, bg_fl, shape, dtype.
    %   Methods meta, metaType, hasMeta, setMeta, info, char, disp, copy,
    %   close, isequal, setBgData. Arrays keep MATLAB orientation; meta
    %   data as for qpgo.QPImage (struct field 'pixel_size' = key 'pixel size').

    properties (SetAccess = private, Hidden)
        id = int64(0);
        closed = false;
        parent = [];       % series a member view belongs to (kept alive)
    end

    properties (Dependent)
        fl         % background-corrected fluorescence
        raw_fl     % stored fluorescence
        bg_fl      % combined background
        shape      % [rows cols]
        dtype      % storage type: 'float32' or 'float64'
    end

    methods
        function obj = FLImage(data, varargin)
            if nargin == 0
                return;
            end
            o = qpgo.QPImage.nameValue(varargin, {'bg_data', 'meta_data', 'h5file', 'h5mode', 'h5dtype'}, 'FLImage');
            parts = {};
            if isfield(o, 'h5dtype')
                parts{end+1} = ['"h5dtype":' qpgo.QPImage.jsonString(qpgo.QPImage.textArg(o.h5dtype, 'h5dtype'))];
            end
            if isfield(o, 'meta_data') && ~isempty(o.meta_data)
                parts{end+1} = ['"meta_data":' qpgo.QPImage.metaJson(o.meta_data)];
            end
            if isfield(o, 'h5file') && ~isempty(o.h5file)
                parts{end+1} = ['"h5file":' qpgo.QPImage.jsonString(qpgo.QPImage.textArg(o.h5file, 'h5file'))];
                if isfield(o, 'h5mode')
                    parts{end+1} = ['"h5mode":' qpgo.QPImage.jsonString(qpgo.QPImage.textArg(o.h5mode, 'h5mode'))];
                end
            elseif isfield(o, 'h5mode')
                error('qpgo:badArgument', 'FLImage: h5mode needs h5file');
            end
            bg = [];
            if isfield(o, 'bg_data') && ~isempty(o.bg_data)
                bg = qpgo.QPImage.numArg(o.bg_data, 'bg_data');
            end
            if isempty(data)
                d = [];
            else
                d = qpgo.QPImage.numArg(data, 'data');
            end
            obj.id = qpgo_mex('fli_new', d, bg, ['{' strjoin(parts, ',') '}']);
        end

        function delete(obj)
            if obj.id ~= 0 && ~obj.closed
                obj.closed = true;
                try
                    qpgo_mex('fli_close', obj.id);
                catch
                end
            end
        end

        function close(obj)
            %CLOSE release the image and close its file (idempotent).
            if obj.id ~= 0 && ~obj.closed
                obj.closed = true;
                qpgo_mex('fli_close', obj.id);
            end
        end

        function v = get.fl(obj),     v = qpgo_mex('fli_get', obj.id, 'fl'); end
        function v = get.raw_fl(obj), v = qpgo_mex('fli_get', obj.id, 'raw_fl'); end
        function v = get.bg_fl(obj),  v = qpgo_mex('fli_get', obj.id, 'bg_fl'); end
        function v = get.shape(obj),  v = qpgo_mex('fli_shape', obj.id); end
        function v = get.dtype(obj),  v = qpgo_mex('fli_dtype', obj.id); end

        function v = meta(obj, key)
            %META one meta value, or (no key) a containers.Map of all.
            if nargin < 2
                v = containers.Map('KeyType', 'char', 'ValueType', 'any');
                keys = qpgo.QPImage.jsonKeys(qpgo_mex('fli_meta_json', obj.id));
                for k = 1:numel(keys)
                    v(keys{k}) = obj.meta(keys{k});
                end
                return;
            end
            v = qpgo.QPImage.typedValue(jsondecode( ...
                qpgo_mex('fli_meta_json', obj.id, qpgo.QPImage.textArg(key, 'key'))));
        end

        function t = metaType(obj, key)
            s = jsondecode(qpgo_mex('fli_meta_json', obj.id, qpgo.QPImage.textArg(key, 'key')));
            t = s.type;
        end

        function tf = hasMeta(obj, key)
            tf = qpgo_mex('fli_has_meta', obj.id, qpgo.QPImage.textArg(key, 'key'));
        end

        function setMeta(obj, key, value)
            %SETMETA set one meta value (double -> float64, intXX -> int64, char -> str).
            key = qpgo.QPImage.textArg(key, 'key');
            qpgo_mex('fli_set_meta', obj.id, ['{' qpgo.QPImage.jsonValue(key) ':' ...
                                              qpgo.QPImage.jsonValue(value) '}']);
        end

        function c = info(obj)
            %INFO N x 3 cell {name, value, type} as upstream FLImage.info.
            c = qpgo.FLImage.infoCell(qpgo_mex('fli_info', obj.id));
        end

        function s = char(obj)
            s = qpgo_mex('fli_repr', obj.id);
        end

        function disp(obj)
            if obj.id == 0
                fprintf('  qpgo.FLImage (empty)\n');
            elseif obj.closed
                fprintf('  qpgo.FLImage (closed)\n');
            else
                fprintf('  %s\n', char(obj));
            end
        end

        function c = copy(obj, path)
            %COPY copy in memory (no path) or to a new file at path.
            if nargin < 2, path = ''; end
            c = qpgo.FLImage.fromHandle(qpgo_mex('fli_copy', obj.id, qpgo.QPImage.textArg(path, 'path')));
        end

        function tf = isequal(obj, other)
            if ~isa(other, 'qpgo.FLImage')
                tf = false;
                return;
            end
            tf = qpgo_mex('fli_equal', obj.id, other.id);
        end

        function setBgData(obj, data)
            %SETBGDATA set the "data" background: an array (broadcastable to
            %   the image), another qpgo.FLImage (its fl) or [] (remove).
            if isa(data, 'qpgo.FLImage')
                qpgo_mex('fli_set_bg_data', obj.id, data.id);
            elseif isempty(data)
                qpgo_mex('fli_set_bg_data', obj.id, []);
            else
                qpgo_mex('fli_set_bg_data', obj.id, qpgo.QPImage.numArg(data, 'bg_data'));
            end
        end
    end

    methods (Static)
        function obj = open(path, mode)
            %OPEN open an FLImage HDF5 file; mode 'r' (default), 'r+', 'a'.
            if nargin < 2, mode = 'r'; end
            obj = qpgo.FLImage.fromHandle(qpgo_mex('fli_open', qpgo.QPImage.textArg(path, 'path'), ...
                                                   qpgo.QPImage.textArg(mode, 'mode')));
        end
    end

    methods (Static, Hidden)
        function obj = fromHandle(h, parent)
            obj = qpgo.FLImage();
            obj.id = h;
            if nargin > 1
                obj.parent = parent;
            end
        end

        function c = infoCell(json)
            rows = jsondecode(json);
            if isempty(rows)
                c = cell(0, 3);
                return;
            end
            if ~iscell(rows)
                rows = num2cell(rows, 2);
            end
            c = cell(numel(rows), 3);
            for k = 1:numel(rows)
                r = rows{k};
                if ~iscell(r), r = num2cell(r); end
                c{k, 1} = r{1};
                c{k, 3} = r{3};
                c{k, 2} = qpgo.QPImage.typedValue(struct('value', r{2}, 'type', r{3}));
            end
        end
    end
end
