function a = read_npy(path, native)
%READ_NPY minimal .npy reader: float32/float64/complex128, bool,
%   (u)int8/16/32/64 of either byte order; C order or Fortran order; returns double (or
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
% descr: byte order ('<', '>', '|', '=') + kind + size
bo = descr{1}(1);
code = descr{1}(2:end);
if bo == '>'
    fseek(fid, 0, 'cof');
    pos = ftell(fid);
    fclose(fid);
    fid = fopen(path, 'r', 'ieee-be');
    c = onCleanup(@() fclose(fid));
    fseek(fid, pos, 'bof');
end
types = {'i1', 'int8'; 'u1', 'uint8'; 'i2', 'int16'; 'u2', 'uint16'; 'i4', 'int32'; ...
         'u4', 'uint32'; 'i8', 'int64'; 'u8', 'uint64'; 'f4', 'single'; 'f8', 'double'};
k = find(strcmp(code, types(:, 1)), 1);
if ~isempty(k)
    cls = types{k, 2};
    prec = cls;
    if strcmp(cls, 'single'), prec = 'float32'; elseif strcmp(cls, 'double'), prec = 'float64'; end
    v = fread(fid, n, [prec '=>' cls]);
    if ~native, v = double(v); end
elseif strcmp(code, 'c16')
    w = fread(fid, 2 * n, 'float64=>double');
    v = complex(w(1:2:end), w(2:2:end));
elseif strcmp(code, 'b1')
    v = logical(fread(fid, n, 'uint8'));
else
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
