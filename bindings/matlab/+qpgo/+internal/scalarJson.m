function t = scalarJson(x, floatDoubles)
    %SCALARJSON (internal) numeric/logical scalar -> JSON (see anyJson for floatDoubles).
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
