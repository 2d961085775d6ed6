function tests = test_precision()
%TEST_PRECISION float values cross exactly: Octave's jsondecode rounds
%   about one double in five by an ulp, so meta data floats are parsed
%   from the JSON text and ImageSeries metadata arrays cross as bytes.
tests = {
    'qpimage_meta_floats_exact', @qpimage_meta_floats_exact
    'flimage_meta_floats_exact', @flimage_meta_floats_exact
    'ims_metadata_arrays_exact', @ims_metadata_arrays_exact
};
end

function x = awkward(n)
% doubles whose shortest decimal form has 16-17 digits
rand('seed', 5); %#ok<RAND>
x = rand(1, n) .* 10 .^ round(24 * rand(1, n) - 12);
end

function qpimage_meta_floats_exact()
q = qpgo.QPImage(ones(3));
x = awkward(300);
bad = 0;
for k = 1:numel(x)
    q.setMeta('time', x(k));
    bad = bad + (q.meta('time') ~= x(k));
end
expect_equal(bad, 0, 'float64 meta values read back differently');
q.setMeta('time', NaN);
expect_equal(isnan(q.meta('time')), true, 'NaN meta');
q.setMeta('time', -Inf);
expect_equal(q.meta('time'), -Inf, '-Inf meta');
end

function flimage_meta_floats_exact()
f = qpgo.FLImage(ones(3));
x = awkward(100);
bad = 0;
for k = 1:numel(x)
    f.setMeta('time', x(k));
    bad = bad + (f.meta('time') ~= x(k));
end
expect_equal(bad, 0, 'FLImage float64 meta values read back differently');
end

function ims_metadata_arrays_exact()
x = awkward(600);
om = reshape(x, 300, 2);
s = qpgo.ImageSeries.fromArray(zeros(2, 2, 300, 'uint8'), ...
    struct('omega', om, 'row', x(1:5), 'i16', int16([-3 4 5]), 'flags', [true false true], ...
           'cube', reshape(1:24, 2, 3, 4) + 0.1, 'name', 'ff1'));
m = s.metadata;
expect_equal(isequal(m.omega, om), true, 'omega (300 x 2) exact');
expect_equal(isequal(m.row, x(1:5)), true, '1-D float array exact (row)');
expect_equal(m.i16, int16([-3 4 5]), 'int16 array keeps its class');
expect_equal(m.flags, [true false true], 'bool array');
expect_equal(isequal(m.cube, reshape(1:24, 2, 3, 4) + 0.1), true, '3-D array shape and values');
expect_equal(m.name, 'ff1', 'text metadata');
end
