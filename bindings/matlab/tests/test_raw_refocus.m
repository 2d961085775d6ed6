function tests = test_raw_refocus()
%TEST_RAW_REFOCUS raw-oah / raw-qlsi data with qpretrieve_kw, and refocus.
tests = {
    'oah_disk_default', @() oah_case('oah_disk_default', struct())
    'oah_nopad_struct', @() oah_case('oah_nopad', struct('padding', false))
    'oah_pad1_cell', @() oah_case('oah_pad1', {'padding', 1})
    'oah_sideband_freq_map', @oah_sideband_map
    'oah_invert_phase', @() oah_case('oah_invert_phase', struct('invert_phase', true))
    'oah_with_bg', @oah_with_bg
    'qlsi_synthetic', @qlsi_case
    'qpretrieve_kw_errors', @kw_errors
    'refocus_helmholtz_pad', @() refocus_case('refocus_helmholtz_pad', '')
    'refocus_fresnel_nopad', @() refocus_case('refocus_fresnel_nopad', '')
    'refocus_to_file', @() refocus_case('refocus_helmholtz_pad', tmp_h5())
    'refocus_errors', @refocus_errors
};
end

function c = load_case(name)
c = jsondecode(fileread(fullfile(fixtures_root(), name, 'case.json')));
c.dir = fullfile(fixtures_root(), name);
end

function check_images(q, c, what)
e = c.expected;
t = c.tolerance;
for p = {'raw_pha', 'raw_amp', 'pha', 'amp'}
    f = p{1};
    if isfield(e, f)
        expect_close(q.(f), read_npy(fullfile(c.dir, e.(f))), t.(f).atol, t.(f).rtol, [what ' ' f]);
    end
end
expect_equal(q.shape, e.shape(:)', [what ' shape']);
expect_equal(q.dtype, e.storage_dtype, [what ' dtype']);
end

function oah_case(name, kw)
c = load_case(name);
holo = read_npy(fullfile(c.dir, c.inputs.holo));
q = qpgo.QPImage(holo, 'which_data', 'raw-oah', 'qpretrieve_kw', kw);
check_images(q, c, name);
end

function oah_sideband_map()
c = load_case('oah_sideband_freq');
holo = read_npy(fullfile(c.dir, c.inputs.holo));
kw = containers.Map();
kw('sideband_freq') = [-0.23, -0.14];
q = qpgo.QPImage(holo, 'which_data', 'raw-oah', 'qpretrieve_kw', kw);
check_images(q, c, 'oah_sideband_freq');
end

function oah_with_bg()
c = load_case('oah_with_bg');
holo = read_npy(fullfile(c.dir, c.inputs.holo));
bg = read_npy(fullfile(c.dir, c.inputs.bg_holo));
q = qpgo.QPImage(holo, 'which_data', 'raw-oah', 'bg_data', bg, ...
                 'qpretrieve_kw', struct('filter_name', 'gauss'));
check_images(q, c, 'oah_with_bg');
end

function qlsi_case()
c = load_case('qlsi_synthetic');
d = read_npy(fullfile(c.dir, c.inputs.qlsi));
r = read_npy(fullfile(c.dir, c.inputs.qlsi_ref));
q = qpgo.QPImage(d, 'which_data', 'raw-qlsi', 'bg_data', r, ...
                 'qpretrieve_kw', struct('wavelength', 5.5e-7, 'qlsi_pitch_term', 1.87711e-08));
check_images(q, c, 'qlsi_synthetic');
end

function kw_errors()
holo = read_npy(fullfile(fixtures_root(), 'oah_disk_default', 'holo.npy'));
expect_error(@() qpgo.QPImage(holo, 'which_data', 'raw-oah', 'qpretrieve_kw', struct('no_such', 1)), ...
             'qpgo:unknownKey', 'unknown qpretrieve keyword');
expect_error(@() qpgo.QPImage(holo, 'which_data', 'raw-oah', 'qpretrieve_kw', struct('filter_name', 'nope')), ...
             'qpgo:badArgument', 'unknown filter');
expect_error(@() qpgo.QPImage(holo, 'which_data', 'raw-oah', 'qpretrieve_kw', {'padding'}), ...
             'qpgo:badArgument', 'odd cell');
expect_error(@() qpgo.QPImage(holo, 'which_data', 'raw-oah', 'qpretrieve_kw', 3), ...
             'qpgo:badArgument', 'numeric qpretrieve_kw');
end

function refocus_case(name, path)
c = load_case(name);
field = read_npy(fullfile(c.dir, c.inputs.field));
m = c.params.meta_data;
q = qpgo.QPImage(field, 'which_data', 'field', 'meta_data', ...
    {'wavelength', m.wavelength, 'pixel size', m.(matlab.lang.makeValidName('pixel size')), ...
     'medium index', m.(matlab.lang.makeValidName('medium index')), ...
     'time', m.time, 'identifier', m.identifier});
args = {'kernel', c.params.kernel, 'padding', logical(c.params.padding)};
if ~isempty(path)
    args = [args, {'h5file', path, 'h5mode', 'w'}];
    cl = onCleanup(@() delete_if(path));
end
r = q.refocus(c.params.distance, args{:});
expect_equal(class(r), 'qpgo.QPImage', 'refocus result class');
check_images(r, c, name);
expect_equal(r.meta('identifier'), c.expected.identifier, [name ' identifier']);
if ~isempty(path)
    r.close();
    f = qpgo.QPImage.open(path, 'r');
    expect_equal(f.meta('identifier'), c.expected.identifier, 'refocused file identifier');
    e = c.expected;
    expect_close(f.raw_pha, read_npy(fullfile(c.dir, e.raw_pha)), 1e-6, 1e-6, 'refocused file raw_pha');
    f.close();
end
expect_close(q.field, field, 1e-5, 1e-5, 'source field unchanged by refocus');
end

function delete_if(p)
if exist(p, 'file'), delete(p); end
end

function refocus_errors()
q = qpgo.QPImage(ones(8, 8), 'which_data', 'phase', 'meta_data', struct('wavelength', 5e-7));
expect_error(@() q.refocus(1e-6), 'qpgo:metaDataMissing', 'refocus without pixel size');
q.setMeta('pixel size', 1e-7);
q.setMeta('medium index', 1.33);
expect_error(@() q.refocus(1e-6, 'kernel', 'nope'), 'qpgo:badArgument', 'bad kernel');
expect_error(@() q.refocus(1e-6, 'colour', 1), 'qpgo:badArgument', 'unknown option');
expect_error(@() q.refocus('a'), 'qpgo:badArgument', 'distance text');
r = q.refocus(0, 'kernel', 'fresnel', 'padding', false);
expect_equal(r.shape, [8 8], 'refocus(0) shape');
q.close();
expect_error(@() q.refocus(1e-6), 'qpgo:badHandle', 'refocus closed');
end
