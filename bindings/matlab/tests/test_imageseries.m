function tests = test_imageseries()
%TEST_IMAGESERIES qpgo.ImageSeries: array, hdf5, frame-cache, process,
%   stats (uint16 exact), write, errors.
tests = {
    'array_basic', @array_basic
    'hdf5_default_uint16', @() file_case('hdf5_default_uint16', 'hdf5', {'path', 'imageseries'})
    'framecache_npz_uint16', @() file_case('framecache_npz_uint16', 'frame-cache', {'style', 'npz'})
    'framecache_fch5_float32', @() file_case('framecache_fch5_float32', 'frame-cache', struct('style', 'fch5'))
    'stats_u16_max_nf0', @() stats_case('stats_u16_max_nf0')
    'stats_u16_max_nf5', @() stats_case('stats_u16_max_nf5')
    'stats_u16_min_nf0', @() stats_case('stats_u16_min_nf0')
    'stats_u16_median_nf0', @() stats_case('stats_u16_median_nf0')
    'stats_u16_median_nf5', @() stats_case('stats_u16_median_nf5')
    'stats_u16_sum_nf0', @() stats_case('stats_u16_sum_nf0')
    'stats_u16_average_nf0', @() stats_case('stats_u16_average_nf0')
    'stats_u16_percentile_90_nf0', @() stats_case('stats_u16_percentile_90_nf0')
    'process_flip_h', @() process_case('process_flip_h')
    'process_rectangle_first', @() process_case('process_rectangle_first')
    'process_dark_float_dark', @() process_case('process_dark_float_dark')
    'process_chain_framelist', @() process_case('process_chain_framelist')
    'write_roundtrip', @write_roundtrip
    'errors', @errors
};
end

function c = load_case(name)
c = jsondecode(fileread(fullfile(fixtures_root(), 'imageseries', name, 'case.json')));
c.dir = fullfile(fixtures_root(), 'imageseries', name);
end

function a = npy(c, f)
a = read_npy(fullfile(c.dir, f), true);
end

function f = frame_of(stack, k)
% frame k (1-based) of a numpy [n, rows, cols] stack read by read_npy
f = reshape(stack(k, :, :), size(stack, 2), size(stack, 3));
end

