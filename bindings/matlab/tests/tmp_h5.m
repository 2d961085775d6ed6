function p = tmp_h5()
%TMP_H5 a fresh temporary .h5 path (not created).
p = [tempname() '.h5'];
end
