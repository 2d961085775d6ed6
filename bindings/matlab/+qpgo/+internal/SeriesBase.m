classdef SeriesBase < qpgo.internal.CountedBase
    %SERIESBASE (internal) what qpgo.QPSeries and qpgo.FLSeries share:
    %   creation from options, numel/length, members by 1-based index or
    %   identifier, contains, identifier(s), close; each the gateway
    %   command of the series' family ('qps_...' / 'fls_...').

    properties (Dependent)
        identifier     % series identifier ('' when none)
        identifiers    % member identifiers in order (cellstr, '' for none)
    end

    methods
        function obj = SeriesBase(prefix, where, args)
            % args: the constructor's arguments: one int64 handle
            % (internal: wrap it) or the options h5file, h5mode,
            % identifier, meta_data as name/value pairs or one struct.
            obj = obj@qpgo.internal.CountedBase(prefix);
            if numel(args) == 1 && isa(args{1}, 'int64')
                obj.id = args{1};
                return;
            end
            o = qpgo.internal.nameValue(args, {'h5file', 'h5mode', 'identifier', 'meta_data'}, where);
            parts = {};
            f = fieldnames(o);
            for k = 1:numel(f)
                v = o.(f{k});
                if strcmp(f{k}, 'meta_data')
                    if isempty(v), continue; end
                    parts{end+1} = ['"meta_data":' qpgo.internal.metaJson(v)]; %#ok<AGROW>
                else
                    parts{end+1} = [qpgo.internal.jsonString(f{k}) ':' ...
                                    qpgo.internal.jsonString(qpgo.internal.textArg(v, f{k}))]; %#ok<AGROW>
                end
            end
            obj.id = qpgo_mex(obj.cmd('new'), ['{' strjoin(parts, ',') '}']);
        end

        function close(obj)
            %CLOSE close the series (and its file); member views become
            %   invalid. Idempotent.
            close@qpgo.internal.HandleBase(obj);
        end

        function tf = contains(obj, id)
            %CONTAINS true if a member has identifier id (upstream `id in qps`).
            tf = qpgo_mex(obj.cmd('contains'), obj.id, qpgo.internal.textArg(id, 'identifier'));
        end

        function v = get.identifier(obj)
            v = qpgo_mex(obj.cmd('identifier'), obj.id);
        end

        function v = get.identifiers(obj)
            v = qpgo.internal.idList(qpgo_mex(obj.cmd('identifiers_json'), obj.id));
        end

        function disp(obj)
            if obj.id == 0 || obj.closed
                fprintf('  %s (closed)\n', class(obj));
            else
                fprintf('  %s ''%s'' with %d images\n', class(obj), obj.identifier, numel(obj));
            end
        end
    end

    methods (Hidden)
        function h = memberHandle(obj, key)
            % library handle of the member at 1-based index key or with
            % identifier key (char)
            if ischar(key) || isa(key, 'string')
                h = qpgo_mex(obj.cmd('get'), obj.id, qpgo.internal.textArg(key, 'identifier'));
            else
                h = qpgo_mex(obj.cmd('get'), obj.id, qpgo.internal.SeriesBase.index0(key, 'index'));
            end
        end

        function [o, id] = addOptions(obj, img, cls, what, args, allowed)
            % checks the image of add (class cls, argument name what) and
            % its options; id: the identifier option ('' for none)
            where = [regexprep(class(obj), '^qpgo\.', '') '.add'];
            if ~isa(img, cls)
                error('qpgo:badArgument', '%s: %s must be a %s, got %s', where, what, cls, class(img));
            end
            o = qpgo.internal.nameValue(args, allowed, where);
            id = '';
            if isfield(o, 'identifier') && ~isempty(o.identifier)
                id = qpgo.internal.textArg(o.identifier, 'identifier');
            end
        end
    end

    methods (Static, Hidden)
        function k = index0(k, name)
            % 1-based MATLAB index -> 0-based library index
            if ~isnumeric(k) || ~isscalar(k) || ~isreal(k) || k ~= round(k) || k < 1
                error('qpgo:badArgument', '%s must be a positive integer (1-based), got %s', ...
                      name, qpgo.internal.SeriesBase.show(k));
            end
            k = double(k) - 1;
        end

        function s = show(v)
            if isnumeric(v) && isscalar(v), s = num2str(v); else, s = ['a ' class(v)]; end
        end
    end
end
