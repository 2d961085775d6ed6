function x = floats(v)
    %FLOATS (internal) decoded JSON numbers (with "nan"/"inf"/"-inf" strings) -> double array.
    if ischar(v)
        v = {v};
    end
    if iscell(v)
        x = zeros(size(v));
        for k = 1:numel(v)
            e = v{k};
            if ischar(e)
                switch e
                    case 'nan', e = NaN;
                    case 'inf', e = Inf;
                    case '-inf', e = -Inf;
                    otherwise, e = str2double(e);
                end
            end
            x(k) = e;
        end
    else
        x = double(v);
    end
end
