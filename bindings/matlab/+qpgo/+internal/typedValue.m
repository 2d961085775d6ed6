function v = typedValue(s)
    % {"value": v, "type": t} -> MATLAB value of that type.
    t = s.type;
    v = s.value;
    base = regexprep(t, '\[\d+\]$', '');
    isarr = ~strcmp(base, t);
    switch base
        case {'float64', 'float32'}
            v = qpgo.internal.floats(v);
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
