function tests = test_errors()
%TEST_ERRORS every failure is a MATLAB error with a qpgo:* identifier and
%   Octave keeps running.
tests = {
    'unknown_meta_key', @unknown_meta_key
    'missing_meta', @missing_meta
    'closed_object', @closed_object
    'missing_file', @missing_file
    'bad_mode', @bad_mode
    'not_hdf5', @not_hdf5
    'read_only_set_meta', @read_only
    'wrong_data_types', @wrong_data_types
    'bad_options', @bad_options
    'mex_arguments', @mex_arguments
    'empty_object', @empty_object
};
end

function q = img()
q = qpgo.QPImage(zeros(3, 4), 'proc_phase', false, 'meta_data', struct('wavelength', 5e-7));
end

function unknown_meta_key()
q = img();
expect_error(@() q.setMeta('no such key', 1), 'qpgo:unknownKey', 'setMeta double');
expect_error(@() q.setMeta('no such key', 'x'), 'qpgo:unknownKey', 'setMeta string');
expect_error(@() q.setMeta('no such key', [1 2]), 'qpgo:unknownKey', 'setMeta array');
expect_error(@() q.meta('no such key'), 'qpgo:unknownKey', 'meta');
expect_error(@() qpgo.QPImage(zeros(2), 'proc_phase', false, 'meta_data', {'colour', 1}), ...
             'qpgo:unknownKey', 'constructor meta_data');
end

function missing_meta()
q = img();
err = expect_error(@() q.meta('pixel size'), 'qpgo:metaDataMissing', 'meta');
if isempty(strfind(err.message, 'pixel size'))
    error('test:fail', 'message does not name the key: %s', err.message);
end
end

function closed_object()
q = img();
q.close();
q.close();   % idempotent
expect_error(@() q.pha, 'qpgo:badHandle', 'pha');
expect_error(@() q.meta('wavelength'), 'qpgo:badHandle', 'meta');
expect_error(@() q.setMeta('time', 1), 'qpgo:badHandle', 'setMeta');
expect_error(@() q.copy(), 'qpgo:badHandle', 'copy');
expect_error(@() char(q), 'qpgo:badHandle', 'repr');
expect_error(@() qpgo_mex('qpi_close', int64(987654321)), 'qpgo:badHandle', 'close unknown handle');
expect_error(@() qpgo_mex('qpi_shape', int64(0)), 'qpgo:badHandle', 'handle 0');
end

function missing_file()
expect_error(@() qpgo.QPImage.open('/nonexistent/dir/missing.h5', 'r'), 'qpgo:io', 'open missing');
expect_error(@() qpgo.QPImage.open(fullfile(tempdir(), 'qpgo_missing_file.h5')), 'qpgo:io', 'open missing r');
end

function bad_mode()
p = tmp_h5();
c = onCleanup(@() delete(p));
q = qpgo.QPImage(zeros(2), 'proc_phase', false, 'h5file', p, 'h5mode', 'w');
q.close();
expect_error(@() qpgo.QPImage.open(p, 'zz'), 'qpgo:badArgument', 'open bad mode');
expect_error(@() qpgo.QPImage(zeros(2), 'proc_phase', false, 'h5file', tmp_h5(), 'h5mode', 'q'), ...
             'qpgo:badArgument', 'constructor bad mode');
end

function not_hdf5()
p = [tempname() '.h5'];
c = onCleanup(@() delete(p));
fid = fopen(p, 'w'); fprintf(fid, 'this is not hdf5\n'); fclose(fid);
expect_error(@() qpgo.QPImage.open(p, 'r'), 'qpgo:io', 'open text file');
end

function read_only()
src = fullfile(fixtures_root(), 'h5_qpimage_full', 'qpimage.h5');
q = qpgo.QPImage.open(src, 'r');
expect_error(@() q.setMeta('time', 2), 'qpgo:io', 'setMeta on read-only file');
expect_equal(q.meta('time'), 1.5, 'time unchanged');
end

