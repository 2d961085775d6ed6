function tests = test_bg()
%TEST_BG computeBg against every upstream bg_* fixture that returns a mask,
%   and the integrity checks against the integrity_* fixtures.
root = fixtures_root();
d = dir(fullfile(root, 'bg_*'));
tests = cell(0, 2);
for k = 1:numel(d)
    c = jsondecode(fileread(fullfile(root, d(k).name, 'case.json')));
    if isfield(c.expected, 'returned_mask')
        name = d(k).name;
        tests(end+1, :) = {name, @() bg_case(name)}; %#ok<AGROW>
    end
end
tests = [tests; {
    'compute_bg_errors', @compute_bg_errors
    'integrity_intact', @() integrity_case('integrity_intact')
    'integrity_missing_attributes', @() integrity_case('integrity_missing_attributes')
    'integrity_tampered_fit', @() integrity_case('integrity_tampered_fit')
}];
end

function bg_case(name)
dir = fullfile(fixtures_root(), name);
c = jsondecode(fileread(fullfile(dir, 'case.json')));
p = c.params;
e = c.expected;
tol = c.tolerance;
in = c.inputs;
pha = read_npy(fullfile(dir, in.pha));
args = {'which_data', p.ctor_which_data, 'h5dtype', p.h5dtype};
if any(strcmp(p.ctor_which_data, {'phase,amplitude', 'phase,intensity'}))
    data = {pha, read_npy(fullfile(dir, in.amp))};
    if isfield(in, 'bg_pha')
        args = [args, {'bg_data', {read_npy(fullfile(dir, in.bg_pha)), read_npy(fullfile(dir, in.bg_amp))}}];
    end
else
    data = pha;
    if isfield(in, 'bg_pha')
        args = [args, {'bg_data', read_npy(fullfile(dir, in.bg_pha))}];
    end
end
meta = meta_cell(p.meta_data);
if ~isempty(meta)
    args = [args, {'meta_data', meta}];
end
q = qpgo.QPImage(data, args{:});
bgargs = {'which_data', p.which_data, 'fit_offset', p.fit_offset, 'fit_profile', p.fit_profile, ...
          'border_m', p.border_m, 'border_perc', p.border_perc, 'border_px', p.border_px};
if p.from_mask
    bgargs = [bgargs, {'from_mask', read_npy(fullfile(dir, in.mask))}];
end
mask = q.computeBg(bgargs{:});
if ~islogical(mask), error('test:fail', 'mask is %s, not logical', class(mask)); end
expect_equal(mask, read_npy(fullfile(dir, e.returned_mask)), [name ' returned mask']);
props = {'pha', 'amp', 'bg_pha', 'bg_amp', 'raw_pha', 'raw_amp'};
for k = 1:numel(props)
    f = props{k};
    ex = read_npy(fullfile(dir, e.(f)));
    r = tol.(f);
    if isfield(r, 'exact') && r.exact
        expect_equal(q.(f), ex, [name ' ' f]);
    else
        expect_close(q.(f), ex, r.atol, r.rtol, [name ' ' f]);
    end
end
end

function m = meta_cell(s)
% case.json meta_data (keys mangled by jsondecode) -> {'key', value, ...}
keys = {'medium index', 'pixel size', 'time', 'wavelength', 'angle', 'date', 'device', ...
        'focus', 'identifier', 'numerical aperture', 'pos x', 'pos y', 'qpimage version', ...
        'sim center', 'sim index', 'sim model', 'sim radius', 'software'};
m = {};
if isempty(s) || ~isstruct(s), return; end
f = fieldnames(s);
for k = 1:numel(keys)
    fn = matlab.lang.makeValidName(keys{k});
    if isfield(s, fn)
        m = [m, {keys{k}, s.(fn)}]; %#ok<AGROW>
    end
end
if numel(m) / 2 ~= numel(f)
    error('test:fail', 'unmapped meta key in fixture');
end
end

function compute_bg_errors()
q = qpgo.QPImage(zeros(6, 8), 'proc_phase', false);
expect_error(@() q.computeBg('which_data', 'phase'), 'qpgo:badArgument', 'no border nor mask');
expect_error(@() q.computeBg('border_m', 1e-6), 'qpgo:metaDataMissing', 'border_m without pixel size');
expect_error(@() q.computeBg('border_px', 1, 'colour', 'red'), 'qpgo:unknownKey', 'unknown option');
expect_error(@() q.computeBg('border_px', 1, 'from_mask', true(2)), 'qpgo:badArgument', 'mask size');
expect_error(@() q.computeBg('border_px'), 'qpgo:badArgument', 'odd pairs');
m = q.computeBg('border_px', 1);
expect_equal(size(m), [6 8], 'mask size');
expect_equal(nnz(m), 6 * 8 - 4 * 6, 'border mask count');
expect_equal(m(1, end) && ~m(2, 2), true, 'mask orientation');
end

function integrity_case(name)
dir = fullfile(fixtures_root(), name);
c = jsondecode(fileread(fullfile(dir, 'case.json')));
file = fullfile(dir, c.inputs.file);
checks = fieldnames(c.expected.checks);
q = qpgo.QPImage.open(file, 'r');
for k = 1:numel(checks)
    ex = c.expected.checks.(checks{k});
    if ex.passed
        q.check(checks{k});
        qpgo.QPImage.checkFile(file, checks{k});
    else
        err = expect_error(@() q.check(checks{k}), 'qpgo:integrity', [name ' ' checks{k}]);
        expect_equal(strtrim(strrep(err.message, 'qpgo_mex: ', '')), ex.message, [name ' message']);
        expect_error(@() qpgo.QPImage.checkFile(file, checks{k}), 'qpgo:integrity', [name ' file']);
    end
end
expect_error(@() q.check('nonsense'), 'qpgo:badArgument', 'unknown check');
end
