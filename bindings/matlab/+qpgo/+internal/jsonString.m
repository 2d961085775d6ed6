function s = jsonString(v)
    %JSONSTRING (internal) char -> JSON string literal.
    s = strrep(v, '\', '\\');
    s = strrep(s, '"', '\"');
    s = strrep(s, sprintf('\n'), '\n');
    s = strrep(s, sprintf('\r'), '\r');
    s = strrep(s, sprintf('\t'), '\t');
    ctl = find(double(s) < 32);
    for k = numel(ctl):-1:1
        s = [s(1:ctl(k)-1) sprintf('\\u%04x', double(s(ctl(k)))) s(ctl(k)+1:end)];
    end
    s = ['"' s '"'];
end
