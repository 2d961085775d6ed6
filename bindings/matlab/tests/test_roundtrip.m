function tests = test_roundtrip()
%TEST_ROUNDTRIP create from arrays, write, reopen, read back.
tests = {
    'phase_meta_file', @phase_meta_file
    'phase_amplitude_cell', @phase_amplitude_cell
    'phase_amplitude_3d', @phase_amplitude_3d
    'phase_intensity', @phase_intensity
    'complex_field', @complex_field
    'orientation_phase', @orientation_phase
    'orientation_two_arrays_and_field', @orientation_two
    'float64_storage_exact', @float64_exact
    'meta_forms', @meta_forms
    'meta_types_and_set', @meta_types_and_set
    'bg_data', @bg_data
    'set_and_clear_bg', @set_and_clear_bg
    'copy_and_equal', @copy_and_equal
    'info_repr_disp', @info_repr_disp
    'delete_closes_handle', @delete_closes
    'open_via_constructor', @open_via_constructor
    'default_proc_phase', @default_proc_phase
    'version', @version_test
};
end

function a = f32(a)
a = double(single(a));
end

function phase_meta_file()
pha = f32(randn(5, 7));
p = tmp_h5();
c = onCleanup(@() delete(p));
q = qpgo.QPImage(pha, 'which_data', 'phase', 'proc_phase', false, 'h5file', p, 'h5mode', 'w', ...
                 'meta_data', struct('wavelength', 550e-9, 'pixel_size', 1e-7, 'identifier', 'abc'));
expect_equal(q.pha, pha, 'pha (open)');
q.close();
r = qpgo.QPImage.open(p, 'r');
expect_equal(r.shape, [5 7], 'shape');
expect_equal(r.dtype, 'float32', 'dtype');
expect_equal(r.pha, pha, 'pha');
expect_equal(r.raw_pha, pha, 'raw_pha');
expect_equal(r.amp, ones(5, 7), 'amp');
expect_equal(r.bg_pha, zeros(5, 7), 'bg_pha');
expect_equal(r.meta('wavelength'), 550e-9, 'wavelength');
expect_equal(class(r.meta('wavelength')), 'double', 'wavelength class');
expect_equal(r.meta('pixel size'), 1e-7, 'pixel size');
expect_equal(r.meta('identifier'), 'abc', 'identifier');
expect_equal(r.metaType('wavelength'), 'float64', 'wavelength type');
r.close();
end

function phase_amplitude_cell()
pha = f32(randn(4, 6));
amp = f32(1 + rand(4, 6));
p = tmp_h5();
c = onCleanup(@() delete(p));
q = qpgo.QPImage({pha, amp}, 'which_data', 'phase,amplitude', 'proc_phase', false, ...
                 'h5file', p, 'h5mode', 'w', 'meta_data', {'wavelength', 633e-9});
q.close();
r = qpgo.QPImage.open(p);
expect_equal(r.pha, pha, 'pha');
expect_equal(r.amp, amp, 'amp');
expect_close(r.field, amp .* exp(1i * pha), 1e-12, 1e-12, 'field');
expect_equal(r.meta('wavelength'), 633e-9, 'wavelength');
end

function phase_amplitude_3d()
pha = f32(randn(4, 6));
amp = f32(1 + rand(4, 6));
q = qpgo.QPImage(cat(3, pha, amp), 'which_data', {'phase', 'amplitude'}, 'proc_phase', false);
expect_equal(q.pha, pha, 'pha');
expect_equal(q.amp, amp, 'amp');
end

function phase_intensity()
pha = f32(randn(3, 4));
inten = [1 4 9 16; 0.25 1 4 9; 16 9 4 1];
q = qpgo.QPImage({pha, inten}, 'which_data', 'phase,intensity', 'proc_phase', false);
expect_close(q.amp, sqrt(inten), 0, 1e-7, 'amp = sqrt(intensity)');
end

function complex_field()
pha = f32(rand(6, 5) * 2 - 1);
amp = f32(0.5 + rand(6, 5));
fld = amp .* exp(1i * pha);
p = tmp_h5();
c = onCleanup(@() delete(p));
q = qpgo.QPImage(fld, 'which_data', 'field', 'proc_phase', false, 'h5file', p, 'h5mode', 'w');
q.close();
r = qpgo.QPImage.open(p, 'r');
expect_close(r.pha, angle(fld), 1e-6, 1e-6, 'pha');
expect_close(r.amp, abs(fld), 1e-6, 1e-6, 'amp');
f = r.field;
if isreal(f), error('test:fail', 'field is not complex'); end
expect_close(f, fld, 1e-6, 1e-6, 'field');
end

