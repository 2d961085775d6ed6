function s = describe(v)
    %DESCRIBE (internal) short description of an option name for error messages.
    if ischar(v), s = ['''' v '''']; else, s = ['of class ' class(v)]; end
end
