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
    %   hologram / interferogram.
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
                         'h5dtype', 'float32', 'qpretrieve_kw', []);
            given = struct();
            if mod(numel(varargin), 2) ~= 0
                error('qpgo:badArgument', 'QPImage: options must be name/value pairs');
            end
            for k = 1:2:numel(varargin)
                name = varargin{k};
                if ~ischar(name) || ~isfield(opt, lower(name))
                    error('qpgo:badArgument', ...
                          'QPImage: unknown option %s (which_data bg_data meta_data h5file h5mode proc_phase h5dtype qpretrieve_kw)', ...
                          qpgo.QPImage.describe(name));
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
                obj.id = qpgo_mex('qpi_open', qpgo.QPImage.textArg(opt.h5file, 'h5file'), ...
                                  qpgo.QPImage.textArg(opt.h5mode, 'h5mode'));
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
            o{end+1} = ['"proc_phase":' qpgo.QPImage.jsonValue(logical(opt.proc_phase))];
            o{end+1} = ['"h5dtype":' qpgo.QPImage.jsonValue(qpgo.QPImage.textArg(opt.h5dtype, 'h5dtype'))];
            if ~isempty(opt.meta_data)
                o{end+1} = ['"meta_data":' qpgo.QPImage.metaJson(opt.meta_data)];
            end
            if ~isempty(opt.h5file)
                o{end+1} = ['"h5file":' qpgo.QPImage.jsonValue(qpgo.QPImage.textArg(opt.h5file, 'h5file'))];
                o{end+1} = ['"h5mode":' qpgo.QPImage.jsonValue(qpgo.QPImage.textArg(opt.h5mode, 'h5mode'))];
            elseif isfield(given, 'h5mode')
                error('qpgo:badArgument', 'QPImage: h5mode needs h5file');
            end
            if ~isempty(opt.qpretrieve_kw) || isstruct(opt.qpretrieve_kw)
                o{end+1} = ['"qpretrieve_kw":' qpgo.QPImage.optionsJson(opt.qpretrieve_kw, 'qpretrieve_kw')];
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
            key = qpgo.QPImage.textArg(key, 'key');
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
            v = qpgo_mex('qpi_get_bg', obj.id, qpgo.QPImage.textArg(image, 'image'), ...
                         qpgo.QPImage.textArg(key, 'key'));
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
            warnings = qpgo_mex('qpi_clear_bg', obj.id, which, qpgo.QPImage.textArg(keys, 'keys'));
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
                parts{end+1} = [qpgo.QPImage.jsonValue(lower(name)) ':' qpgo.QPImage.jsonValue(v)]; %#ok<AGROW>
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
            o = qpgo.QPImage.nameValue(varargin, {'kernel', 'padding', 'h5file', 'h5mode'}, 'refocus');
            r = qpgo.QPImage.fromHandle(qpgo_mex('qpi_refocus', obj.id, double(distance), ...
                                                 qpgo.QPImage.optionsJson(o, 'refocus')));
        end

        function check(obj, checks)
            %CHECK integrity check (upstream integrity_check.check): checks
            %   'attributes', 'background' or both (default). A failed check
            %   raises qpgo:integrity with upstream's message.
            if nargin < 2, checks = ''; end
            if iscellstr(checks), checks = strjoin(checks, ','); end
            qpgo_mex('qpi_check', obj.id, qpgo.QPImage.textArg(checks, 'checks'));
        end
    end

    methods (Static)
        function checkFile(path, checks)
            %CHECKFILE open path read-only and run the integrity checks.
            if nargin < 2, checks = ''; end
            if iscellstr(checks), checks = strjoin(checks, ','); end
            qpgo_mex('qpi_check_file', qpgo.QPImage.textArg(path, 'path'), ...
                     qpgo.QPImage.textArg(checks, 'checks'));
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

        function o = nameValue(args, allowed, where)
            % name/value pairs (or one struct) -> struct of the given
            % options (lower-case names); unknown names: qpgo:badArgument.
            o = struct();
            if numel(args) == 1 && isstruct(args{1})
                f = fieldnames(args{1});
                args = reshape([f'; struct2cell(args{1})'], 1, []);
            end
            if mod(numel(args), 2) ~= 0
                error('qpgo:badArgument', '%s: options must be name/value pairs', where);
            end
            for k = 1:2:numel(args)
                name = args{k};
                if isa(name, 'string'), name = char(name); end
                if ~ischar(name) || ~any(strcmpi(name, allowed))
                    error('qpgo:badArgument', '%s: unknown option %s (valid: %s)', where, ...
                          qpgo.QPImage.describe(name), strjoin(allowed, ' '));
                end
                o.(lower(name)) = args{k + 1};
            end
        end

        function s = optionsJson(v, where)
            % options (struct, containers.Map or cell {name, value, ...};
            % names kept verbatim) -> JSON object. Integer-valued doubles
            % become JSON integers (options such as padding, border_px).
            if nargin < 2, where = 'options'; end
            if isempty(v) && ~isstruct(v) && ~isa(v, 'containers.Map')
                s = '{}';
                return;
            end
            if isa(v, 'containers.Map')
                keys = v.keys();
                vals = v.values();
            elseif isstruct(v) && isscalar(v)
                keys = fieldnames(v);
                vals = struct2cell(v);
            elseif iscell(v) && mod(numel(v), 2) == 0 && iscellstr(v(1:2:end))
                keys = v(1:2:end);
                vals = v(2:2:end);
            else
                error('qpgo:badArgument', ...
                      '%s must be a struct, a containers.Map or a cell {name, value, ...}, got %s', where, class(v));
            end
            parts = cell(1, numel(keys));
            for k = 1:numel(keys)
                parts{k} = [qpgo.QPImage.jsonString(keys{k}) ':' qpgo.QPImage.anyJson(vals{k}, false)];
            end
            s = ['{' strjoin(parts, ',') '}'];
        end

        function s = anyJson(v, floatDoubles)
            % Any MATLAB value -> JSON. floatDoubles: doubles always carry
            % '.0' (stored as float64); otherwise integer-valued doubles
            % are written as integers. Matrices become nested row lists;
            % structs/Maps objects (keys verbatim); cells lists; [] null.
            if isa(v, 'string') && isscalar(v), v = char(v); end
            if ischar(v) && (isrow(v) || isempty(v))
                s = qpgo.QPImage.jsonString(v);
            elseif isstruct(v) || isa(v, 'containers.Map')
                if isstruct(v) && ~isscalar(v)
                    error('qpgo:badArgument', 'struct arrays cannot be encoded');
                end
                if isa(v, 'containers.Map'), keys = v.keys(); vals = v.values();
                else, keys = fieldnames(v); vals = struct2cell(v); end
                parts = cell(1, numel(keys));
                for k = 1:numel(keys)
                    parts{k} = [qpgo.QPImage.jsonString(keys{k}) ':' qpgo.QPImage.anyJson(vals{k}, floatDoubles)];
                end
                s = ['{' strjoin(parts, ',') '}'];
            elseif iscell(v)
                parts = cellfun(@(x) qpgo.QPImage.anyJson(x, floatDoubles), v(:)', 'UniformOutput', false);
                s = ['[' strjoin(parts, ',') ']'];
            elseif (isnumeric(v) || islogical(v)) && isempty(v)
                s = 'null';
            elseif isnumeric(v) || islogical(v)
                if ~isreal(v)
                    error('qpgo:badArgument', 'complex values cannot be encoded');
                end
                if isscalar(v)
                    s = qpgo.QPImage.scalarJson(v, floatDoubles);
                elseif isvector(v)
                    parts = arrayfun(@(x) qpgo.QPImage.scalarJson(x, floatDoubles), v(:)', 'UniformOutput', false);
                    s = ['[' strjoin(parts, ',') ']'];
                else
                    % first dimension outermost (row lists of a matrix)
                    sz = size(v);
                    parts = cell(1, sz(1));
                    for k = 1:sz(1)
                        sub = reshape(v(k, :), [sz(2:end) 1]);
                        if numel(sz) == 2, sub = reshape(sub, 1, []); end
                        parts{k} = qpgo.QPImage.anyJson(sub, floatDoubles);
                    end
                    s = ['[' strjoin(parts, ',') ']'];
                end
            else
                error('qpgo:badArgument', 'cannot encode a value of class %s', class(v));
            end
        end

        function t = scalarJson(x, floatDoubles)
            if islogical(x)
                if x, t = 'true'; else, t = 'false'; end
            elseif isinteger(x)
                t = sprintf('%d', x);
            else
                x = double(x);
                if ~isfinite(x)
                    error('qpgo:badArgument', 'NaN/Inf cannot be encoded as JSON');
                end
                if ~floatDoubles && x == round(x) && abs(x) < 2^53
                    t = sprintf('%d', x);
                    return;
                end
                for p = 15:17
                    t = sprintf('%.*g', p, x);
                    if str2double(t) == x, break; end
                end
                if ~any(t == '.' | t == 'e' | t == 'E')
                    t = [t '.0'];
                end
            end
        end

        function s = textArg(v, name)
            if isa(v, 'string') && isscalar(v)
                v = char(v);
            end
            if ~ischar(v) || (~isempty(v) && ~isrow(v))
                error('qpgo:badArgument', '%s must be text (char row), got %s', name, class(v));
            end
            s = v;
        end

        function s = describe(v)
            if ischar(v), s = ['''' v '''']; else, s = ['of class ' class(v)]; end
        end

        function w = whichString(which)
            if iscellstr(which)
                which = strjoin(which, ',');
            end
            w = qpgo.QPImage.textArg(which, 'which_data');
        end

        function [d, dims] = dataArg(data, which, name)
            % Converts data to the double array and C dims of qpi_new.
            two = any(strcmp(which, {'phase,amplitude', 'phase,intensity'}));
            if two && iscell(data)
                if numel(data) ~= 2
                    error('qpgo:badArgument', '%s for which_data ''%s'' must be {phase, %s}', ...
                          name, which, which(7:end));
                end
                a = qpgo.QPImage.numArg(data{1}, name);
                b = qpgo.QPImage.numArg(data{2}, name);
                if ~isequal(size(a), size(b)) || ndims(a) ~= 2
                    error('qpgo:badArgument', '%s: both arrays must be 2-D of the same size', name);
                end
                data = cat(3, a, b);
            else
                data = qpgo.QPImage.numArg(data, name);
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

        function d = numArg(x, name)
            if ~isnumeric(x) || isa(x, 'string')
                error('qpgo:badArgument', '%s must be a numeric array, got %s', name, class(x));
            end
            if issparse(x)
                x = full(x);
            end
            d = double(x);
        end

        function s = metaJson(m)
            % meta data (struct, containers.Map, cell {key, value, ...}) -> JSON object
            if isa(m, 'containers.Map')
                keys = m.keys();
                vals = m.values();
            elseif isstruct(m) && isscalar(m)
                f = fieldnames(m);
                keys = strrep(f, '_', ' ');
                vals = cellfun(@(k) m.(k), f, 'UniformOutput', false);
            elseif iscell(m) && mod(numel(m), 2) == 0
                keys = m(1:2:end);
                vals = m(2:2:end);
                if ~iscellstr(keys)
                    error('qpgo:badArgument', 'meta_data cell must be {''key'', value, ...}');
                end
            else
                error('qpgo:badArgument', ...
                      'meta_data must be a struct, a containers.Map or a cell {key, value, ...}, got %s', class(m));
            end
            parts = cell(1, numel(keys));
            for k = 1:numel(keys)
                parts{k} = [qpgo.QPImage.jsonValue(keys{k}) ':' qpgo.QPImage.jsonValue(vals{k})];
            end
            s = ['{' strjoin(parts, ',') '}'];
        end

        function s = jsonValue(v)
            % Encodes v as JSON: double -> float (always with '.' or 'e'),
            % integer classes -> integers, logical -> bool, char -> string,
            % vectors -> arrays, struct/containers.Map -> objects.
            if isa(v, 'string') && isscalar(v)
                v = char(v);
            end
            if ischar(v)
                s = qpgo.QPImage.jsonString(v);
            elseif isstruct(v) || isa(v, 'containers.Map')
                s = qpgo.QPImage.metaJson(v);
            elseif iscell(v)
                parts = cellfun(@qpgo.QPImage.jsonValue, v, 'UniformOutput', false);
                s = ['[' strjoin(parts(:)', ',') ']'];
            elseif islogical(v) || isnumeric(v)
                if ~isreal(v)
                    error('qpgo:badArgument', 'complex values cannot be stored as meta data');
                end
                if isempty(v) || (~isvector(v))
                    error('qpgo:badArgument', 'values must be scalars or vectors, got size %s', mat2str(size(v)));
                end
                parts = cell(1, numel(v));
                for k = 1:numel(v)
                    x = v(k);
                    if islogical(x)
                        if x, parts{k} = 'true'; else, parts{k} = 'false'; end
                    elseif isinteger(x)
                        parts{k} = sprintf('%d', x);
                    else
                        x = double(x);
                        if ~isfinite(x)
                            error('qpgo:badArgument', 'NaN/Inf cannot be passed here (use setMeta for a scalar)');
                        end
                        for p = 15:17
                            t = sprintf('%.*g', p, x);
                            if str2double(t) == x, break; end
                        end
                        if ~any(t == '.' | t == 'e' | t == 'E')
                            t = [t '.0'];
                        end
                        parts{k} = t;
                    end
                end
                if isscalar(v)
                    s = parts{1};
                else
                    s = ['[' strjoin(parts, ',') ']'];
                end
            else
                error('qpgo:badArgument', 'cannot encode a value of class %s', class(v));
            end
        end

        function s = jsonString(v)
            s = strrep(v, '\', '\\');
            s = strrep(s, '"', '\"');
            s = strrep(s, sprintf('\n'), '\n');
            s = strrep(s, sprintf('\r'), '\r');
            s = strrep(s, sprintf('\t'), '\t');
            ctl = find(double(s) < 32);
            for k = numel(ctl):-1:1
                s = [s(1:ctl(k)-1) sprintf('\\u%04x', double(s(ctl(k)))) s(ctl(k)+1:end)];
            end
            s = ['"' s '"'];
        end

        function keys = jsonKeys(json)
            % Top-level keys of a flat typed-meta JSON object, in order
            % (jsondecode mangles keys with spaces into field names).
            tok = regexp(json, '(?:^\{|\}\,)"((?:[^"\\]|\\.)*)":\{', 'tokens');
            keys = cellfun(@(t) qpgo.QPImage.unescape(t{1}), tok, 'UniformOutput', false);
        end

        function s = unescape(s)
            if any(s == '\')
                s = jsondecode(['"' s '"']);
            end
        end

        function v = typedValue(s)
            % {"value": v, "type": t} -> MATLAB value of that type.
            t = s.type;
            v = s.value;
            base = regexprep(t, '\[\d+\]$', '');
            isarr = ~strcmp(base, t);
            switch base
                case {'float64', 'float32'}
                    v = qpgo.QPImage.floats(v);
                case 'int64'
                    v = int64(v);
                case 'uint64'
                    v = uint64(v);
                case 'bool'
                    v = logical(v);
                case {'str', 'bytes'}
                    if isarr && ~iscell(v), v = cellstr(v); end
                otherwise
                    % unknown type: leave as decoded
            end
            if isarr
                v = reshape(v, 1, []);
            end
        end

        function x = floats(v)
            if ischar(v)
                v = {v};
            end
            if iscell(v)
                x = zeros(size(v));
                for k = 1:numel(v)
                    e = v{k};
                    if ischar(e)
                        switch e
                            case 'nan', e = NaN;
                            case 'inf', e = Inf;
                            case '-inf', e = -Inf;
                            otherwise, e = str2double(e);
                        end
                    end
                    x(k) = e;
                end
            else
                x = double(v);
            end
        end
    end
end
