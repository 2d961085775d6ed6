function tests = test_fixtures()
%TEST_FIXTURES open every upstream-written QPImage file and compare with case.json.
tests = {
    'fixtures_present', @fixtures_present
    'h5_qpimage_full', @() check_case('h5_qpimage_full')
    'h5_qpimage_field', @() check_case('h5_qpimage_field')
    'h5_qpimage_float64', @() check_case('h5_qpimage_float64')
    'h5_qpimage_copy_from_memory', @() check_case('h5_qpimage_copy_from_memory')
    'copy_fixture_to_file', @copy_fixture
};
end

function fixtures_present()
root = fixtures_root();
m = jsondecode(fileread(fullfile(root, 'manifest.json')));
names = arrayfun(@(c) c.name, m.cases, 'UniformOutput', false);
if iscell(m.cases), names = cellfun(@(c) c.name, m.cases, 'UniformOutput', false); end
kinds = {};
for k = 1:numel(names)
    if strncmp(names{k}, 'h5_qpimage', 10), kinds{end+1} = names{k}; end %#ok<AGROW>
end
expect_equal(sort(kinds), sort({'h5_qpimage_copy_from_memory', 'h5_qpimage_field', ...
    'h5_qpimage_float64', 'h5_qpimage_full'}), 'hdf5_qpimage cases in manifest (all tested here)');
end

function check_case(name)
dir = fullfile(fixtures_root(), name);
c = jsondecode(fileread(fullfile(dir, 'case.json')));
e = c.expected;
tol = c.tolerance;
q = qpgo.QPImage.open(fullfile(dir, e.file), 'r');
cl = onCleanup(@() q.close());
expect_equal(q.shape, e.shape(:)', [name ' shape']);
expect_equal(q.dtype, e.storage_dtype, [name ' storage dtype']);
props = {'pha', 'amp', 'bg_pha', 'bg_amp', 'raw_pha', 'raw_amp', 'field'};
for k = 1:numel(props)
    p = props{k};
    if ~isfield(e, p), continue; end
    compare(q.(p), read_npy(fullfile(dir, e.(p))), tol.(p), [name ' ' p]);
end
bgs = {'phase_bg_data', 'phase', 'data'; 'phase_bg_fit', 'phase', 'fit'; ...
       'amplitude_bg_data', 'amplitude', 'data'; 'amplitude_bg_fit', 'amplitude', 'fit'};
for k = 1:size(bgs, 1)
    f = bgs{k, 1};
    if isfield(e, f)
        compare(q.getBg(bgs{k, 2}, bgs{k, 3}), read_npy(fullfile(dir, e.(f))), tol.(f), [name ' ' f]);
    else
        % not stored upstream: the binding must report notFound
        expect_error(@() q.getBg(bgs{k, 2}, bgs{k, 3}), 'qpgo:notFound', [name ' absent ' f]);
    end
end
% meta: keys from the library, expected typed values from case.json
% (jsondecode turns 'pixel size' into a valid field name)
all = q.meta();
keys = all.keys();
expect_equal(numel(keys), numel(fieldnames(e.meta)), [name ' number of meta keys']);
for k = 1:numel(keys)
    fn = matlab.lang.makeValidName(keys{k});
    if ~isfield(e.meta, fn)
        error('test:fail', '%s: meta key %s not expected', name, keys{k});
    end
    ex = e.meta.(fn);
    got = q.meta(keys{k});
    expect_equal(q.metaType(keys{k}), ex.type, [name ' meta type ' keys{k}]);
    ev = ex.value;
    if strcmp(ex.type, 'int64'), ev = int64(ev); end
    if isnumeric(ev), ev = reshape(ev, 1, []); end
    expect_equal(got, ev, [name ' meta ' keys{k}]);
    expect_equal(class(got), class(ev), [name ' meta class ' keys{k}]);
end
% info: names, types, values in order
inf = q.info();
ei = e.info;
expect_equal(size(inf, 1), numel(ei), [name ' info length']);
for k = 1:numel(ei)
    row = ei{k};
    expect_equal(inf{k, 1}, row{1}, sprintf('%s info[%d] name', name, k));
    expect_equal(inf{k, 3}, row{3}, sprintf('%s info[%d] type', name, k));
    ev = row{2};
    if strcmp(row{3}, 'int64'), ev = int64(ev); end
    if isnumeric(ev), ev = reshape(ev, 1, []); end
    expect_equal(inf{k, 2}, ev, sprintf('%s info[%d] value', name, k));
end
if isfield(e, 'repr')
    expect_equal(char(q), e.repr, [name ' repr']);
end
end

function compare(actual, expected, rule, what)
if islogical(expected), expected = double(expected); end
if isfield(rule, 'exact') && rule.exact
    expect_equal(actual, expected, what);
else
    expect_close(actual, expected, rule.atol, rule.rtol, what);
end
end

function copy_fixture()
src = fullfile(fixtures_root(), 'h5_qpimage_full', 'qpimage.h5');
q = qpgo.QPImage.open(src, 'r');
p = tmp_h5();
c = onCleanup(@() delete(p));
k = q.copy(p);
k.close();
r = qpgo.QPImage.open(p, 'r');
expect_equal(r.pha, q.pha, 'copied pha');
expect_equal(r.amp, q.amp, 'copied amp');
expect_equal(r.bg_pha, q.bg_pha, 'copied bg_pha');
expect_equal(r.meta('identifier'), 'cell_A', 'copied identifier');
expect_equal(isequal(q, r), true, 'isequal');
end
