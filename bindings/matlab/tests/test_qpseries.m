function tests = test_qpseries()
%TEST_QPSERIES qpgo.QPSeries: upstream file, building series, 1-based indices, errors.
tests = {
    'fixture_h5_qpseries', @fixture
    'build_with_bg_from_idx', @build_bg_from_idx
    'in_memory_series', @in_memory
    'meta_data_option', @meta_option
    'index_errors', @index_errors
    'closed_series', @closed_series
};
end

function fixture()
d = fullfile(fixtures_root(), 'h5_qpseries');
c = jsondecode(fileread(fullfile(d, 'case.json')));
e = c.expected;
s = qpgo.QPSeries.open(fullfile(d, e.file), 'r');
expect_equal(numel(s), e.length, 'numel');
expect_equal(length(s), 3, 'length');
expect_equal(s.identifier, e.identifier, 'series identifier');
expect_equal(s.identifiers, reshape(e.member_identifiers, 1, []), 'member identifiers');
expect_equal(s.contains('img2'), e.contains_img2, 'contains img2');
expect_equal(s.contains('nope'), false, 'contains nope');
for k = 0:2
    m = s.get(k + 1);   % 1-based
    pre = sprintf('member%d_', k);
    for p = {'raw_pha', 'raw_amp', 'pha', 'amp', 'bg_pha', 'bg_amp'}
        f = [pre p{1}];
        if isfield(e, f)
            expect_equal(m.(p{1}), read_npy(fullfile(d, e.(f))), f);
        end
    end
    expect_equal(char(m), e.([pre 'repr']), [pre 'repr']);
end
% member by identifier is the same image
a = s.get('img2');
b = s.get(2);
expect_equal(a.pha, b.pha, 'get by identifier');
expect_equal(isequal(a, b), true, 'isequal views');
expect_error(@() s.get('nope'), 'qpgo:notFound', 'missing identifier');
s.close();
end

function qpi = make(scale, id)
pha = scale * reshape(linspace(0, 1, 30), 5, 6);
qpi = qpgo.QPImage({pha, ones(5, 6)}, 'which_data', 'phase,amplitude', ...
                   'bg_data', {0.1 * ones(5, 6), 2 * ones(5, 6)}, ...
                   'meta_data', struct('wavelength', 550e-9, 'identifier', id));
end

function build_bg_from_idx()
p = tmp_h5();
cl = onCleanup(@() delete(p));
s = qpgo.QPSeries('h5file', p, 'h5mode', 'w', 'identifier', 'built');
q1 = make(1, 'a');
q2 = qpgo.QPImage(2 * ones(5, 6), 'meta_data', struct('wavelength', 550e-9, 'identifier', 'b'));
s.add(q1);
s.add(q2, 'bg_from_idx', 1);         % 1-based: the first member
s.add(q2, 'identifier', 'c');
expect_equal(numel(s), 3, 'numel after add');
expect_equal(s.identifiers, {'a', 'b', 'c'}, 'identifiers');
expect_error(@() s.add(q2), 'qpgo:badArgument', 'duplicate identifier');
expect_error(@() s.add(q2, 'identifier', 'd', 'bg_from_idx', 9), 'qpgo:notFound', 'bg_from_idx out of range');
s.close();
r = qpgo.QPSeries.open(p);
expect_equal(r.identifier, 'built', 'identifier from file');
m1 = r.get(1);
m2 = r.get(2);
m3 = r.get(3);
expect_close(m2.bg_pha, m1.bg_pha, 0, 0, 'linked phase background');
expect_close(m2.bg_amp, m1.bg_amp, 0, 0, 'linked amplitude background');
expect_close(m2.pha, 2 - m1.bg_pha, 1e-6, 0, 'pha of member 2');
expect_close(m3.bg_pha, zeros(5, 6), 0, 0, 'member 3 without background');
expect_equal(m3.meta('identifier'), 'c', 'identifier override');
end

function in_memory()
s = qpgo.QPSeries();
expect_equal(numel(s), 0, 'empty series');
expect_equal(s.identifier, '', 'no identifier');
expect_equal(s.identifiers, cell(1, 0), 'no identifiers');
s.add(make(1, 'x'));
v = s.get(1);
v.setMeta('time', 3.5);   % views are live
expect_equal(s.get('x').meta('time'), 3.5, 'write through view');
clear v
expect_equal(numel(s), 1, 'numel');
end

function meta_option()
p = tmp_h5();
cl = onCleanup(@() delete(p));
s = qpgo.QPSeries('h5file', p, 'h5mode', 'w');
s.add(make(1, 'a'));
s.close();
s = qpgo.QPSeries('h5file', p, 'h5mode', 'a', 'meta_data', struct('time', 0.25));
expect_equal(s.get(1).meta('time'), 0.25, 'meta_data written into existing members');
expect_error(@() qpgo.QPSeries('colour', 1), 'qpgo:badArgument', 'unknown constructor option');
expect_error(@() qpgo.QPSeries('meta_data', {'nokey', 1}), 'qpgo:unknownKey', 'unknown meta key');
end

function index_errors()
s = qpgo.QPSeries();
s.add(make(1, 'a'));
expect_error(@() s.get(0), 'qpgo:badArgument', 'index 0');
expect_error(@() s.get(1.5), 'qpgo:badArgument', 'fractional index');
expect_error(@() s.get(2), 'qpgo:notFound', 'index past the end');
expect_error(@() s.add(make(1, 'b'), 'bg_from_idx', 0), 'qpgo:badArgument', 'bg_from_idx 0');
expect_error(@() s.add(42), 'qpgo:badArgument', 'add a number');
expect_error(@() qpgo.QPSeries.open('/nonexistent/x.h5'), 'qpgo:io', 'open missing');
end

function closed_series()
s = qpgo.QPSeries();
s.add(make(1, 'a'));
v = s.get(1);
s.close();
s.close();   % idempotent
expect_error(@() numel(s), 'qpgo:badHandle', 'numel closed');
expect_error(@() s.get(1), 'qpgo:badHandle', 'get closed');
expect_error(@() s.identifiers, 'qpgo:badHandle', 'identifiers closed');
expect_error(@() v.pha, 'qpgo:badHandle', 'view of a closed series');
end
