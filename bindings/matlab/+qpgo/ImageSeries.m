classdef ImageSeries < qpgo.internal.CountedBase
    %IMAGESERIES hexrd image series (hexrd.imageseries) backed by libqpgo.
    %
    %   ims = qpgo.ImageSeries.open(filename, format, 'path', 'imageseries', ...)
    %       format 'hdf5' (options path, dataname), 'frame-cache' (style
    %       'npz'|'fch5'|'yml', path, max_workers), 'image-files',
    %       'raw-image'. Options as name/value pairs or one struct.
    %   ims = qpgo.ImageSeries.fromArray(data, meta)
    %       data: rows x cols (one frame) or rows x cols x nframes of any
    %       real numeric class (kept: uint16 stays uint16); meta: struct or
    %       containers.Map (doubles -> float64, integer classes -> int64,
    %       matrices -> arrays, char -> str, logical -> bool, struct -> dict).
    %
    %   numel(ims) = length(ims) = number of frames
    %   f = ims.frame(k)          frame k (1-BASED), in the series' class
    %   ims.shape ([rows cols]), ims.dtype ('uint16', 'float32', ...)
    %   m = ims.metadata          struct of decoded values (ndarray ->
    %                             array of its dtype, 1-D as a row; |S/<U ->
    %                             char/cellstr); ims.metadataJson (typed JSON)
    %   p = ims.process(oplist, frame_list)   new (lazy) ImageSeries
    %       oplist: n x 2 cell {'dark', img; 'flip', 'h'; 'rectangle',
    %       [r1 r2; c1 c2]; 'add', x; 'gauss_laplace', sigma;
    %       'add-row', k; 'add-column', k}. Indices are 1-based and
    %       inclusive here: rectangle [r1 r2; c1 c2] keeps rows r1..r2 and
    %       columns c1..c2 (hexrd's 0-based half-open [[r1-1, r2], [c1-1, c2]]);
    %       add-row/add-column k and frame_list entries are 1-based.
    %       Arrays for 'dark'/'add' keep their class (numpy promotion as
    %       upstream). Flip codes act on MATLAB's rows/columns as on hexrd's.
    %   s = ims.stats(which, 'nframes', n, 'percentile', p)
    %       which: max, min (series class), sum (double), average, median,
    %       percentile (single); nframes 0 (default) = all frames.
    %   ims.write(fname, format, options...)   format 'hdf5' (path, gzip,
    %       shuffle, chunk_rows, compression) or 'frame-cache' (threshold,
    %       style, cache_file, max_workers, path).
    %   Omega (hexrd OmegaImageSeries, from the 'omega' metadata, (nframes, 2)):
    %   ims.nwedges, w = ims.wedge(i) (1-based; struct ostart ostop nsteps
    %   delta first_frame, first_frame 1-based), ow = ims.omegawedges (struct
    %   nframes nwedges wedges omegas), [f, w] = ims.omegaToFrame(om) (1-based,
    %   0 0 when no frame), f = ims.omegarangeToFrames(omin, omax) ([] when
    %   not resolvable).
    %   ims.close() (a processed series must be closed before its base)

    properties (SetAccess = private, Hidden)
        deps = {};          % series this one reads from (kept alive)
    end

    properties (Dependent)
        shape      % [rows cols] of one frame
        dtype      % element type name ('uint16', 'float32', ...)
        metadata   % decoded metadata (struct)
    end

    methods
        function obj = ImageSeries(h, deps)
            obj = obj@qpgo.internal.CountedBase('ims');
            if nargin == 0
                return;
            end
            if ~isa(h, 'int64')
                error('qpgo:badArgument', ...
                      'use qpgo.ImageSeries.open(filename, format, ...) or qpgo.ImageSeries.fromArray(data, meta)');
            end
            obj.id = h;
            if nargin > 1
                obj.deps = deps;
            end
        end

        function f = frame(obj, k)
            %FRAME frame k (1-based) as rows x cols of the series' class.
            f = qpgo_mex('ims_frame', obj.id, qpgo.internal.SeriesBase.index0(k, 'frame index'));
        end

        function v = get.shape(obj), v = qpgo_mex('ims_shape', obj.id); end
        function v = get.dtype(obj), v = qpgo_mex('ims_dtype', obj.id); end

        function v = get.metadata(obj)
            s = jsondecode(qpgo_mex('ims_metadata_json', obj.id));
            v = qpgo.internal.decodeDict(s);
            % numeric arrays: their bytes, not their JSON (exact floats)
            keys = jsondecode(qpgo_mex('ims_metadata_keys_json', obj.id));
            if ~iscell(keys), keys = num2cell(keys); end
            f = fieldnames(v);
            if numel(f) ~= numel(keys), return; end
            for k = 1:numel(keys)
                e = keys{k};
                if ~strcmp(e.kind, 'array'), continue; end
                a = qpgo_mex('ims_metadata_array', obj.id, e.name);
                nd = numel(e.shape);
                if nd > 1
                    a = permute(a, nd:-1:1);
                elseif nd == 1
                    a = reshape(a, 1, []);
                end
                v.(f{k}) = a;
            end
        end

        function j = metadataJson(obj)
            %METADATAJSON metadata as typed JSON text (keys unchanged).
            j = qpgo_mex('ims_metadata_json', obj.id);
        end

        function p = process(obj, oplist, frame_list)
            %PROCESS hexrd ProcessedImageSeries (see the class help).
            if nargin < 2 || isempty(oplist)
                oplist = cell(0, 2);
            end
            if ~iscell(oplist) || size(oplist, 2) ~= 2
                error('qpgo:badArgument', 'process: oplist must be an n x 2 cell {name, arg; ...}');
            end
            deps = {obj};
            parts = cell(1, size(oplist, 1));
            for k = 1:size(oplist, 1)
                name = qpgo.internal.textArg(oplist{k, 1}, 'operation name');
                arg = oplist{k, 2};
                switch name
                    case {'dark', 'add'}
                        if isa(arg, 'qpgo.ImageSeries')
                            deps{end+1} = arg; %#ok<AGROW>
                            a = sprintf('{"frame_of":%d,"index":0}', arg.id);
                        elseif isnumeric(arg) && ~isscalar(arg)
                            src = qpgo.ImageSeries.fromArray(arg);
                            deps{end+1} = src; %#ok<AGROW>
                            a = sprintf('{"frame_of":%d,"index":0}', src.id);
                        elseif isnumeric(arg) && isscalar(arg) && strcmp(name, 'add')
                            a = qpgo.internal.scalarJson(double(arg), true);
                        else
                            error('qpgo:badArgument', 'process: %s needs an array', name);
                        end
                    case 'rectangle'
                        if ~isnumeric(arg) || ~isequal(size(arg), [2 2])
                            error('qpgo:badArgument', 'process: rectangle needs [r1 r2; c1 c2] (1-based, inclusive)');
                        end
                        r = double(arg);
                        a = sprintf('[[%d,%d],[%d,%d]]', r(1, 1) - 1, r(1, 2), r(2, 1) - 1, r(2, 2));
                    case {'add-row', 'add-column'}
                        a = sprintf('%d', qpgo.internal.SeriesBase.index0(arg, name));
                    case 'gauss_laplace'
                        a = qpgo.internal.anyJson(double(arg), true);
                    otherwise
                        a = qpgo.internal.anyJson(arg, false);
                end
                parts{k} = ['[' qpgo.internal.jsonString(name) ',' a ']'];
            end
            fl = [];
            if nargin > 2 && ~isempty(frame_list)
                if ~isnumeric(frame_list) || any(frame_list(:) < 1) || any(frame_list(:) ~= round(frame_list(:)))
                    error('qpgo:badArgument', 'process: frame_list must hold positive (1-based) indices');
                end
                fl = double(frame_list(:)') - 1;
            end
            p = qpgo.ImageSeries(qpgo_mex('ims_process', obj.id, ['[' strjoin(parts, ',') ']'], fl), deps);
        end

        function s = stats(obj, which, varargin)
            %STATS max/min/sum/average/median/percentile over the frames.
            o = qpgo.internal.nameValue(varargin, {'nframes', 'percentile'}, 'stats');
            nf = 0;
            p = 50;
            if isfield(o, 'nframes'), nf = o.nframes; end
            if isfield(o, 'percentile'), p = o.percentile; end
            which = qpgo.internal.textArg(which, 'which');
            if strcmp(which, 'percentile') && ~isfield(o, 'percentile')
                error('qpgo:badArgument', 'stats: ''percentile'' needs the option ''percentile''');
            end
            s = qpgo_mex('ims_stats', obj.id, which, p, nf);
            switch which
                case {'max', 'min'}
                    s = cast(s, qpgo.internal.className(obj.dtype));
                case {'average', 'median', 'percentile'}
                    s = single(s);
            end
        end

        function write(obj, fname, format, varargin)
            %WRITE hexrd imageseries.write (options name/value or a struct).
            o = struct();
            if numel(varargin) == 1 && isstruct(varargin{1})
                o = varargin{1};
            elseif mod(numel(varargin), 2) ~= 0
                error('qpgo:badArgument', 'write: options must be name/value pairs');
            else
                for k = 1:2:numel(varargin)
                    o.(qpgo.internal.textArg(varargin{k}, 'option name')) = varargin{k + 1};
                end
            end
            qpgo_mex('ims_write', obj.id, qpgo.internal.textArg(fname, 'filename'), ...
                     qpgo.internal.textArg(format, 'format'), qpgo.internal.optionsJson(o, 'write options'));
        end

        function n = nwedges(obj)
            %NWEDGES number of omega wedges (hexrd OmegaImageSeries.nwedges).
            %   Errors: qpgo:metaDataMissing (no omega metadata),
            %   qpgo:badArgument (omega not (nframes, 2) or not increasing).
            n = numel(obj.wedgeList());
        end

        function w = wedge(obj, i)
            %WEDGE wedge i (1-based): struct ostart, ostop, nsteps, delta,
            %   first_frame (1-based), as hexrd OmegaImageSeries.wedge(i-1).
            ws = obj.wedgeList();
            k = qpgo.internal.SeriesBase.index0(i, 'wedge index') + 1;
            if k > numel(ws)
                error('qpgo:notFound', 'wedge %d: the series has %d wedges', k, numel(ws));
            end
            w = ws(k);
        end

        function ow = omegawedges(obj)
            %OMEGAWEDGES hexrd OmegaImageSeries.omegawedges as a struct:
            %   nframes, nwedges, wedges (struct array as WEDGE gives) and
            %   omegas (nframes x 2 [start stop] per frame, each wedge
            %   spread evenly from ostart to ostop as OmegaWedges.omegas).
            ws = obj.wedgeList();
            om = zeros(0, 2);
            for k = 1:numel(ws)
                a = linspace(ws(k).ostart, ws(k).ostop, ws(k).nsteps + 1)';
                om = [om; a(1:end-1), a(2:end)]; %#ok<AGROW>
            end
            ow = struct('nframes', numel(obj), 'nwedges', numel(ws), 'wedges', ws, 'omegas', om);
        end

        function [f, w] = omegaToFrame(obj, omega)
            %OMEGATOFRAME frame and wedge (1-based) holding the angle omega
            %   [deg] (hexrd omega_to_frame); 0, 0 when no frame does.
            r = qpgo_mex('ims_omega_to_frame', obj.id, omega) + 1;
            f = r(1);
            w = r(2);
        end

        function f = omegarangeToFrames(obj, omin, omax)
            %OMEGARANGETOFRAMES frames (1-based row) covering [omin, omax]
            %   (hexrd omegarange_to_frames); [] when not resolvable.
            f = qpgo_mex('ims_omega_range_to_frames', obj.id, omin, omax) + 1;
            if isempty(f), f = []; end
        end

        function disp(obj)
            if obj.id == 0 || obj.closed
                fprintf('  qpgo.ImageSeries (closed)\n');
            else
                fprintf('  qpgo.ImageSeries: %d frames of %dx%d %s\n', numel(obj), obj.shape, obj.dtype);
            end
        end
    end

    methods (Access = private)
        function ws = wedgeList(obj)
            % the library's wedges, 1-based first_frame (struct array)
            d = jsondecode(qpgo_mex('ims_omega_wedges_json', obj.id));
            ws = struct('ostart', {}, 'ostop', {}, 'nsteps', {}, 'delta', {}, 'first_frame', {});
            if iscell(d), d = [d{:}]; end
            for k = 1:numel(d)
                ws(k) = struct('ostart', qpgo.internal.floats(d(k).ostart), ...
                               'ostop', qpgo.internal.floats(d(k).ostop), ...
                               'nsteps', double(d(k).nsteps), ...
                               'delta', qpgo.internal.floats(d(k).delta), ...
                               'first_frame', double(d(k).first_frame) + 1);
            end
            ws = reshape(ws, [], 1);
        end
    end

    methods (Static)
        function obj = open(filename, format, varargin)
            %OPEN hexrd imageseries.open(filename, format, **options).
            if nargin < 2
                error('qpgo:badArgument', 'open: format is required');
            end
            o = struct();
            if numel(varargin) == 1 && isstruct(varargin{1})
                o = varargin{1};
            elseif mod(numel(varargin), 2) ~= 0
                error('qpgo:badArgument', 'open: options must be name/value pairs');
            else
                for k = 1:2:numel(varargin)
                    o.(qpgo.internal.textArg(varargin{k}, 'option name')) = varargin{k + 1};
                end
            end
            obj = qpgo.ImageSeries(qpgo_mex('ims_open', qpgo.internal.textArg(filename, 'filename'), ...
                qpgo.internal.textArg(format, 'format'), qpgo.internal.optionsJson(o, 'open options')));
        end

        function obj = fromArray(data, meta)
            %FROMARRAY in-memory series (hexrd 'array' format).
            mj = '';
            if nargin > 1 && ~isempty(meta)
                if ~isstruct(meta) && ~isa(meta, 'containers.Map')
                    error('qpgo:badArgument', 'fromArray: meta must be a struct or a containers.Map');
                end
                mj = qpgo.internal.anyJson(meta, true);
            end
            obj = qpgo.ImageSeries(qpgo_mex('ims_from_array', data, mj));
        end
    end
end
