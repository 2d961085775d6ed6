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
        parts{k} = [qpgo.internal.jsonString(keys{k}) ':' qpgo.internal.anyJson(vals{k}, false)];
    end
    s = ['{' strjoin(parts, ',') '}'];
end
