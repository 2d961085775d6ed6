function s = decodeDict(d)
    %DECODEDICT (internal) struct of typed JSON values (ims metadata) -> struct of MATLAB values.
    s = struct();
    if isempty(d), return; end
    f = fieldnames(d);
    for k = 1:numel(f)
        s.(f{k}) = qpgo.internal.decodeTyped(d.(f{k}));
    end
end
