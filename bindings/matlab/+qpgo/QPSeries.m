classdef QPSeries < qpgo.internal.SeriesBase
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

    methods
        function obj = QPSeries(varargin)
            obj = obj@qpgo.internal.SeriesBase('qps', 'QPSeries', varargin);
        end

        function add(obj, qpi, varargin)
            %ADD append a copy of qpi (upstream add_qpimage).
            %   'identifier': overrides the image's identifier;
            %   'bg_from_idx': 1-based member whose phase/amplitude "data"
            %   backgrounds the new member hard-links.
            [o, id] = obj.addOptions(qpi, 'qpgo.QPImage', 'qpi', varargin, {'identifier', 'bg_from_idx'});
            bg = [];
            if isfield(o, 'bg_from_idx') && ~isempty(o.bg_from_idx)
                bg = qpgo.internal.SeriesBase.index0(o.bg_from_idx, 'bg_from_idx');
            end
            qpgo_mex('qps_add', obj.id, qpi.id, id, bg);
        end

        function qpi = get(obj, key)
            %GET member by 1-based index or by identifier (char): a
            %   qpgo.QPImage view into the series. Missing: qpgo:notFound.
            qpi = qpgo.QPImage.fromHandle(obj.memberHandle(key), obj);
        end
    end

    methods (Static)
        function obj = open(path, varargin)
            %OPEN open a QPSeries HDF5 file; mode 'r' (default), 'r+', 'a', 'w', ...
            obj = qpgo.QPSeries(qpgo.internal.HandleBase.openHandle('qps', path, varargin{:}));
        end
    end
end
