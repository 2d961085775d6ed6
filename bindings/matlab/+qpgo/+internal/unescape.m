function s = unescape(s)
    %UNESCAPE (internal) JSON string body with escapes -> char.
    if any(s == '\')
        s = jsondecode(['"' s '"']);
    end
end
