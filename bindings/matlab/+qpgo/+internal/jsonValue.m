function s = jsonValue(v)
    % Encodes v as JSON: double -> float (always with '.' or 'e'),
    % integer classes -> integers, logical -> bool, char -> string,
    % vectors -> arrays, struct/containers.Map -> objects.
    if isa(v, 'string') && isscalar(v)
        v = char(v);
    end
    if ischar(v)
        s = qpgo.internal.jsonString(v);
    elseif isstruct(v) || isa(v, 'containers.Map')
        s = qpgo.internal.metaJson(v);
    elseif iscell(v)
        parts = cellfun(@qpgo.internal.jsonValue, v, 'UniformOutput', false);
        s = ['[' strjoin(parts(:)', ',') ']'];
    elseif islogical(v) || isnumeric(v)
        if ~isreal(v)
            error('qpgo:badArgument', 'complex values cannot be stored as meta data');
        end
        if isempty(v) || (~isvector(v))
            error('qpgo:badArgument', 'values must be scalars or vectors, got size %s', mat2str(size(v)));
        end
        parts = cell(1, numel(v));
        for k = 1:numel(v)
            x = v(k);
            if islogical(x)
                if x, parts{k} = 'true'; else, parts{k} = 'false'; end
            elseif isinteger(x)
                parts{k} = sprintf('%d', x);
            else
                x = double(x);
                if ~isfinite(x)
                    error('qpgo:badArgument', 'NaN/Inf cannot be passed here (use setMeta for a scalar)');
                end
                for p = 15:17
                    t = sprintf('%.*g', p, x);
                    if str2double(t) == x, break; end
                end
                if ~any(t == '.' | t == 'e' | t == 'E')
                    t = [t '.0'];
                end
                parts{k} = t;
            end
        end
        if isscalar(v)
            s = parts{1};
        else
            s = ['[' strjoin(parts, ',') ']'];
        end
    else
        error('qpgo:badArgument', 'cannot encode a value of class %s', class(v));
    end
end
