function tests = test_retrieval_fixtures()
%TEST_RETRIEVAL_FIXTURES qpgo.QPImage retrieval and refocus against every
%   oah_*, qlsi_* and refocus_* case of ../shared/fixtures (expected values
%   made by qpimage 0.9.3 / qpretrieve 0.3.2 / nrefocus 0.5.3): every
%   filter (disk, smooth disk, gauss, square, smooth square, tukey), filter
%   size and its interpretation, sideband_freq, invert_phase, padding
%   false/true/1, scale_to_filter, a background hologram, the deprecated
%   holo_kw; QLSI with and without reference and with a tukey filter;
%   refocus with both kernels, with and without padding, odd sizes, and
%   the meta data of the result. qpretrieve_kw is passed in each of its
%   three forms (struct, containers.Map, cell) across the cases.
root = fixtures_root();
d = dir(root);
tests = cell(0, 2);
n = 0;
for k = 1:numel(d)
    name = d(k).name;
    if ~d(k).isdir || isempty(regexp(name, '^(oah_|qlsi_|refocus_(helmholtz|fresnel))', 'once')), continue; end
    c = jsondecode(fileread(fullfile(root, name, 'case.json')));
    c.dir = fullfile(root, name);
    n = n + 1;
    form = mod(n, 3);
    if strncmp(name, 'refocus', 7)
        tests(end+1, :) = {name, @() refocus_case(c, name)}; %#ok<AGROW>
    else
        tests(end+1, :) = {name, @() raw_case(c, name, form)}; %#ok<AGROW>
    end
end
if size(tests, 1) < 25
    error('test:fixtures', 'only %d retrieval fixture cases found under %s', size(tests, 1), root);
end
end

function kw = kw_form(s, form)
% the qpretrieve_kw struct s as a struct (0), containers.Map (1) or cell (2)
% (jsondecode turns "pixel size"-like names into valid field names; the
% qpretrieve names have none)
if isempty(s) || ~isstruct(s), s = struct(); end
f = fieldnames(s);
v = struct2cell(s);
for k = 1:numel(v)
    if isnumeric(v{k}) && numel(v{k}) > 1
        v{k} = reshape(v{k}, 1, []);     % sideband_freq [fx fy]
    end
end
switch form
    case 0
        kw = cell2struct(v, f, 1);
    case 1
        kw = containers.Map('KeyType', 'char', 'ValueType', 'any');
        for k = 1:numel(f), kw(f{k}) = v{k}; end
    otherwise
        kw = reshape([f'; v'], 1, []);
end
end

function check_images(q, c, what)
e = c.expected;
t = c.tolerance;
for p = {'raw_pha', 'raw_amp', 'bg_pha', 'bg_amp', 'pha', 'amp'}
    f = p{1};
    if isfield(e, f)
        expect_close(q.(f), read_npy(fullfile(c.dir, e.(f))), t.(f).atol, t.(f).rtol, [what ' ' f]);
    end
end
expect_equal(q.shape, e.shape(:)', [what ' shape']);
expect_equal(q.dtype, e.storage_dtype, [what ' dtype']);
end

function raw_case(c, name, form)
p = c.params;
if isfield(c.inputs, 'holo')
    data = read_npy(fullfile(c.dir, c.inputs.holo));
    ref = 'bg_holo';
else
    data = read_npy(fullfile(c.dir, c.inputs.qlsi));
    ref = 'qlsi_ref';
end
args = {'which_data', p.which_data, 'qpretrieve_kw', kw_form(p.qpretrieve_kw, form)};
if isfield(p, 'holo_kw')
    % the deprecated alias alone (qpimage maps it onto qpretrieve_kw)
    args = {'which_data', p.which_data, 'holo_kw', kw_form(p.holo_kw, form)};
end
if isfield(c.inputs, ref)
    args = [args, {'bg_data', read_npy(fullfile(c.dir, c.inputs.(ref)))}];
end
if isfield(p, 'h5dtype'), args = [args, {'h5dtype', p.h5dtype}]; end
if isfield(p, 'proc_phase'), args = [args, {'proc_phase', logical(p.proc_phase)}]; end
q = qpgo.QPImage(data, args{:});
check_images(q, c, name);
end

function refocus_case(c, name)
p = c.params;
field = read_npy(fullfile(c.dir, c.inputs.field));
m = p.meta_data;
q = qpgo.QPImage(field, 'which_data', 'field', 'meta_data', ...
    {'wavelength', m.wavelength, 'pixel size', m.(matlab.lang.makeValidName('pixel size')), ...
     'medium index', m.(matlab.lang.makeValidName('medium index')), ...
     'time', m.time, 'identifier', m.identifier});
r = q.refocus(p.distance, 'kernel', p.kernel, 'padding', logical(p.padding));
check_images(r, c, name);
% meta data of the result: every key and value as qpimage writes them
em = c.expected.meta;
got = r.meta();
gk = got.keys();
valid = cellfun(@matlab.lang.makeValidName, gk, 'UniformOutput', false);  % as jsondecode names fields
expect_equal(sort(valid), sort(fieldnames(em))', [name ' meta keys']);
for k = 1:numel(gk)
    if strcmp(gk{k}, 'qpimage version'), continue; end     % the library's own version
    expect_equal(got(gk{k}), em.(valid{k}).value, sprintf('%s meta %s', name, gk{k}));
end
end
