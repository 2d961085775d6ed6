function c = idList(json)
    % JSON array of strings/null -> 1 x n cellstr ('' for null)
    c = regexp(json, '("(?:[^"\\]|\\.)*"|null)', 'match');
    for k = 1:numel(c)
        if strcmp(c{k}, 'null')
            c{k} = '';
        else
            c{k} = jsondecode(c{k});
        end
    end
    c = reshape(c, 1, []);
end