function check_frames(ims, c, what)
e = c.expected;
expect_equal(numel(ims), e.len, [what ' numel']);
expect_equal(length(ims), e.len, [what ' length']);
expect_equal(ims.shape, e.shape(:)', [what ' shape']);
expect_equal(ims.dtype, e.dtype_name, [what ' dtype']);
stack = npy(c, e.frames);
for k = 1:e.len
    f = ims.frame(k);
    expect_equal(class(f), class(stack), sprintf('%s frame %d class', what, k));
    expect_equal(isequal(f, frame_of(stack, k)), true, sprintf('%s frame %d values', what, k));
end
end

function array_basic()
c = load_case('array_basic');
frames = npy(c, c.inputs.frames);              % [n rows cols], uint16
data = permute(frames, [2 3 1]);               % rows x cols x n
meta = struct('omega', read_npy(fullfile(c.dir, c.inputs.metadata.omega.npy)));
ims = qpgo.ImageSeries.fromArray(data, meta);
check_frames(ims, c, 'array');
m = ims.metadata;
expect_equal(m.omega, meta.omega, 'metadata omega');
expect_equal(class(m.omega), 'double', 'omega class');
one = qpgo.ImageSeries.fromArray(data(:, :, 1));
expect_equal(numel(one), c.expected.two_d_input.len, '2-D input: one frame');
expect_equal(one.shape, c.expected.two_d_input.shape(:)', '2-D input shape');
expect_error(@() qpgo.ImageSeries.fromArray(ones(2, 2, 2, 2)), 'qpgo:badArgument', '4-D input');
expect_error(@() qpgo.ImageSeries.open('x', 'no-such-format'), 'qpgo:unknownKey', 'unknown format');
% typed metadata round trip
m2 = struct('a', int64(3), 'b', 2.5, 's', 'txt', 'flag', true, 'v', [1 2 3], 'd', struct('q', 1.5));
t = qpgo.ImageSeries.fromArray(uint8(magic(4)), m2).metadata;
expect_equal(t.a, int64(3), 'int64 meta');
expect_equal(class(t.a), 'int64', 'int64 meta class');
expect_equal(t.b, 2.5, 'float meta');
expect_equal(t.s, 'txt', 'str meta');
expect_equal(t.flag, true, 'bool meta');
expect_equal(t.v, [1 2 3], 'vector meta');
expect_equal(t.d.q, 1.5, 'nested dict');
end

function file_case(name, format, opts)
c = load_case(name);
if iscell(opts)
    ims = qpgo.ImageSeries.open(fullfile(c.dir, c.inputs.file), format, opts{:});
else
    ims = qpgo.ImageSeries.open(fullfile(c.dir, c.inputs.file), format, opts);
end
check_frames(ims, c, name);
m = ims.metadata;
em = c.expected.metadata;
expect_equal(m.omega, read_npy(fullfile(c.dir, em.omega.npy)), [name ' metadata omega']);
if isfield(em, 'intarr')
    expect_equal(double(m.intarr), reshape(em.intarr.value, 1, []), [name ' metadata intarr']);
end
ims.close();
expect_error(@() ims.frame(1), 'qpgo:badHandle', [name ' closed']);
end

function stats_case(name)
c = load_case(name);
frames = npy(c, c.inputs.frames);
ims = qpgo.ImageSeries.fromArray(permute(frames, [2 3 1]));
tok = regexp(name, '^stats_u16_([a-z]+)_', 'tokens', 'once');   % 'stats_u16_max_nf0' -> 'max'
which = tok{1};
args = {'nframes', c.call.args.nframes};
if isfield(c.call.args, 'pctl')
    args = [args, {'percentile', c.call.args.pctl}];
end
s = ims.stats(which, args{:});
e = npy(c, c.expected.result);
expect_equal(class(s), class(e), [name ' class']);
tol = c.tolerance.default;
if isfield(c.tolerance, 'result'), tol = c.tolerance.result; end
if tol.atol == 0 && tol.rtol == 0
    expect_equal(isequal(s, e), true, [name ' exact']);
else
    expect_close(double(s), double(e), tol.atol, tol.rtol, name);
end
end

function process_case(name)
c = load_case(name);
frames = npy(c, c.inputs.frames);
meta = struct();
base = qpgo.ImageSeries.fromArray(permute(frames, [2 3 1]), meta);
ops = c.call.process.oplist;
if ~iscell(ops), ops = num2cell(ops, 2); end
oplist = cell(numel(ops), 2);
for k = 1:numel(ops)
    op = ops{k};
    if ~iscell(op), op = num2cell(op); end
    oplist{k, 1} = op{1};
    a = op{2};
    switch op{1}
        case 'rectangle'
            r = a;                                   % [[r0 r1] [c0 c1]] 0-based half-open
            a = [r(1, 1) + 1, r(1, 2); r(2, 1) + 1, r(2, 2)];
        case {'dark', 'add'}
            if isstruct(a), a = npy(c, a.npy); end
        case {'add-row', 'add-column'}
            a = a + 1;
    end
    oplist{k, 2} = a;
end
fl = c.call.process.frame_list;
if isempty(fl)
    p = base.process(oplist);
else
    p = base.process(oplist, fl + 1);              % 1-based frame list
end
check_frames(p, c, name);
end

function write_roundtrip()
data = uint16(reshape(0:59, 3, 4, 5));
data(2, 3, :) = 500;
ims = qpgo.ImageSeries.fromArray(data, struct('omega', [0 1; 1 2; 2 3; 3 4; 4 5]));
p = tmp_h5();
cl = onCleanup(@() delete(p));
ims.write(p, 'hdf5', 'path', 'imageseries', 'gzip', 4);
r = qpgo.ImageSeries.open(p, 'hdf5', 'path', 'imageseries');
expect_equal(numel(r), 5, 'hdf5 written length');
for k = 1:5
    expect_equal(isequal(r.frame(k), data(:, :, k)), true, sprintf('hdf5 frame %d', k));
end
expect_equal(r.metadata.omega, [0 1; 1 2; 2 3; 3 4; 4 5], 'hdf5 omega');
r.close();
q = [tempname() '.npz'];
cl2 = onCleanup(@() delete(q));
ims.write(q, 'frame-cache', 'threshold', 100, 'style', 'npz');
f = qpgo.ImageSeries.open(q, 'frame-cache', 'style', 'npz');
expect_equal(f.dtype, 'uint16', 'frame-cache dtype');
expected = data;
expected(expected <= 100) = 0;
expect_equal(isequal(f.frame(3), expected(:, :, 3)), true, 'frame-cache thresholded frame');
f.close();
expect_error(@() ims.write(p, 'tiff'), 'qpgo:unknownKey', 'unknown writer');
expect_error(@() ims.write(p, 'hdf5'), 'qpgo:notFound', 'hdf5 without path');
expect_error(@() ims.write(p, 'hdf5', 'path', 'x', 'gzip', 10), 'qpgo:badArgument', 'gzip 10');
end

function errors()
ims = qpgo.ImageSeries.fromArray(single(ones(2, 3, 4)));
expect_equal(class(ims.frame(4)), 'single', 'float32 frame class');
expect_error(@() ims.frame(0), 'qpgo:badArgument', 'frame 0');
expect_error(@() ims.frame(5), 'qpgo:notFound', 'frame past the end');
expect_error(@() ims.stats('mode'), 'qpgo:unknownKey', 'unknown statistic');
expect_error(@() ims.stats('percentile', 'percentile', 150), 'qpgo:badArgument', 'percentile 150');
expect_error(@() ims.process({'nope', 1}), 'qpgo:unknownKey', 'unknown op');
expect_error(@() ims.process({'flip', 'h'}, 9), 'qpgo:notFound', 'frame_list out of range');
expect_error(@() qpgo.ImageSeries.open('/nonexistent/x.h5', 'hdf5', 'path', 'p'), 'qpgo:io', 'missing file');
expect_error(@() qpgo.ImageSeries.fromArray(true(2, 2)), 'qpgo:badArgument', 'logical data');
ims.close();
expect_error(@() numel(ims), 'qpgo:badHandle', 'closed');
end