function orientation_phase()
a = reshape(1:15, 3, 5) / 16;   % non-square, non-symmetric
p = tmp_h5();
c = onCleanup(@() delete(p));
q = qpgo.QPImage(a, 'proc_phase', false, 'h5file', p, 'h5mode', 'w');
b = q.pha;
expect_equal(size(b), [3 5], 'size');
expect_equal(b(1, end), a(1, end), 'pha(1,end)');
expect_equal(b(end, 1), a(end, 1), 'pha(end,1)');
expect_equal(b, a, 'pha');
expect_equal(q.shape, [3 5], 'shape');
q.close();
r = qpgo.QPImage.open(p, 'r');
expect_equal(r.pha, a, 'pha after reopen');
end

function orientation_two()
a = reshape(1:15, 3, 5) / 16;
m = 1 + reshape(1:15, 3, 5) / 32;
q = qpgo.QPImage({a, m}, 'which_data', 'phase,amplitude', 'proc_phase', false);
expect_equal(q.pha, a, 'pha');
expect_equal(q.amp, m, 'amp');
f = q.field;
expect_close(f(1, end), m(1, end) * exp(1i * a(1, end)), 1e-6, 1e-6, 'field(1,end)');
z = complex(a, -a);
r = qpgo.QPImage(z, 'which_data', 'field', 'proc_phase', false);
expect_close(r.pha(1, end), angle(z(1, end)), 1e-6, 0, 'field pha(1,end)');
expect_close(r.field, z, 1e-6, 1e-6, 'field');
end

function float64_exact()
pha = pi * randn(4, 5);
p = tmp_h5();
c = onCleanup(@() delete(p));
q = qpgo.QPImage(pha, 'proc_phase', false, 'h5file', p, 'h5mode', 'w', 'h5dtype', 'float64');
q.close();
r = qpgo.QPImage.open(p, 'r');
expect_equal(r.dtype, 'float64', 'dtype');
expect_equal(r.pha, pha, 'pha');
end

function meta_forms()
m = containers.Map();
m('pixel size') = 2.5e-7;
m('medium index') = 1.333;
q1 = qpgo.QPImage(zeros(2, 3), 'proc_phase', false, 'meta_data', m);
expect_equal(q1.meta('pixel size'), 2.5e-7, 'map pixel size');
expect_equal(q1.meta('medium index'), 1.333, 'map medium index');
q2 = qpgo.QPImage(zeros(2, 3), 'proc_phase', false, ...
                  'meta_data', {'sim center', [8 9.5], 'angle', int64(0), 'date', '2024-01-31'});
expect_equal(q2.meta('sim center'), [8 9.5], 'sim center');
expect_equal(q2.metaType('sim center'), 'float64[2]', 'sim center type');
expect_equal(q2.meta('angle'), int64(0), 'angle');
expect_equal(class(q2.meta('angle')), 'int64', 'angle class');
expect_equal(q2.meta('date'), '2024-01-31', 'date');
all = q2.meta();
expect_equal(sort(all.keys()), sort({'angle', 'date', 'qpimage version', 'sim center'}), 'meta keys');
end

function meta_types_and_set()
q = qpgo.QPImage(zeros(2, 3), 'proc_phase', false);
expect_equal(q.hasMeta('time'), false, 'hasMeta before');
q.setMeta('time', 1);
expect_equal(q.meta('time'), 1, 'time');
expect_equal(q.metaType('time'), 'float64', 'time type (double -> float64)');
expect_equal(q.hasMeta('time'), true, 'hasMeta after');
q.setMeta('identifier', 'x y "z"');
expect_equal(q.meta('identifier'), 'x y "z"', 'identifier');
q.setMeta('angle', int64(-3));
expect_equal(q.meta('angle'), int64(-3), 'angle int64');
q.setMeta('sim center', [1.5 2]);
expect_equal(q.meta('sim center'), [1.5 2], 'sim center');
q.setMeta('focus', 0.1 + 0.2);
expect_equal(q.meta('focus'), 0.1 + 0.2, 'focus full precision');
end

function bg_data()
% upstream always unwraps the background phase (spec 3.4), even with proc_phase=false
bg_data_check();
end

