function keys = jsonKeys(json)
    % Top-level keys of a flat typed-meta JSON object, in order
    % (jsondecode mangles keys with spaces into field names).
    tok = regexp(json, '(?:^\{|\}\,)"((?:[^"\\]|\\.)*)":\{', 'tokens');
    keys = cellfun(@(t) qpgo.internal.unescape(t{1}), tok, 'UniformOutput', false);
end
