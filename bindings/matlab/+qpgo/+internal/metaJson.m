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
        parts{k} = [qpgo.internal.jsonValue(keys{k}) ':' qpgo.internal.jsonValue(vals{k})];
    end
    s = ['{' strjoin(parts, ',') '}'];
end
