function c = infoCell(json)
    % JSON list of [name, value, type] -> N x 3 cell
    rows = jsondecode(json);
    if isempty(rows)
        c = cell(0, 3);
        return;
    end
    if ~iscell(rows)          % all rows of one type decode to a matrix
        rows = num2cell(rows, 2);
    end
    c = cell(numel(rows), 3);
    for k = 1:numel(rows)
        r = rows{k};
        if ~iscell(r), r = num2cell(r); end
        c{k, 1} = r{1};
        c{k, 3} = r{3};
        c{k, 2} = qpgo.internal.typedValue(struct('value', r{2}, 'type', r{3}));
    end
end
