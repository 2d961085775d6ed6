% bench_octave.m: W1, W5, W7b and S2 of ../shared/bench/reference.md through
% the MATLAB/Octave API (qpgo.QPImage, qpgo.QPSeries, qpgo.ImageSeries),
% fastest of 5, next to the Go-level time of the same workload
% (`go test -bench` of the benchmarks named in scripts/bench-map.txt) and
% the ratio Octave / Go (target: <= 1.2).
%
%   octave --no-gui --no-history --eval "run('scripts/bench_octave.m')"
%
% from the repository root after `make build`. Needs build/qpgo_mex.mex
% (built by `make test-octave`; built here with mkoctfile when missing).
% QPGO_BENCH_GO=0 skips the Go side, QPGO_BENCH_PY=0 the Python side (the
% same workloads through bindings/python, /usr/bin/python3 with numpy);
% QPGO_BENCH_REPEAT sets the number of runs (default 5). On a shared
% machine compare fastest-of-N figures only.
history_save(false);   % Octave 7 cannot write ~/.local/share/octave/history when the directory is missing
bench_root = pwd();
if ~exist(fullfile(bench_root, 'bindings', 'matlab', 'qpgo_mex.c'), 'file')
    bench_root = fileparts(fileparts(mfilename('fullpath')));
end
bench_build = fullfile(bench_root, 'build');
bench_mex = fullfile(bench_build, 'qpgo_mex.mex');
if ~exist(bench_mex, 'file')
    cmd = sprintf(['mkoctfile --mex -I%s/include %s/bindings/matlab/qpgo_mex.c -L%s -lqpgo ' ...
                   '-Wl,-rpath,%s -o %s'], bench_root, bench_root, bench_build, bench_build, bench_mex);
    if system(cmd) ~= 0
        error('bench_octave: could not build %s', bench_mex);
    end
    delete(fullfile(bench_build, 'qpgo_mex.o'));
end
addpath(bench_build);
addpath(fullfile(bench_root, 'bindings', 'matlab'));

bench_reps = 5;
if ~isempty(getenv('QPGO_BENCH_REPEAT')), bench_reps = str2double(getenv('QPGO_BENCH_REPEAT')); end
bench_tmp = tempname();
mkdir(bench_tmp);

% ---- inputs (reference.md "Inputs") ---------------------------------------
n = 1024;
[bx, by] = ndgrid((0:n-1) - n/2, (0:n-1) - n/2);   % x: row index, y: column index
randn('seed', 47); %#ok<RAND>
truth = 30 * exp(-(bx.^2 + by.^2) / (2 * (n/6)^2)) + 0.01 * bx - 0.02 * by + 0.05 * randn(n);
wrapped = angle(exp(1i * truth));

% W4 file for W5: raw phase (no unwrapping) + poly2o fit, copied to disk
q = qpgo.QPImage(truth, 'proc_phase', false);
q.computeBg('fit_profile', 'poly2o', 'border_px', 20);
w5file = fullfile(bench_tmp, 'w5.h5');
c = q.copy(w5file); c.close(); q.close();

% W7a file for W7b: 100 images of 256x256 phase + amplitude
m = 256;
[sx, sy] = ndgrid((0:m-1) - m/2, (0:m-1) - m/2);
w7file = fullfile(bench_tmp, 'w7a.h5');
qps = qpgo.QPSeries('h5file', w7file, 'h5mode', 'w');
for k = 1:100
    p = angle(exp(1i * (30 * exp(-(sx.^2 + sy.^2) / (2 * (m/6)^2)) + 0.01 * sx - 0.02 * sy + 0.05 * randn(m))));
    a = 1 + 0.05 * randn(m);
    img = qpgo.QPImage({p, a}, 'which_data', 'phase,amplitude', 'meta_data', struct('wavelength', 550e-9));
    qps.add(img, 'identifier', sprintf('img%03d', k - 1));
    img.close();
end
qps.close();

% S1 file for S2: 100 frames 1024x1024 uint16, ~1 % spots
stack = uint16(100 + floor(32 * rand(n, n, 100)));
spots = rand(n, n, 100) < 0.01;
stack(spots) = uint16(1000 + floor(3000 * rand(nnz(spots), 1)));
s2file = fullfile(bench_tmp, 's1.h5');
src = qpgo.ImageSeries.fromArray(stack);
src.write(s2file, 'hdf5', 'path', 'imageseries', 'gzip', 1, 'shuffle', true);
src.close();
clear stack spots src;

% ---- workloads -------------------------------------------------------------
work = {
    'W1',  'QPImage(1024^2 wrapped phase), unwrap',  @() w1(wrapped)
    'W5',  'reopen W4 file, read pha (1024^2)',      @() w5(w5file)
    'W7b', 'reopen series, read pha of 100 (256^2)', @() w7b(w7file)
    'S2',  'open hdf5 series, read 100 frames',      @() s2(s2file)
};
gobench = {'./core/qpimage', 'BenchmarkQPImageW1$', 1
           './core/qpimage', 'BenchmarkReopenReadW5$', 1
           './series/qpseries', 'BenchmarkW7bRead100$', 1
           './series/imageseries', 'BenchmarkS2ReadHDF5100$', 1};

function w1(wrapped)
q = qpgo.QPImage(wrapped);
q.close();
end

