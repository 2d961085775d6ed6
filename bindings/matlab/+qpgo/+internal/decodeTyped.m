function v = decodeTyped(t)
    %DECODETYPED (internal) one typed JSON value {type, value[, dtype, shape]} -> MATLAB value.
    v = t.value;
    switch t.type
        case 'dict'
            v = qpgo.internal.decodeDict(v);
        case {'list', 'tuple'}
            % elements decoded one by one; scalars of one class -> a row
            if isstruct(v), v = num2cell(v); end
            if isempty(v), v = {}; end
            c = cellfun(@qpgo.internal.decodeTyped, reshape(v, 1, []), 'UniformOutput', false);
            cls = cellfun(@class, c, 'UniformOutput', false);
            if ~isempty(c) && all(cellfun(@(x) (isnumeric(x) || islogical(x)) && isscalar(x), c)) ...
                    && all(strcmp(cls, cls{1}))
                v = [c{:}];
            else
                v = c;
            end
        case 'ndarray'
            dt = t.dtype;
            shp = reshape(double(t.shape), 1, []);
            if any(dt(2) == 'SUa')
                if isempty(shp)
                    v = char(v);
                elseif ~iscell(v)
                    v = reshape(cellstr(v), 1, []);
                else
                    v = reshape(v, 1, []);
                end
                return;
            end
            v = qpgo.internal.floats(v);
            cls = qpgo.internal.npyClass(dt);
            if ~isempty(cls), v = cast(v, cls); end
            if numel(shp) == 1
                v = reshape(v, 1, []);
            elseif numel(shp) > 2
                v = reshape(v, shp);
            end
        case {'float64', 'float'}
            v = qpgo.internal.floats(v);
        case 'float32'
            v = single(qpgo.internal.floats(v));
        case {'int64', 'int'}
            v = int64(v);
        case 'bool'
            v = logical(v);
    end
end
