function [npass, nfail] = run_all()
%RUN_ALL run every tests/test_*.m of the qpgo MATLAB binding.
%   Each test file is a function returning a cell array {name, @fn; ...}.
%   Prints one line per test and finally "octave: N passed, M failed".
here = fileparts(mfilename('fullpath'));
files = dir(fullfile(here, 'test_*.m'));
npass = 0;
nfail = 0;
failed = {};
for f = 1:numel(files)
    [~, mod] = fileparts(files(f).name);
    try
        tests = feval(mod);
    catch err
        nfail = nfail + 1;
        failed{end+1} = mod; %#ok<AGROW>
        fprintf('FAIL %s (loading): %s: %s\n', mod, err.identifier, err.message);
        continue;
    end
    for t = 1:size(tests, 1)
        name = sprintf('%s/%s', mod, tests{t, 1});
        try
            tests{t, 2}();
            npass = npass + 1;
            fprintf('PASS %s\n', name);
        catch err
            nfail = nfail + 1;
            failed{end+1} = name; %#ok<AGROW>
            fprintf('FAIL %s: [%s] %s\n', name, err.identifier, err.message);
        end
    end
end
if nfail > 0
    fprintf('failed tests:\n');
    fprintf('  %s\n', failed{:});
end
fprintf('octave: %d passed, %d failed\n', npass, nfail);
end
