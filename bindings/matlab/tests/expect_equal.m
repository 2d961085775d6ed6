function expect_equal(actual, expected, what)
%EXPECT_EQUAL exact equality (same size, values; NaN at the same positions).
if nargin < 3, what = 'value'; end
if ischar(expected) || iscell(expected) || islogical(expected)
    ok = isequal(actual, expected);
else
    ok = isequal(size(actual), size(expected)) && isequaln(double(actual), double(expected));
end
if ~ok
    error('test:fail', '%s differs: got %s, expected %s', what, short(actual), short(expected));
end
end

function s = short(v)
if ischar(v)
    s = ['''' v ''''];
elseif isnumeric(v) || islogical(v)
    if numel(v) <= 6
        s = sprintf('%s %s', class(v), mat2str(v, 17));
    else
        s = sprintf('%s array of size %s', class(v), mat2str(size(v)));
    end
else
    s = sprintf('<%s>', class(v));
end
end
