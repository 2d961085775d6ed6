function tests = test_flimage()
%TEST_FLIMAGE qpgo.FLImage / qpgo.FLSeries: files, bleach correction with
%   progress and cancel, denoise.
tests = {
    'fl_image_file', @fl_image_file
    'flimage_memory_copy_bg', @flimage_memory
    'fl_series_file', @fl_series_file
    'flseries_build', @flseries_build
    'bleach_border4', @bleach_border4
    'bleach_progress_cancel', @bleach_cancel
    'bleach_callback_error', @bleach_callback_error
    'bleach_flscorr', @bleach_flscorr
    'denoise', @denoise
    'fl_errors', @fl_errors
};
end

function d = fx(name)
d = fullfile(fixtures_root(), name);
end

function fl_image_file()
d = fx('fl_image_file');
c = jsondecode(fileread(fullfile(d, 'case.json')));
e = c.expected;
f = qpgo.FLImage.open(fullfile(d, e.file));
expect_equal(f.raw_fl, read_npy(fullfile(d, e.raw_fl)), 'raw_fl');
expect_equal(f.bg_fl, read_npy(fullfile(d, e.bg_fl)), 'bg_fl');
expect_equal(f.fl, read_npy(fullfile(d, e.fl)), 'fl');
expect_equal(f.dtype, 'float32', 'dtype');
expect_equal(char(f), e.repr, 'repr');
all = f.meta();
expect_equal(numel(all.keys()), numel(fieldnames(e.meta)), 'number of meta keys');
expect_equal(f.meta('identifier'), 'img_a', 'meta identifier');
expect_equal(f.meta('time'), 1.5, 'meta time');
expect_equal(f.metaType('angle'), 'float64', 'meta type');
expect_equal(f.hasMeta('date'), true, 'hasMeta');
inf = f.info();
expect_equal(size(inf, 1), numel(e.info), 'info rows');
for k = 1:numel(e.info)
    expect_equal(inf{k, 1}, e.info{k}{1}, sprintf('info[%d] name', k));
    expect_equal(inf{k, 3}, e.info{k}{3}, sprintf('info[%d] type', k));
end
g = qpgo.FLImage([], 'h5file', fullfile(d, e.file), 'h5mode', 'r');
expect_equal(isequal(f, g), true, 'open via constructor');
end

function flimage_memory()
data = reshape(1:12, 3, 4) + 0.5;
f = qpgo.FLImage(data, 'bg_data', ones(3, 4), 'meta_data', struct('time', 2, 'pixel_size', 1e-7), ...
                 'h5dtype', 'float64');
expect_equal(f.shape, [3 4], 'shape');
expect_equal(f.raw_fl, data, 'raw_fl orientation');
expect_equal(f.fl, data - 1, 'fl');
expect_equal(f.meta('pixel size'), 1e-7, 'pixel size');
f.setMeta('identifier', 'mem');
expect_equal(char(f), 'FLImage <mem>, 3x4px', 'repr');
p = tmp_h5();
cl = onCleanup(@() delete(p));
c = f.copy(p);
expect_equal(isequal(c, f), true, 'file copy equal');
c.close();
m = f.copy();
m.setBgData([]);
expect_equal(m.fl, data, 'background removed');
m.setBgData(f);                       % fl of another image
expect_equal(m.fl, data - (data - 1), 'background from FLImage');
expect_equal(f.fl, data - 1, 'original unchanged');
end

function fl_series_file()
d = fx('fl_series_file');
c = jsondecode(fileread(fullfile(d, 'case.json')));
e = c.expected;
s = qpgo.FLSeries.open(fullfile(d, e.file));
expect_equal(numel(s), e.length, 'length');
expect_equal(s.identifier, e.identifier, 'identifier');
stack = read_npy(fullfile(d, e.fl_stack));
for k = 1:numel(s)
    m = s.get(k);
    expect_equal(m.fl, reshape(stack(k, :, :), size(stack, 2), size(stack, 3)), sprintf('member %d fl', k));
    expect_equal(m.meta('time'), e.member_times(k), sprintf('member %d time', k));
