function c = npyClass(dt)
    %NPYCLASS (internal) numpy dtype string ('<u2', '>f4', ...) -> MATLAB class ('' if none).
    map = {'f8', 'double'; 'f4', 'single'; 'i1', 'int8'; 'u1', 'uint8'; 'i2', 'int16'; ...
           'u2', 'uint16'; 'i4', 'int32'; 'u4', 'uint32'; 'i8', 'int64'; 'u8', 'uint64'; 'b1', 'logical'};
    c = '';
    k = find(strcmp(dt(2:end), map(:, 1)), 1);
    if ~isempty(k), c = map{k, 2}; end
end
