function c = className(dtype)
    %CLASSNAME (internal) numpy dtype name -> MATLAB class name.
    switch dtype
        case 'float32', c = 'single';
        case 'float64', c = 'double';
        case 'bool', c = 'logical';
        otherwise, c = dtype;
    end
end