end
expect_equal(s.identifiers, arrayfun(@(k) sprintf('frame%d', k), 0:5, 'UniformOutput', false), 'identifiers');
expect_equal(s.contains('frame3'), true, 'contains');
expect_equal(s.get('frame3').meta('time'), e.member_times(4), 'get by identifier');
end

function flseries_build()
p = tmp_h5();
cl = onCleanup(@() delete(p));
s = qpgo.FLSeries('h5file', p, 'h5mode', 'w', 'identifier', 'ser');
for k = 1:3
    s.add(qpgo.FLImage(k * ones(4, 5), 'meta_data', struct('time', k, 'identifier', sprintf('i%d', k))));
end
s.add(qpgo.FLImage(zeros(4, 5)), 'identifier', 'z');
expect_error(@() s.add(qpgo.FLImage(zeros(4, 5)), 'identifier', 'z'), 'qpgo:badArgument', 'duplicate id');
s.close();
r = qpgo.FLSeries.open(p);
expect_equal(length(r), 4, 'length');
expect_equal(r.identifiers, {'i1', 'i2', 'i3', 'z'}, 'identifiers');
expect_equal(r.get(2).fl, 2 * ones(4, 5), 'member 2');
end

function [s, c, d] = bleach_input()
d = fx('fl_bleach_border4');
c = jsondecode(fileread(fullfile(d, 'case.json')));
s = qpgo.FLSeries.open(fullfile(d, c.inputs.series_file), 'r');
end

function bleach_border4()
[s, c, d] = bleach_input();
e = c.expected;
t = c.tolerance;
out = tmp_h5();
cl = onCleanup(@() delete(out));
ctr = containers.Map();
ctr('calls') = zeros(0, 2);
[bg, flint, decay, times, n] = s.bleachCorrection('h5out', out, 'border_px', 4, ...
    'progress', @(done, total) record(ctr, done, total, Inf));
calls = ctr('calls');
expect_close(bg, e.bg, t.bg.atol, t.bg.rtol, 'bg');
expect_close(flint, read_npy(fullfile(d, e.flint)), t.flint.atol, t.flint.rtol, 'flint');
expect_close(decay, read_npy(fullfile(d, e.decay)), t.decay.atol, t.decay.rtol, 'decay');
expect_equal(times, read_npy(fullfile(d, e.times)), 'times');
% progress: called on the MATLAB thread, done increasing to total
expect_equal(n, size(calls, 1), 'progress call count returned');
if size(calls, 1) < 1, error('test:fail', 'progress never called'); end
expect_equal(calls(end, 1), calls(end, 2), 'last progress call done == total');
expect_equal(calls(end, 2), 3 * numel(s), 'total = 2*len + written images');
expect_equal(all(diff(calls(:, 1)) >= 0), true, 'done non-decreasing');
corr = read_npy(fullfile(d, e.corrected));
o = qpgo.FLSeries.open(out);
expect_equal(numel(o), numel(s), 'corrected series length');
for k = 1:numel(o)
    expect_close(o.get(k).fl, reshape(corr(k, :, :), size(corr, 2), size(corr, 3)), ...
                 t.corrected.atol, t.corrected.rtol, sprintf('corrected %d', k));
end
end

function bleach_cancel()
[s, ~, ~] = bleach_input();
out = tmp_h5();
cl = onCleanup(@() delete_if(out));
ctr = containers.Map();
ctr('calls') = zeros(0, 2);
expect_error(@() s.bleachCorrection('h5out', out, 'border_px', 4, ...
                                    'progress', @(d, t) record(ctr, d, t, 14)), ...
             'qpgo:cancelled', 'cancel from progress');
calls = ctr('calls');
expect_equal(calls(end, 1), 14, 'last progress call is the cancelling one');
% the output file holds a valid (partial) series
o = qpgo.FLSeries.open(out);
if numel(o) >= 6, error('test:fail', 'cancelled run wrote all images'); end
o.close();
% a cancelled series stays usable
[bg] = s.bleachCorrection('border_px', 4);
expect_close(bg, 17.549753695395257, 1e-9, 1e-12, 'bg after cancel');
% a callback without outputs / returning false never cancels
s.bleachCorrection('border_px', 4, 'progress', @(d, t) false);
end

