function a = read_npy(path, native)
%READ_NPY minimal .npy reader: little-endian float32/float64/complex128,
%   bool, (u)int8/16/32/64; C order or Fortran order; returns double (or
%   logical for bool) with the array's shape (1-D -> column vector).
%   read_npy(path, true): keep the stored class (uint16, single, ...).
if nargin < 2, native = false; end
fid = fopen(path, 'r', 'ieee-le');
if fid < 0
    error('test:npy', 'cannot open %s', path);
end
c = onCleanup(@() fclose(fid));
magic = fread(fid, 6, 'uint8=>char')';
if ~strcmp(magic, [char(147) 'NUMPY'])
    error('test:npy', '%s is not a .npy file', path);
end
ver = fread(fid, 2, 'uint8');
if ver(1) == 1
    hlen = fread(fid, 1, 'uint16');
else
    hlen = fread(fid, 1, 'uint32');
end
hdr = fread(fid, hlen, 'uint8=>char')';
descr = regexp(hdr, '''descr'':\s*''([^'']*)''', 'tokens', 'once');
fortran = ~isempty(regexp(hdr, '''fortran_order'':\s*True', 'once'));
shp = regexp(hdr, '''shape'':\s*\(([^\)]*)\)', 'tokens', 'once');
shape = str2num(['[' shp{1} ']']); %#ok<ST2NM>
n = prod(shape);
ints = {'|i1', 'int8'; '|u1', 'uint8'; '<i2', 'int16'; '<u2', 'uint16'; '<i4', 'int32'; ...
        '<u4', 'uint32'; '<i8', 'int64'; '<u8', 'uint64'};
k = find(strcmp(descr{1}, ints(:, 1)), 1);
if native && ~isempty(k)
    v = fread(fid, n, [ints{k, 2} '=>' ints{k, 2}]);
elseif native && strcmp(descr{1}, '<f4')
    v = fread(fid, n, 'float32=>single');
elseif ~isempty(k) && ~any(strcmp(descr{1}, {'<i8', '<i4', '|u1'}))
    v = double(fread(fid, n, [ints{k, 2} '=>' ints{k, 2}]));
else
switch descr{1}
    case '<f8', v = fread(fid, n, 'float64=>double');
    case '<f4', v = double(fread(fid, n, 'float32=>single'));
    case '<c16'
        w = fread(fid, 2 * n, 'float64=>double');
        v = complex(w(1:2:end), w(2:2:end));
    case '|b1', v = logical(fread(fid, n, 'uint8'));
    case '<i8', v = double(fread(fid, n, 'int64=>int64'));
    case '<i4', v = fread(fid, n, 'int32=>double');
    case '|u1', v = fread(fid, n, 'uint8=>double');
    otherwise
        error('test:npy', '%s: unsupported dtype %s', path, descr{1});
end
end
if numel(v) ~= n
    error('test:npy', '%s: truncated', path);
end
if isempty(shape)
    a = v;
elseif numel(shape) == 1
    a = reshape(v, shape, 1);
elseif fortran
    a = reshape(v, shape);
else
    a = permute(reshape(v, fliplr(shape)), numel(shape):-1:1);
end
end
