function s = anyJson(v, floatDoubles)
    % Any MATLAB value -> JSON. floatDoubles: doubles always carry
    % '.0' (stored as float64); otherwise integer-valued doubles
    % are written as integers. Matrices become nested row lists;
    % structs/Maps objects (keys verbatim); cells lists; [] null.
    if isa(v, 'string') && isscalar(v), v = char(v); end
    if ischar(v) && (isrow(v) || isempty(v))
        s = qpgo.internal.jsonString(v);
    elseif isstruct(v) || isa(v, 'containers.Map')
        if isstruct(v) && ~isscalar(v)
            error('qpgo:badArgument', 'struct arrays cannot be encoded');
        end
        if isa(v, 'containers.Map'), keys = v.keys(); vals = v.values();
        else, keys = fieldnames(v); vals = struct2cell(v); end
        parts = cell(1, numel(keys));
        for k = 1:numel(keys)
            parts{k} = [qpgo.internal.jsonString(keys{k}) ':' qpgo.internal.anyJson(vals{k}, floatDoubles)];
        end
        s = ['{' strjoin(parts, ',') '}'];
    elseif iscell(v)
        parts = cellfun(@(x) qpgo.internal.anyJson(x, floatDoubles), v(:)', 'UniformOutput', false);
        s = ['[' strjoin(parts, ',') ']'];
    elseif (isnumeric(v) || islogical(v)) && isempty(v)
        s = 'null';
    elseif isnumeric(v) || islogical(v)
        if ~isreal(v)
            error('qpgo:badArgument', 'complex values cannot be encoded');
        end
        if isscalar(v)
            s = qpgo.internal.scalarJson(v, floatDoubles);
        elseif isvector(v)
            parts = arrayfun(@(x) qpgo.internal.scalarJson(x, floatDoubles), v(:)', 'UniformOutput', false);
            s = ['[' strjoin(parts, ',') ']'];
        else
            % first dimension outermost (row lists of a matrix)
            sz = size(v);
            parts = cell(1, sz(1));
            for k = 1:sz(1)
                sub = reshape(v(k, :), [sz(2:end) 1]);
                if numel(sz) == 2, sub = reshape(sub, 1, []); end
                parts{k} = qpgo.internal.anyJson(sub, floatDoubles);
            end
            s = ['[' strjoin(parts, ',') ']'];
        end
    else
        error('qpgo:badArgument', 'cannot encode a value of class %s', class(v));
    end
end
