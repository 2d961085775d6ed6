function expect_close(actual, expected, atol, rtol, what)
%EXPECT_CLOSE numpy-allclose: |a - e| <= atol + rtol*|e|, NaN positions equal
%   (complex: modulus of the difference).
if ~isequal(size(actual), size(expected))
    error('test:fail', '%s: size %s, expected %s', what, mat2str(size(actual)), mat2str(size(expected)));
end
na = isnan(actual);
if ~isequal(na, isnan(expected))
    error('test:fail', '%s: NaN positions differ', what);
end
d = abs(actual(~na) - expected(~na));
lim = atol + rtol * abs(expected(~na));
bad = find(d > lim, 1);
if ~isempty(bad)
    error('test:fail', '%s: %d elements off, first: deviation %g > limit %g', what, nnz(d > lim), d(bad), lim(bad));
end
end
