function tests = test_exit()
%TEST_EXIT objects still alive when Octave exits are closed cleanly: a
%   child Octave leaves QPImage/QPSeries/FLImage/ImageSeries objects alive
%   (plain and global variables, a member view, a processed series over its
%   base, reference cycles whose delete never runs, a file-backed image
%   written in mode 'w'), exits by exit(0) or at the end of its script, and
%   must print nothing but its own line ("error: ignoring const
%   execution_exception& while preparing to exit", "warning: error caught
%   while executing handle class delete method", ... fail) with status 0;
%   the files it left open must then be complete.
%   `clear mex` / `clear all` must not invalidate live objects.
tests = {
    'exit_call_with_live_objects', @() child_exit(true)
    'end_of_script_with_live_objects', @() child_exit(false)
    'error_exit_status_kept', @error_exit_status
    'clear_mex_keeps_handles', @clear_mex_keeps_handles
    'close_all_at_exit', @close_all_at_exit
};
end

function [status, out] = run_child(body)
% runs body in a fresh octave-cli (same gateway and classes); returns the
% exit status and everything it printed (stdout and stderr)
mexdir = fileparts(which('qpgo_mex'));
here = fileparts(fileparts(mfilename('fullpath')));
script = [tempname() '.m'];
fid = fopen(script, 'w');
fprintf(fid, 'addpath(''%s''); addpath(''%s'');\n%s\n', mexdir, here, body);
fclose(fid);
cl = onCleanup(@() delete(script));
% --no-history: Octave 7.3 itself prints the "ignoring const
% execution_exception" line when it cannot save the command history at
% exit (its directory ~/.local/share/octave missing), with or without qpgo.
[status, out] = system(sprintf('octave-cli --no-gui --norc --quiet --no-history %s 2>&1', script));
end

function body = live_objects(qfile, sfile, ifile, final)
body = strjoin({
    sprintf('q = qpgo.QPImage(reshape(1:12, 3, 4) / 10, ''h5file'', ''%s'', ''h5mode'', ''w'', ''meta_data'', struct(''wavelength'', 5.5e-7));', qfile)
    'q.setMeta(''time'', 2.5);'
    'global G; G = qpgo.QPImage(ones(5));'
    sprintf('qps = qpgo.QPSeries(''h5file'', ''%s'', ''h5mode'', ''w'');', sfile)
    'qps.add(qpgo.QPImage(magic(4) / 20), ''identifier'', ''m4'');'
    'v = qps.get(1);'
    'fl = qpgo.FLImage(magic(3));'
    'ims = qpgo.ImageSeries.fromArray(uint16(reshape(1:24, 2, 3, 4)));'
    'p = ims.process({''flip'', ''h''}, [2 3]);'
    'clear ims;'
    % a reference cycle: the map holds itself, so no delete ever runs
    'm = containers.Map(); m(''self'') = m; m(''img'') = qpgo.QPImage(zeros(2), ''h5dtype'', ''float64'');'
    sprintf('c = containers.Map(); c(''self'') = c; c(''q'') = qpgo.QPImage(eye(3) * 0.5, ''h5file'', ''%s'', ''h5mode'', ''w'');', ifile)
    'clear m c;'
    'disp(''child done'');'
    final}, sprintf('\n'));
end

function check_clean(status, out, what)
lines = strsplit(strtrim(out), sprintf('\n'));
if status ~= 0
    error('test:fail', '%s: child exit status %d, output:\n%s', what, status, out);
end
if ~isequal(lines, {'child done'})
    error('test:fail', '%s: child printed more than its own line:\n%s', what, out);
end
end

function child_exit(explicit)
qfile = tmp_h5();
sfile = tmp_h5();
ifile = tmp_h5();
cl = onCleanup(@() cellfun(@(f) delete_if(f), {qfile, sfile, ifile}));
final = '';
if explicit, final = 'exit(0);'; end
[status, out] = run_child(live_objects(qfile, sfile, ifile, final));
check_clean(status, out, 'live objects at exit');
% the files the child left open are complete and pass the integrity checks
qpgo.QPImage.checkFile(qfile, 'background');
r = qpgo.QPImage.open(qfile);
expect_close(r.pha, reshape(1:12, 3, 4) / 10, 1e-6, 0, 'pha written by the child');
expect_equal(r.meta('time'), 2.5, 'meta set by the child');
expect_equal(r.meta('wavelength'), 5.5e-7, 'meta given by the child');
r.close();
s = qpgo.QPSeries.open(sfile);
expect_equal(s.identifiers, {'m4'}, 'series member written by the child');
expect_close(s.get(1).pha, magic(4) / 20, 1e-6, 0, 'series member pha');
s.close();
% the image held only by a reference cycle (its delete never ran)
c = qpgo.QPImage.open(ifile);
expect_close(c.pha, eye(3) * 0.5, 1e-7, 0, 'image of a reference cycle');
c.close();
end

function delete_if(f)
if exist(f, 'file'), delete(f); end
end

function error_exit_status()
% an error exit keeps its status and prints the user's error only
[status, out] = run_child('q = qpgo.QPImage(ones(3)); exit(3);');
expect_equal(status, 3, 'exit status');
expect_equal(strtrim(out), '', 'output of exit(3)');
[status, out] = run_child('q = qpgo.QPImage(ones(3)); q.meta(''no such key'');');
expect_equal(status ~= 0, true, 'an uncaught error fails the child');
expect_equal(isempty(strfind(out, 'ignoring')), true, ['no exit noise after an error: ' out]);
expect_equal(isempty(strfind(out, 'delete method')), true, ['no delete warning after an error: ' out]);
end

function clear_mex_keeps_handles()
q = qpgo.QPImage(magic(3) / 10);
ims = qpgo.ImageSeries.fromArray(uint8(magic(4)));
clear('qpgo_mex');
clear('mex');
expect_close(q.pha, magic(3) / 10, 1e-6, 0, 'QPImage after clear mex');
expect_equal(ims.frame(1), uint8(magic(4)), 'ImageSeries after clear mex');
end

function close_all_at_exit()
% what the gateway's mexAtExit runs: every handle closed, newest first (a
% processed series before its base, a view before its series); the
% objects' delete methods then find their handles closed and stay quiet
[status, out] = run_child(strjoin({
    'q = qpgo.QPImage(ones(3)); qps = qpgo.QPSeries(); qps.add(q); v = qps.get(1);'
    'ims = qpgo.ImageSeries.fromArray(uint8(magic(4))); p = ims.process({''flip'', ''v''});'
    'n = qpgo_mex(''close_all'');'
    'try, q.pha; disp(''open''); catch e, disp(e.identifier); end'
    'try, p.frame(1); disp(''open''); catch e, disp(e.identifier); end'
    'fprintf(''%d\n'', n); disp(''child done'');'
    }, sprintf('\n')));
lines = strsplit(strtrim(out), sprintf('\n'));
expect_equal(status, 0, ['exit status; output: ' out]);
expect_equal(lines, {'qpgo:badHandle', 'qpgo:badHandle', '5', 'child done'}, ['child output: ' out]);
end
