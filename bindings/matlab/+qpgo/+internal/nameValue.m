function o = nameValue(args, allowed, where)
    % name/value pairs (or one struct) -> struct of the given
    % options (lower-case names); unknown names: qpgo:badArgument.
    o = struct();
    if numel(args) == 1 && isstruct(args{1})
        f = fieldnames(args{1});
        args = reshape([f'; struct2cell(args{1})'], 1, []);
    end
    if mod(numel(args), 2) ~= 0
        error('qpgo:badArgument', '%s: options must be name/value pairs', where);
    end
    for k = 1:2:numel(args)
        name = args{k};
        if isa(name, 'string'), name = char(name); end
        if ~ischar(name) || ~any(strcmpi(name, allowed))
            error('qpgo:badArgument', '%s: unknown option %s (valid: %s)', where, ...
                  qpgo.internal.describe(name), strjoin(allowed, ' '));
        end
        o.(lower(name)) = args{k + 1};
    end
end