function w5(path)
q = qpgo.QPImage.open(path, 'r');
p = q.pha; %#ok<NASGU>
q.close();
end

function w7b(path)
s = qpgo.QPSeries.open(path, 'r');
for k = 1:numel(s)
    p = s.get(k).pha; %#ok<NASGU>
end
s.close();
end

function s2(path)
ims = qpgo.ImageSeries.open(path, 'hdf5', 'path', 'imageseries');
for k = 1:numel(ims)
    f = ims.frame(k); %#ok<NASGU>
end
ims.close();
end

function ms = go_ms(root, pkg, bench)
% fastest ns/op of 5 runs of one Go benchmark, in ms (NaN if go fails)
ms = NaN;
[st, out] = system(sprintf('cd %s && go test -run XXX -bench ''%s'' -benchtime 3x -count 5 %s 2>&1', ...
                           root, bench, pkg));
if st ~= 0, return; end
tok = regexp(out, '\s([0-9.]+) ns/op', 'tokens');
if isempty(tok), return; end
ms = min(cellfun(@(t) str2double(t{1}), tok)) / 1e6;
end

function py = python_ms(root, reps, wrapped_n, w5file, w7file, s2file)
% the same four workloads through the Python binding (qpgo.qpimage,
% qpgo.imageseries), fastest of reps, in ms; NaN when python3 or numpy
% is missing
py = NaN(1, 4);
src = strjoin({
  'import sys, time, numpy as np'
  'sys.path.insert(0, sys.argv[1] + "/bindings/python")'
  'import qpgo.qpimage as qpimage, qpgo.imageseries as imageseries'
  'reps, n = int(sys.argv[2]), int(sys.argv[3])'
  'w5, w7, s2 = sys.argv[4:7]'
  'x, y = np.meshgrid(np.arange(n) - n / 2, np.arange(n) - n / 2, indexing="ij")'
  'rng = np.random.default_rng(47)'
  'p = 30 * np.exp(-(x**2 + y**2) / (2 * (n / 6)**2)) + 0.01 * x - 0.02 * y + rng.normal(0, 0.05, (n, n))'
  'wrapped = np.angle(np.exp(1j * p))'
  'def w1(): qpimage.QPImage(data=wrapped, which_data="phase")'
  'def f5():'
  '    with qpimage.QPImage(h5file=w5, h5mode="r") as q: q.pha'
  'def f7():'
  '    with qpimage.QPSeries(h5file=w7, h5mode="r") as s:'
  '        for q in s: q.pha'
  'def f2():'
  '    ims = imageseries.open(s2, "hdf5", path="imageseries")'
  '    for k in range(len(ims)): ims[k]'
  'out = []'
  'for f in (w1, f5, f7, f2):'
  '    f(); best = 1e9'
  '    for r in range(reps):'
  '        t = time.perf_counter(); f(); best = min(best, time.perf_counter() - t)'
  '    out.append(best * 1000)'
  'print("PYMS", " ".join("%.3f" % v for v in out))'
  }, "\n");
pyfile = [tempname() '.py'];
fid = fopen(pyfile, 'w'); fputs(fid, src); fclose(fid);
[st, out] = system(sprintf('QPGO_LIBRARY=%s/build/libqpgo.so /usr/bin/python3 %s %s %d %d %s %s %s 2>&1', ...
                           root, pyfile, root, reps, wrapped_n, w5file, w7file, s2file));
delete(pyfile);
tok = regexp(out, 'PYMS ([0-9. ]+)', 'tokens', 'once');
if st ~= 0 || isempty(tok)
    fprintf('python side skipped: %s\n', strtrim(out(max(1, end-300):end)));
    return;
end
py = str2double(strsplit(strtrim(tok{1}), ' '));
end

results = zeros(size(work, 1), 2);
for w = 1:size(work, 1)
    work{w, 3}();                       % warm-up (MEX load, FFT plans, page cache)
    best = Inf;
    for r = 1:bench_reps
        t0 = tic;
        work{w, 3}();
        best = min(best, toc(t0));
    end
    results(w, 1) = 1000 * best;
    results(w, 2) = NaN;
    if ~strcmp(getenv('QPGO_BENCH_GO'), '0')
        results(w, 2) = go_ms(bench_root, gobench{w, 1}, gobench{w, 2}) * gobench{w, 3};
    end
end

pyms = NaN(1, 4);
if ~strcmp(getenv('QPGO_BENCH_PY'), '0')
    pyms = python_ms(bench_root, bench_reps, n, w5file, w7file, s2file);
end

fprintf('\nOctave %s, qpgo %s (fastest of %d; Go: fastest of 5 go test runs)\n', OCTAVE_VERSION, qpgo.version(), bench_reps);
fprintf('%-5s %-40s %10s %9s %10s %10s\n', 'id', 'workload', 'octave ms', 'go ms', 'python ms', 'octave/go');
for w = 1:size(work, 1)
    ratio = results(w, 1) / results(w, 2);
    mark = '';
    if isfinite(ratio) && ratio > 1.2, mark = '  (> 1.2)'; end
    fprintf('%-5s %-40s %10.1f %9.1f %10.1f %9.2fx%s\n', work{w, 1}, work{w, 2}, results(w, 1), ...
            results(w, 2), pyms(w), ratio, mark);
end

confirm_recursive_rmdir(false);
rmdir(bench_tmp, 's');
