function [v, n] = version()
%VERSION qpgo library version string ("0.1.0") and number (MAJOR*10000+MINOR*100+PATCH).
v = qpgo_mex('version');
if nargout > 1
    n = qpgo_mex('version_number');
end
end
