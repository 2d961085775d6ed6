function err = expect_error(fn, id, what)
%EXPECT_ERROR fn() must raise an error with identifier id.
if nargin < 3, what = func2str(fn); end
try
    fn();
catch err
    if ~strcmp(err.identifier, id)
        error('test:fail', '%s: expected error %s, got [%s] %s', what, id, err.identifier, err.message);
    end
    if isempty(err.message)
        error('test:fail', '%s: error %s without message', what, id);
    end
    return;
end
error('test:fail', '%s: expected error %s, none raised', what, id);
end
