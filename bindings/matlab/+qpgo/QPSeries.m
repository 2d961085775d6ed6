classdef QPSeries < handle
    %QPSERIES series of quantitative phase images (qpimage.QPSeries).
    %
    %   qps = qpgo.QPSeries('h5file', path, 'h5mode', 'a', ...
    %                       'identifier', 'my_series', 'meta_data', struct('time', 0.5))
    %   qps = qpgo.QPSeries()                      % in memory
    %   qps = qpgo.QPSeries.open(path, mode)       % mode 'r' (default), 'r+', 'a', ...
    %
    %   qps.add(qpi, 'identifier', 'img3', 'bg_from_idx', 1)
    %   qpi = qps.get(2)            % member 2 (1-based), a qpgo.QPImage view
    %   qpi = qps.get('img2')       % member by identifier
    %   n = numel(qps) (= length(qps)); tf = qps.contains('img2');
    %   qps.identifier; qps.identifiers (cellstr; '' for none); qps.close()
    %
    %   INDICES ARE 1-BASED (upstream: 0-based): get(1) is qpi_0 in the file,
    %   'bg_from_idx', 1 links the background of the first member.
    %   get(-k) / bg_from_idx 0 are not accepted (use get(numel(qps))).
    %   Member views are live: writes go to the series file; closing (or
    %   deleting) the series invalidates them (qpgo:badHandle); a view
    %   keeps its series object alive. meta_data (like upstream) is
    %   written into the members the file already holds.

    properties (SetAccess = private, Hidden)
        id = int64(0);
        closed = false;
    end

    properties (Dependent)
        identifier     % series identifier ('' when none)
        identifiers    % member identifiers in order (cellstr, '' for none)
    end

    methods
        function obj = QPSeries(varargin)
            if nargin == 1 && isa(varargin{1}, 'int64')
                obj.id = varargin{1};   % internal: wrap a handle
                return;
            end
            o = qpgo.QPImage.nameValue(varargin, {'h5file', 'h5mode', 'identifier', 'meta_data'}, 'QPSeries');
            parts = {};
            f = fieldnames(o);
            for k = 1:numel(f)
                v = o.(f{k});
                if strcmp(f{k}, 'meta_data')
                    if isempty(v), continue; end
                    parts{end+1} = ['"meta_data":' qpgo.QPImage.metaJson(v)]; %#ok<AGROW>
                else
                    parts{end+1} = [qpgo.QPImage.jsonString(f{k}) ':' ...
                                    qpgo.QPImage.jsonString(qpgo.QPImage.textArg(v, f{k}))]; %#ok<AGROW>
                end
            end
            obj.id = qpgo_mex('qps_new', ['{' strjoin(parts, ',') '}']);
        end

        function delete(obj)
            if obj.id ~= 0 && ~obj.closed
                obj.closed = true;
                try
                    qpgo_mex('qps_close', obj.id);
                catch
                end
            end
        end

        function close(obj)
            %CLOSE close the series (and its file); member views become
            %   invalid. Idempotent.
            if obj.id ~= 0 && ~obj.closed
                obj.closed = true;
                qpgo_mex('qps_close', obj.id);
            end
        end

        function n = numel(obj, varargin)
            n = qpgo_mex('qps_len', obj.id);
        end

        function n = length(obj)
            n = qpgo_mex('qps_len', obj.id);
        end

        function add(obj, qpi, varargin)
            %ADD append a copy of qpi (upstream add_qpimage).
            %   'identifier': overrides the image's identifier;
            %   'bg_from_idx': 1-based member whose phase/amplitude "data"
            %   backgrounds the new member hard-links.
            if ~isa(qpi, 'qpgo.QPImage')
                error('qpgo:badArgument', 'QPSeries.add: qpi must be a qpgo.QPImage, got %s', class(qpi));
            end
            o = qpgo.QPImage.nameValue(varargin, {'identifier', 'bg_from_idx'}, 'QPSeries.add');
            id = '';
            if isfield(o, 'identifier') && ~isempty(o.identifier)
                id = qpgo.QPImage.textArg(o.identifier, 'identifier');
            end
            bg = [];
            if isfield(o, 'bg_from_idx') && ~isempty(o.bg_from_idx)
                bg = qpgo.QPSeries.index0(o.bg_from_idx, 'bg_from_idx');
            end
            qpgo_mex('qps_add', obj.id, qpi.id, id, bg);
        end

        function qpi = get(obj, key)
            %GET member by 1-based index or by identifier (char): a
            %   qpgo.QPImage view into the series. Missing: qpgo:notFound.
            if ischar(key) || isa(key, 'string')
                h = qpgo_mex('qps_get', obj.id, qpgo.QPImage.textArg(key, 'identifier'));
            else
                h = qpgo_mex('qps_get', obj.id, qpgo.QPSeries.index0(key, 'index'));
            end
            qpi = qpgo.QPImage.fromHandle(h, obj);
        end

        function tf = contains(obj, id)
            %CONTAINS true if a member has identifier id (upstream `id in qps`).
            tf = qpgo_mex('qps_contains', obj.id, qpgo.QPImage.textArg(id, 'identifier'));
        end

        function v = get.identifier(obj)
            v = qpgo_mex('qps_identifier', obj.id);
        end

        function v = get.identifiers(obj)
            v = qpgo.QPSeries.idList(qpgo_mex('qps_identifiers_json', obj.id));
        end

        function disp(obj)
            if obj.id == 0 || obj.closed
                fprintf('  qpgo.QPSeries (closed)\n');
            else
                fprintf('  qpgo.QPSeries ''%s'' with %d images\n', obj.identifier, numel(obj));
            end
        end
    end

    methods (Static)
        function obj = open(path, mode)
            %OPEN open a QPSeries HDF5 file; mode 'r' (default), 'r+', 'a', 'w', ...
            if nargin < 2, mode = 'r'; end
            obj = qpgo.QPSeries(qpgo_mex('qps_open', qpgo.QPImage.textArg(path, 'path'), ...
                                         qpgo.QPImage.textArg(mode, 'mode')));
        end
    end

    methods (Static, Hidden)
        function k = index0(k, name)
            % 1-based MATLAB index -> 0-based library index
            if ~isnumeric(k) || ~isscalar(k) || ~isreal(k) || k ~= round(k) || k < 1
                error('qpgo:badArgument', '%s must be a positive integer (1-based), got %s', ...
                      name, qpgo.QPSeries.show(k));
            end
            k = double(k) - 1;
        end

        function s = show(v)
            if isnumeric(v) && isscalar(v), s = num2str(v); else, s = ['a ' class(v)]; end
        end

        function c = idList(json)
            % JSON array of strings/null -> 1 x n cellstr ('' for null)
            c = regexp(json, '("(?:[^"\\]|\\.)*"|null)', 'match');
            for k = 1:numel(c)
                if strcmp(c{k}, 'null')
                    c{k} = '';
                else
                    c{k} = jsondecode(c{k});
                end
            end
            c = reshape(c, 1, []);
        end
    end
end
