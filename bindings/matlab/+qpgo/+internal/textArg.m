function s = textArg(v, name)
    %TEXTARG (internal) char row (or string scalar) argument -> char (qpgo:badArgument otherwise).
    if isa(v, 'string') && isscalar(v)
        v = char(v);
    end
    if ~ischar(v) || (~isempty(v) && ~isrow(v))
        error('qpgo:badArgument', '%s must be text (char row), got %s', name, class(v));
    end
    s = v;
end