function bg_data_check()
pha = f32(randn(4, 5));
bg = f32(0.1 * randn(4, 5));
q = qpgo.QPImage(pha, 'bg_data', bg, 'proc_phase', false);
expect_equal(q.raw_pha, pha, 'raw_pha');
expect_equal(q.bg_pha, bg, 'bg_pha');
expect_close(q.pha, pha - bg, 1e-12, 0, 'pha');
expect_equal(q.getBg('phase', 'data'), bg, 'getBg phase data');
end

function set_and_clear_bg()
pha = f32(randn(4, 5));
bg = f32(0.1 * randn(4, 5));
q = qpgo.QPImage(pha, 'proc_phase', false);
q.setBgData(bg, 'phase', false);
expect_equal(q.bg_pha, bg, 'bg_pha after setBgData');
q.clearBg('phase', 'data');
expect_equal(q.bg_pha, zeros(4, 5), 'bg_pha after clearBg');
expect_error(@() q.getBg('phase', 'data'), 'qpgo:notFound', 'getBg after clear');
end

function copy_and_equal()
pha = f32(randn(4, 5));
q = qpgo.QPImage(pha, 'proc_phase', false, 'meta_data', struct('wavelength', 5e-7, 'identifier', 'c'));
p = tmp_h5();
c = onCleanup(@() delete(p));
k = q.copy(p);
expect_equal(k.pha, pha, 'copy pha');
expect_equal(isequal(q, k), true, 'isequal copy');
k.close();
r = qpgo.QPImage.open(p, 'r');
expect_equal(r.meta('identifier'), 'c', 'copied identifier');
m = r.copy();
expect_equal(m.pha, pha, 'memory copy pha');
r.close();
expect_equal(m.pha, pha, 'memory copy survives source close');
other = qpgo.QPImage(pha + 1, 'proc_phase', false);
expect_equal(isequal(q, other), false, 'isequal different');
end

function info_repr_disp()
q = qpgo.QPImage(zeros(5, 7), 'proc_phase', false, ...
                 'meta_data', struct('wavelength', 550e-9, 'identifier', 'rep'));
expect_equal(char(q), sprintf('QPImage <rep>, 5x7px, \xce\xbb=550.0nm'), 'repr');
s = evalc('disp(q)');
if isempty(strfind(s, 'QPImage <rep>'))
    error('test:fail', 'disp output: %s', s);
end
inf = q.info();
expect_equal(size(inf, 2), 3, 'info columns');
expect_equal(inf(:, 1)', {'identifier', 'qpimage version', 'wavelength'}, 'info names');
expect_equal(inf{3, 2}, 550e-9, 'info wavelength');
expect_equal(inf{3, 3}, 'float64', 'info type');
end

function delete_closes()
q = qpgo.QPImage(zeros(2, 2), 'proc_phase', false);
h = q.id;
expect_equal(qpgo_mex('qpi_shape', h), [2 2], 'shape via handle');
delete(q);
expect_error(@() qpgo_mex('qpi_shape', h), 'qpgo:badHandle', 'handle after delete');
q2 = qpgo.QPImage(zeros(2, 2), 'proc_phase', false);
h2 = q2.id;
clear q2;
expect_error(@() qpgo_mex('qpi_shape', h2), 'qpgo:badHandle', 'handle after clear');
end

function open_via_constructor()
p = tmp_h5();
c = onCleanup(@() delete(p));
q = qpgo.QPImage([1 2; 3 4] / 8, 'proc_phase', false, 'h5file', p, 'h5mode', 'w');
q.close();
r = qpgo.QPImage([], 'h5file', p, 'h5mode', 'r');
expect_equal(r.pha, [1 2; 3 4] / 8, 'pha');
end

function default_proc_phase()
% proc_phase defaults to true (upstream unwraps the phase).
default_proc_phase_check();
end

function default_proc_phase_check()
pha = f32(0.3 * peaks(8));
q = qpgo.QPImage(pha);
expect_close(q.pha, pha, 1e-6, 0, 'unwrapped smooth phase');
end

function version_test()
[v, n] = qpgo.version();
if isempty(regexp(v, '^\d+\.\d+\.\d+$', 'once'))
    error('test:fail', 'version %s', v);
end
expect_equal(qpgo_mex('header_version'), v, 'header vs library version');
parts = sscanf(v, '%d.%d.%d');
expect_equal(n, parts(1) * 10000 + parts(2) * 100 + parts(3), 'version number');
end
