classdef QPImage < qpgo.internal.ImageBase
    %QPIMAGE Quantitative phase image (qpimage.QPImage) backed by libqpgo.
    %
    %   qpi = qpgo.QPImage(data, 'which_data', 'phase', 'bg_data', [], ...
    %                      'meta_data', struct('wavelength', 550e-9), ...
    %                      'h5file', path, 'h5mode', 'a', ...
    %                      'proc_phase', true, 'h5dtype', 'float32')
    %   qpi = qpgo.QPImage.open(path, mode)       % mode 'r' (default), 'r+', 'a', ...
    %   qpi = qpgo.QPImage([], 'h5file', path, 'h5mode', 'r')   % same as open
    %
    %   Arrays keep MATLAB orientation: qpi.pha(i, j) is data(i, j).
    %   which_data 'phase', 'field' (complex data), 'phase,amplitude' and
    %   'phase,intensity' (data = {pha, amp} or an M x N x 2 array),
    %   'raw-oah'/'hologram'/'raw-qlsi' (M x N or M x N x 3); options of
    %   the retrieval in 'qpretrieve_kw' as a struct, a containers.Map or a
    %   cell {name, value, ...} with qpretrieve's names (filter_name,
    %   filter_size, filter_size_interpretation, sideband_freq [fx fy],
    %   invert_phase, padding, subtract_mean, scale_to_filter; raw-qlsi:
    %   wavelength, qlsi_pitch_term, ...); 'bg_data' is then the reference
    %   hologram / interferogram. 'holo_kw' (deprecated upstream alias:
    %   sideband, zero_pad, filter_name, ...) is mapped as qpimage maps it.
    %
    %   q2 = qpi.refocus(distance, 'kernel', 'helmholtz', 'padding', true,
    %                    'h5file', path, 'h5mode', 'a')   % new QPImage
    %   meta_data: a struct (field 'pixel_size' means key 'pixel size'),
    %   a containers.Map or a cell {'pixel size', 1e-7, ...}. Doubles are
    %   stored as float64, integer classes (int64(0)) as int64, char as
    %   text, logical as bool.
    %
    %   Errors carry the identifiers qpgo:badArgument, qpgo:unknownKey,
    %   qpgo:notFound, qpgo:metaDataMissing, qpgo:io, qpgo:integrity,
    %   qpgo:cancelled, qpgo:badHandle, qpgo:unsupported, qpgo:buffer,
    %   qpgo:internal.

    properties (Dependent)
        pha        % background-corrected phase [rad]
        amp        % background-corrected amplitude
        field      % complex field amp .* exp(1i*pha)
        bg_pha     % phase background
        bg_amp     % amplitude background
        raw_pha    % stored phase
        raw_amp    % stored amplitude
    end

    methods
        function obj = QPImage(data, varargin)
            obj = obj@qpgo.internal.ImageBase('qpi');
            if nargin == 0
                return; % empty object (used by open/copy)
            end
            opt = struct('which_data', 'phase', 'bg_data', [], 'meta_data', [], ...
                         'h5file', '', 'h5mode', 'a', 'proc_phase', true, ...
                         'h5dtype', 'float32', 'qpretrieve_kw', [], 'holo_kw', []);
            given = struct();
            if mod(numel(varargin), 2) ~= 0
                error('qpgo:badArgument', 'QPImage: options must be name/value pairs');
            end
            for k = 1:2:numel(varargin)
                name = varargin{k};
                if ~ischar(name) || ~isfield(opt, lower(name))
                    error('qpgo:badArgument', ...
                          'QPImage: unknown option %s (which_data bg_data meta_data h5file h5mode proc_phase h5dtype qpretrieve_kw holo_kw)', ...
                          qpgo.internal.describe(name));
                end
                opt.(lower(name)) = varargin{k + 1};
                given.(lower(name)) = true;
            end
            which = qpgo.QPImage.whichString(opt.which_data);
            if isempty(data) && ~iscell(data) && ~isnumeric(data) && ~islogical(data)
                error('qpgo:badArgument', 'QPImage: data must be numeric, got %s', class(data));
            end
            if isempty(data) && ~iscell(data)
                % no data: open an existing file (upstream QPImage(h5file=...))
                if isempty(opt.h5file)
                    error('qpgo:badArgument', 'QPImage: data is empty and no h5file is given');
                end
                obj.id = qpgo_mex('qpi_open', qpgo.internal.textArg(opt.h5file, 'h5file'), ...
                                  qpgo.internal.textArg(opt.h5mode, 'h5mode'));
                return;
            end
            [d, dims] = qpgo.QPImage.dataArg(data, which, 'data');
            bg = [];
            if ~isempty(opt.bg_data)
                [bg, bgdims] = qpgo.QPImage.dataArg(opt.bg_data, which, 'bg_data');
                if ~isequal(bgdims, dims)
                    error('qpgo:badArgument', 'QPImage: bg_data must have the size of data');
                end
            end
            o = {};
            if ~islogical(opt.proc_phase) && ~isnumeric(opt.proc_phase) || numel(opt.proc_phase) ~= 1
                error('qpgo:badArgument', 'QPImage: proc_phase must be a logical scalar');
            end
            o{end+1} = ['"proc_phase":' qpgo.internal.jsonValue(logical(opt.proc_phase))];
            o{end+1} = ['"h5dtype":' qpgo.internal.jsonValue(qpgo.internal.textArg(opt.h5dtype, 'h5dtype'))];
            if ~isempty(opt.meta_data)
                o{end+1} = ['"meta_data":' qpgo.internal.metaJson(opt.meta_data)];
            end
            if ~isempty(opt.h5file)
                o{end+1} = ['"h5file":' qpgo.internal.jsonValue(qpgo.internal.textArg(opt.h5file, 'h5file'))];
                o{end+1} = ['"h5mode":' qpgo.internal.jsonValue(qpgo.internal.textArg(opt.h5mode, 'h5mode'))];
            elseif isfield(given, 'h5mode')
                error('qpgo:badArgument', 'QPImage: h5mode needs h5file');
            end
            if ~isempty(opt.qpretrieve_kw) || isstruct(opt.qpretrieve_kw)
                o{end+1} = ['"qpretrieve_kw":' qpgo.internal.optionsJson(opt.qpretrieve_kw, 'qpretrieve_kw')];
            end
            if ~isempty(opt.holo_kw) || isstruct(opt.holo_kw)
                % deprecated upstream alias (sideband, zero_pad, ...): the
                % library maps it as qpimage does
                o{end+1} = ['"holo_kw":' qpgo.internal.optionsJson(opt.holo_kw, 'holo_kw')];
            end
            opts = ['{' strjoin(o, ',') '}'];
            obj.id = qpgo_mex('qpi_new', which, d, bg, opts, dims);
        end

        function v = get.pha(obj),     v = qpgo_mex('qpi_get', obj.id, 'pha'); end
        function v = get.amp(obj),     v = qpgo_mex('qpi_get', obj.id, 'amp'); end
        function v = get.field(obj),   v = qpgo_mex('qpi_get', obj.id, 'field'); end
        function v = get.bg_pha(obj),  v = qpgo_mex('qpi_get', obj.id, 'bg_pha'); end
        function v = get.bg_amp(obj),  v = qpgo_mex('qpi_get', obj.id, 'bg_amp'); end
        function v = get.raw_pha(obj), v = qpgo_mex('qpi_get', obj.id, 'raw_pha'); end
        function v = get.raw_amp(obj), v = qpgo_mex('qpi_get', obj.id, 'raw_amp'); end

        function setMeta(obj, key, value)
            %SETMETA set one meta value (double -> float64, intXX -> int64,
            %   char -> str, logical -> bool, vectors -> arrays).
            key = qpgo.internal.textArg(key, 'key');
            if isa(value, 'double') && isreal(value) && isscalar(value)
                qpgo_mex('qpi_set_meta_double', obj.id, key, value);
            elseif ischar(value) && (isrow(value) || isempty(value))
                qpgo_mex('qpi_set_meta_string', obj.id, key, value);
            else
                setMeta@qpgo.internal.ImageBase(obj, key, value);
            end
        end

        function v = getBg(obj, image, key)
            %GETBG stored background: image 'phase'|'amplitude', key 'data'|'fit'.
            v = qpgo_mex('qpi_get_bg', obj.id, qpgo.internal.textArg(image, 'image'), ...
                         qpgo.internal.textArg(key, 'key'));
        end

        function setBgData(obj, data, which_data, proc_phase)
            %SETBGDATA set the "data" background ([] removes it).
            if nargin < 3, which_data = 'phase'; end
            if nargin < 4, proc_phase = true; end
            which = qpgo.QPImage.whichString(which_data);
            if isempty(data)
                qpgo_mex('qpi_set_bg_data', obj.id, which, [], double(logical(proc_phase)));
                return;
            end
            [d, dims] = qpgo.QPImage.dataArg(data, which, 'bg_data');
            qpgo_mex('qpi_set_bg_data', obj.id, which, d, double(logical(proc_phase)), dims);
        end

        function warnings = clearBg(obj, which_data, keys)
            %CLEARBG clear backgrounds: which_data 'phase,amplitude' (default),
            %   keys 'fit' (default), 'data' or 'data,fit' (or a cellstr).
            if nargin < 2, which_data = {'phase', 'amplitude'}; end
            if nargin < 3, keys = 'fit'; end
            which = qpgo.QPImage.whichString(which_data);
            if iscellstr(keys), keys = strjoin(keys, ','); end
            warnings = qpgo_mex('qpi_clear_bg', obj.id, which, qpgo.internal.textArg(keys, 'keys'));
        end

        function mask = computeBg(obj, varargin)
            %COMPUTEBG estimate the "fit" background (upstream compute_bg).
            %   mask = qpi.computeBg('which_data', 'phase', 'fit_offset', 'mean',
            %       'fit_profile', 'tilt', 'border_m', 0, 'border_perc', 0,
            %       'border_px', 0, 'from_mask', [])
            %   Returns the mask used (logical, image size).
            if mod(numel(varargin), 2) ~= 0
                error('qpgo:badArgument', 'computeBg: options must be name/value pairs');
            end
            parts = {};
            fromMask = [];
            for k = 1:2:numel(varargin)
                name = varargin{k};
                if ~ischar(name)
                    error('qpgo:badArgument', 'computeBg: option names must be text');
                end
                v = varargin{k + 1};
                if strcmpi(name, 'from_mask')
                    fromMask = v;
                    continue;
                end
                if strcmpi(name, 'which_data')
                    v = qpgo.QPImage.whichString(v);
                elseif isnumeric(v) && isscalar(v) && any(strcmpi(name, {'border_px'})) && v == round(v)
                    v = int64(v);   % border_px is an integer option
                end
                parts{end+1} = [qpgo.internal.jsonValue(lower(name)) ':' qpgo.internal.jsonValue(v)]; %#ok<AGROW>
            end
            mask = qpgo_mex('qpi_compute_bg', obj.id, ['{' strjoin(parts, ',') '}'], fromMask);
        end

        function r = refocus(obj, distance, varargin)
            %REFOCUS propagate by distance [m]; returns a new qpgo.QPImage
            %   (upstream QPImage.refocus). Options: 'kernel' ('helmholtz' |
            %   'fresnel'), 'padding' (true), 'h5file' (in memory if absent),
            %   'h5mode' ('a'). Needs wavelength, pixel size, medium index.
            if nargin < 2 || ~isnumeric(distance) || ~isscalar(distance) || ~isreal(distance)
                error('qpgo:badArgument', 'refocus: distance must be a real scalar [m]');
            end
            o = qpgo.internal.nameValue(varargin, {'kernel', 'padding', 'h5file', 'h5mode'}, 'refocus');
            r = qpgo.QPImage.fromHandle(qpgo_mex('qpi_refocus', obj.id, double(distance), ...
                                                 qpgo.internal.optionsJson(o, 'refocus')));
        end

        function check(obj, checks)
            %CHECK integrity check (upstream integrity_check.check): checks
            %   'attributes', 'background' or both (default). A failed check
            %   raises qpgo:integrity with upstream's message.
            if nargin < 2, checks = ''; end
            if iscellstr(checks), checks = strjoin(checks, ','); end
            qpgo_mex('qpi_check', obj.id, qpgo.internal.textArg(checks, 'checks'));
        end
    end

    methods (Static)
        function checkFile(path, checks)
            %CHECKFILE open path read-only and run the integrity checks.
            if nargin < 2, checks = ''; end
            if iscellstr(checks), checks = strjoin(checks, ','); end
            qpgo_mex('qpi_check_file', qpgo.internal.textArg(path, 'path'), ...
                     qpgo.internal.textArg(checks, 'checks'));
        end

        function obj = open(path, varargin)
            %OPEN open a qpimage HDF5 file; mode 'r' (default), 'r+', 'a', 'w', 'w-', 'x'.
            obj = qpgo.QPImage.fromHandle(qpgo.internal.HandleBase.openHandle('qpi', path, varargin{:}));
        end
    end

    methods (Static, Hidden)
        function obj = fromHandle(h, varargin)
            % wraps a library handle (e.g. a series member view); parent
            % is kept referenced so that the series outlives the view.
            obj = qpgo.internal.ImageBase.wrap('qpgo.QPImage', h, varargin{:});
        end


        function w = whichString(which)
            if iscellstr(which)
                which = strjoin(which, ',');
            end
            w = qpgo.internal.textArg(which, 'which_data');
        end

        function [d, dims] = dataArg(data, which, name)
            % Converts data to the double array and C dims of qpi_new.
            two = any(strcmp(which, {'phase,amplitude', 'phase,intensity'}));
            if two && iscell(data)
                if numel(data) ~= 2
                    error('qpgo:badArgument', '%s for which_data ''%s'' must be {phase, %s}', ...
                          name, which, which(7:end));
                end
                a = qpgo.internal.numArg(data{1}, name);
                b = qpgo.internal.numArg(data{2}, name);
                if ~isequal(size(a), size(b)) || ndims(a) ~= 2
                    error('qpgo:badArgument', '%s: both arrays must be 2-D of the same size', name);
                end
                data = cat(3, a, b);
            else
                data = qpgo.internal.numArg(data, name);
            end
            if two
                if ndims(data) ~= 3 || size(data, 3) ~= 2
                    error('qpgo:badArgument', ...
                          '%s for which_data ''%s'' must be {pha, amp} or an M x N x 2 array', name, which);
                end
                % MATLAB M x N x 2 -> C [2, M, N]
                dims = [2, size(data, 1), size(data, 2)];
                d = permute(data, [3 1 2]);
            else
                d = data;
                dims = size(data);
            end
        end
    end
end
