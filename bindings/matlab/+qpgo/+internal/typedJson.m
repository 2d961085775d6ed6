function v = typedJson(json)
    %TYPEDJSON (internal) one typed JSON value {"type": t, "value": v}
    %   as text -> MATLAB value of that type (see typedValue), with float
    %   numbers parsed exactly: Octave's jsondecode rounds about one
    %   double in five by an ulp, so float values are read from the text
    %   with str2double.
    s = jsondecode(json);
    v = qpgo.internal.typedValue(s);
    if ~ischar(s.type) || isempty(regexp(s.type, '^float(32|64)(\[\d+\])?$', 'once'))
        return;
    end
    tok = regexp(json, '"value":\s*(\[[^\]]*\]|[^,}\s]+)', 'tokens', 'once');
    if isempty(tok), return; end
    txt = regexprep(tok{1}, '[\[\]"\s]', '');
    if isempty(txt), return; end
    x = str2double(strsplit(txt, ','));
    x(strcmp(strsplit(txt, ','), 'nan')) = NaN;
    if numel(x) ~= numel(v), return; end
    x = reshape(x, size(v));
    if isa(v, 'single'), x = single(x); end
    v = x;
end