function wrong_data_types()
expect_error(@() qpgo.QPImage('abc'), 'qpgo:badArgument', 'char data');
expect_error(@() qpgo.QPImage({1, 2}), 'qpgo:badArgument', 'cell data (phase)');
expect_error(@() qpgo.QPImage(struct('a', 1)), 'qpgo:badArgument', 'struct data');
expect_error(@() qpgo.QPImage(true(3)), 'qpgo:badArgument', 'logical data');
expect_error(@() qpgo.QPImage(complex(ones(3), 1), 'proc_phase', false), 'qpgo:badArgument', 'complex phase');
expect_error(@() qpgo.QPImage(ones(3), 'which_data', 'phase,amplitude'), 'qpgo:badArgument', '2-D for two arrays');
expect_error(@() qpgo.QPImage({ones(3), ones(2)}, 'which_data', 'phase,amplitude'), 'qpgo:badArgument', 'size mismatch');
expect_error(@() qpgo.QPImage(ones(3), 'which_data', 'nonsense', 'proc_phase', false), 'qpgo:badArgument', 'which_data');
expect_error(@() qpgo.QPImage(ones(3), 'bg_data', ones(2), 'proc_phase', false), 'qpgo:badArgument', 'bg size');
expect_error(@() qpgo.QPImage(ones(3), 'bg_data', 'x', 'proc_phase', false), 'qpgo:badArgument', 'bg char');
q = qpgo.QPImage(single(ones(3)), 'proc_phase', false);   % numeric classes convert
expect_equal(q.pha, ones(3), 'single data');
% the gateway itself is strict: doubles only
expect_error(@() qpgo_mex('qpi_new', 'phase', single(ones(3)), [], ''), 'qpgo:badArgument', 'mex single');
expect_error(@() qpgo_mex('qpi_new', 'phase', int8(ones(3)), [], ''), 'qpgo:badArgument', 'mex int8');
expect_error(@() qpgo_mex('qpi_new', 'phase', 'abc', [], ''), 'qpgo:badArgument', 'mex char');
expect_error(@() qpgo_mex('qpi_new', 'phase', {1}, [], ''), 'qpgo:badArgument', 'mex cell');
expect_error(@() qpgo_mex('qpi_new', 'phase', [], [], ''), 'qpgo:badArgument', 'mex empty');
expect_error(@() qpgo_mex('qpi_new', 'phase', 1i * ones(2), [], ''), 'qpgo:badArgument', 'mex complex');
expect_error(@() qpgo_mex('qpi_new', 'phase', ones(2), [], '', [3 3]), 'qpgo:badArgument', 'mex dims numel');
end

function bad_options()
expect_error(@() qpgo.QPImage(ones(2), 'colour', 1), 'qpgo:badArgument', 'unknown option');
expect_error(@() qpgo.QPImage(ones(2), 'proc_phase'), 'qpgo:badArgument', 'odd pairs');
expect_error(@() qpgo.QPImage(ones(2), 'h5dtype', 'int8', 'proc_phase', false), 'qpgo:badArgument', 'h5dtype');
expect_error(@() qpgo.QPImage(ones(2), 'meta_data', 5, 'proc_phase', false), 'qpgo:badArgument', 'meta_data class');
expect_error(@() qpgo_mex('qpi_new', 'phase', ones(2), [], '{"nope": 1}'), 'qpgo:unknownKey', 'unknown JSON option');
expect_error(@() qpgo_mex('qpi_new', 'phase', ones(2), [], '{bad json'), 'qpgo:badArgument', 'bad JSON');
end

function mex_arguments()
expect_error(@() qpgo_mex(), 'qpgo:badArgument', 'no args');
expect_error(@() qpgo_mex(5), 'qpgo:badArgument', 'numeric command');
expect_error(@() qpgo_mex('no_such_command'), 'qpgo:badArgument', 'unknown command');
expect_error(@() qpgo_mex('qpi_open'), 'qpgo:badArgument', 'too few');
expect_error(@() qpgo_mex('qpi_open', 'a', 'r', 'x'), 'qpgo:badArgument', 'too many');
expect_error(@() qpgo_mex('qpi_open', 5), 'qpgo:badArgument', 'numeric path');
expect_error(@() qpgo_mex('qpi_shape', 'h'), 'qpgo:badArgument', 'char handle');
expect_error(@() qpgo_mex('qpi_shape', [1 2]), 'qpgo:badArgument', 'vector handle');
expect_error(@() qpgo_mex('qpi_shape', 1.5), 'qpgo:badArgument', 'fractional handle');
q = img();
expect_error(@() qpgo_mex('qpi_get', q.id, 'nope'), 'qpgo:unknownKey', 'unknown property (the library names it)');
fl = qpgo.FLImage(ones(2));
expect_error(@() qpgo_mex('fli_get', fl.id, 'nope'), 'qpgo:unknownKey', 'unknown FLImage property');
expect_error(@() qpgo_mex('qpi_get', q.id, 5), 'qpgo:badArgument', 'numeric property');
expect_error(@() qpgo_mex('qpi_set_meta_double', q.id, 'time', 'x'), 'qpgo:badArgument', 'char value');
expect_error(@() qpgo_mex('qpi_set_meta_double', q.id, 'time', [1 2]), 'qpgo:badArgument', 'vector value');
expect_error(@() qpgo_mex('qpi_get_bg', q.id, 'colour', 'data'), 'qpgo:badArgument', 'bad bg image');
expect_error(@() qpgo_mex('qpi_slice', q.id, [1 2]), 'qpgo:badArgument', 'bad ranges');
slice_check(q);
expect_equal(qpgo_mex('qpi_shape', q.id), [3 4], 'octave survived');
end

function empty_object()
q = qpgo.QPImage();
expect_error(@() q.pha, 'qpgo:badHandle', 'empty object pha');
s = evalc('disp(q)');
if isempty(strfind(s, 'empty')), error('test:fail', 'disp: %s', s); end
end

function slice_check(q)
s = qpgo_mex('qpi_slice', q.id, [0 2 1; 1 4 1]);
expect_equal(qpgo_mex('qpi_shape', s), [2 3], 'slice shape');
qpgo_mex('qpi_close', s);
end
