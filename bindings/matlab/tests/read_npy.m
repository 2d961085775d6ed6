function a = read_npy(path)
%READ_NPY minimal .npy reader: little-endian float32/float64/complex128,
%   bool, int64/int32/uint8; C order or Fortran order; returns double (or
%   logical for bool) with the array's shape (1-D -> column vector).
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