function bleach_callback_error()
[s, ~, ~] = bleach_input();
err = expect_error(@() s.bleachCorrection('border_px', 4, 'progress', @(d, t) error('my:own', 'stop %d', d)), ...
                   'my:own', 'callback error re-raised');
if isempty(strfind(err.message, 'stop')), error('test:fail', 'message lost: %s', err.message); end
expect_error(@() s.bleachCorrection('progress', 5), 'qpgo:badArgument', 'progress not a handle');
expect_error(@() s.bleachCorrection('colour', 5), 'qpgo:badArgument', 'unknown option');
end

function bleach_flscorr()
[s, c, ~] = bleach_input();
[bg1, fl1] = s.bleachCorrection('border_px', 4, 'flscorr', s);
expect_close(bg1, c.expected.bg, 1e-9, 1e-12, 'bg with flscorr');
expect_equal(numel(fl1), numel(s), 'flint length');
end

function denoise()
d = fx('fl_denoise');
c = jsondecode(fileread(fullfile(d, 'case.json')));
s = qpgo.FLSeries.open(fullfile(d, c.inputs.series_file), 'r');
out = tmp_h5();
cl = onCleanup(@() delete(out));
ctr = containers.Map();
ctr('calls') = zeros(0, 2);
n = s.denoise('h5file', out, 'progress', @(d, t) record(ctr, d, t, Inf));
expect_equal(n, size(ctr('calls'), 1), 'progress calls');
expect_equal(n >= 1, true, 'denoise progress called');
dn = read_npy(fullfile(d, c.expected.denoised));
t = c.tolerance.denoised;
o = qpgo.FLSeries.open(out);
expect_equal(numel(o), numel(s), 'denoised length');
for k = 1:numel(o)
    m = o.get(k);
    expect_close(m.fl, reshape(dn(k, :, :), size(dn, 2), size(dn, 3)), t.atol, t.rtol, sprintf('denoised %d', k));
    expect_equal(m.meta('identifier'), sprintf('frame%d', k - 1), 'denoised identifier');
end
expect_error(@() s.denoise(), 'qpgo:badArgument', 'denoise without h5file');
out2 = tmp_h5();
cl2 = onCleanup(@() delete_if(out2));
expect_error(@() s.denoise('h5file', out2, 'progress', @(d, t) true), 'qpgo:cancelled', 'denoise cancel');
end

function delete_if(p)
if exist(p, 'file'), delete(p); end
end

function fl_errors()
f = qpgo.FLImage(ones(3, 3));
expect_error(@() f.meta('no such key'), 'qpgo:unknownKey', 'unknown key');
expect_error(@() f.meta('time'), 'qpgo:metaDataMissing', 'missing time');
expect_error(@() f.setMeta('colour', 1), 'qpgo:unknownKey', 'set unknown key');
expect_error(@() qpgo.FLImage(ones(3, 3), 'colour', 1), 'qpgo:badArgument', 'unknown option');
expect_error(@() qpgo.FLImage(ones(3, 3, 2)), 'qpgo:badArgument', '3-D data');
expect_error(@() qpgo.FLImage.open('/nonexistent/f.h5'), 'qpgo:io', 'open missing');
s = qpgo.FLSeries();
s.add(f);
expect_error(@() s.get(2), 'qpgo:notFound', 'index past end');
expect_error(@() s.get(0), 'qpgo:badArgument', 'index 0');
expect_error(@() s.get('nope'), 'qpgo:notFound', 'missing identifier');
v = s.get(1);
s.close();
expect_error(@() numel(s), 'qpgo:badHandle', 'closed series');
expect_error(@() v.fl, 'qpgo:badHandle', 'view of closed series');
f.close();
expect_error(@() f.fl, 'qpgo:badHandle', 'closed image');
end

function stop = record(ctr, done, total, stopAt)
% progress callback: appends [done total] to ctr('calls'); cancels at done >= stopAt
ctr('calls') = [ctr('calls'); done total];
stop = done >= stopAt;
end
