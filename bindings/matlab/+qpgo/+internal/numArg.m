function d = numArg(x, name)
    %NUMARG (internal) numeric array argument -> full double array (qpgo:badArgument otherwise).
    if ~isnumeric(x) || isa(x, 'string')
        error('qpgo:badArgument', '%s must be a numeric array, got %s', name, class(x));
    end
    if issparse(x)
        x = full(x);
    end
    d = double(x);
end
