function d = fixtures_root()
%FIXTURES_ROOT <repo>/../shared/fixtures (fails loudly when missing).
here = fileparts(mfilename('fullpath'));          % <repo>/bindings/matlab/tests
repo = fileparts(fileparts(fileparts(here)));
d = fullfile(fileparts(repo), 'shared', 'fixtures');
if ~exist(fullfile(d, 'README.md'), 'file')
    error('test:fixtures', 'upstream fixtures not found at %s', d);
end
end
