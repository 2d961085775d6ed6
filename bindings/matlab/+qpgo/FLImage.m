classdef FLImage < qpgo.internal.ImageBase
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

    properties (Dependent)
        fl         % background-corrected fluorescence
        raw_fl     % stored fluorescence
        bg_fl      % combined background
    end

    methods
        function obj = FLImage(data, varargin)
            obj = obj@qpgo.internal.ImageBase('fli');
            if nargin == 0
                return;
            end
            o = qpgo.internal.nameValue(varargin, {'bg_data', 'meta_data', 'h5file', 'h5mode', 'h5dtype'}, 'FLImage');
            parts = {};
            if isfield(o, 'h5dtype')
                parts{end+1} = ['"h5dtype":' qpgo.internal.jsonString(qpgo.internal.textArg(o.h5dtype, 'h5dtype'))];
            end
            if isfield(o, 'meta_data') && ~isempty(o.meta_data)
                parts{end+1} = ['"meta_data":' qpgo.internal.metaJson(o.meta_data)];
            end
            if isfield(o, 'h5file') && ~isempty(o.h5file)
                parts{end+1} = ['"h5file":' qpgo.internal.jsonString(qpgo.internal.textArg(o.h5file, 'h5file'))];
                if isfield(o, 'h5mode')
                    parts{end+1} = ['"h5mode":' qpgo.internal.jsonString(qpgo.internal.textArg(o.h5mode, 'h5mode'))];
                end
            elseif isfield(o, 'h5mode')
                error('qpgo:badArgument', 'FLImage: h5mode needs h5file');
            end
            bg = [];
            if isfield(o, 'bg_data') && ~isempty(o.bg_data)
                bg = qpgo.internal.numArg(o.bg_data, 'bg_data');
            end
            if isempty(data)
                d = [];
            else
                d = qpgo.internal.numArg(data, 'data');
            end
            obj.id = qpgo_mex('fli_new', d, bg, ['{' strjoin(parts, ',') '}']);
        end

        function v = get.fl(obj),     v = qpgo_mex('fli_get', obj.id, 'fl'); end
        function v = get.raw_fl(obj), v = qpgo_mex('fli_get', obj.id, 'raw_fl'); end
        function v = get.bg_fl(obj),  v = qpgo_mex('fli_get', obj.id, 'bg_fl'); end

        function setBgData(obj, data)
            %SETBGDATA set the "data" background: an array (broadcastable to
            %   the image), another qpgo.FLImage (its fl) or [] (remove).
            if isa(data, 'qpgo.FLImage')
                qpgo_mex('fli_set_bg_data', obj.id, data.id);
            elseif isempty(data)
                qpgo_mex('fli_set_bg_data', obj.id, []);
            else
                qpgo_mex('fli_set_bg_data', obj.id, qpgo.internal.numArg(data, 'bg_data'));
            end
        end
    end

    methods (Static)
        function obj = open(path, varargin)
            %OPEN open an FLImage HDF5 file; mode 'r' (default), 'r+', 'a'.
            obj = qpgo.FLImage.fromHandle(qpgo.internal.HandleBase.openHandle('fli', path, varargin{:}));
        end
    end

    methods (Static, Hidden)
        function obj = fromHandle(h, varargin)
            obj = qpgo.internal.ImageBase.wrap('qpgo.FLImage', h, varargin{:});
        end
    end
end
