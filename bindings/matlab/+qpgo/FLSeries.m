classdef FLSeries < qpgo.internal.SeriesBase
    %FLSERIES series of fluorescence images (flimage.FLSeries).
    %
    %   fls = qpgo.FLSeries('h5file', path, 'h5mode', 'a', 'identifier', id, 'meta_data', m)
    %   fls = qpgo.FLSeries.open(path, mode)        % mode 'r' (default)
    %   fls.add(fli, 'identifier', id); fli = fls.get(k)  (1-based) | fls.get(id)
    %   numel(fls), length(fls), fls.contains(id), fls.identifier, fls.identifiers
    %
    %   [bg, flint, decay, times] = fls.bleachCorrection('h5out', path, ...
    %       'border_px', 20, 'flscorr', otherSeries, 'progress', @(done, total) false)
    %   fls.denoise('h5file', path, 'progress', fn)
    %
    %   progress: a function handle called as fn(done, total) during the
    %   computation (on the MATLAB thread). Returning true (a non-zero
    %   scalar) cancels: the call raises qpgo:cancelled and an output file
    %   holds a valid series of the images written so far. A handle without
    %   outputs (nargout 0) or returning nothing never cancels. An error in
    %   the callback cancels and is re-raised with its identifier after the
    %   library call returned.
    %   Indices are 1-based. Member views as for qpgo.QPSeries.

    methods
        function obj = FLSeries(varargin)
            obj = obj@qpgo.internal.SeriesBase('fls', 'FLSeries', varargin);
        end

        function add(obj, fli, varargin)
            %ADD append a copy of fli (upstream add_flimage).
            [~, id] = obj.addOptions(fli, 'qpgo.FLImage', 'fli', varargin, {'identifier'});
            qpgo_mex('fls_add', obj.id, fli.id, id);
        end

        function fli = get(obj, key)
            %GET member by 1-based index or identifier: a qpgo.FLImage view.
            fli = qpgo.FLImage.fromHandle(obj.memberHandle(key), obj);
        end

        function [bg, flint, decay, times, ncalls] = bleachCorrection(obj, varargin)
            %BLEACHCORRECTION upstream FLSeries.bleach_correction.
            %   Options: 'h5out' (output series file, mode "a"; none: nothing
            %   written), 'border_px' (0 = whole image), 'flscorr' (a
            %   qpgo.FLSeries whose images are corrected and written
            %   instead), 'progress' (see the class help).
            %   flint, decay, times: column vectors (one entry per image).
            %   ncalls: number of progress calls made.
            o = qpgo.internal.nameValue(varargin, {'h5out', 'border_px', 'flscorr', 'progress'}, 'bleachCorrection');
            [prog, o] = qpgo.FLSeries.progressOpt(o);
            corr = [];
            if isfield(o, 'flscorr')
                if ~isempty(o.flscorr)
                    if ~isa(o.flscorr, 'qpgo.FLSeries')
                        error('qpgo:badArgument', 'bleachCorrection: flscorr must be a qpgo.FLSeries');
                    end
                    corr = o.flscorr.id;
                end
                o = rmfield(o, 'flscorr');
            end
            if isfield(o, 'h5out')
                o.h5out = qpgo.internal.textArg(o.h5out, 'h5out');
                if isempty(o.h5out), o = rmfield(o, 'h5out'); end
            end
            [bg, flint, decay, times, ncalls] = qpgo_mex('fls_bleach', obj.id, ...
                qpgo.internal.optionsJson(o, 'bleachCorrection'), corr, prog);
        end

        function ncalls = denoise(obj, varargin)
            %DENOISE upstream FLSeries.denoise: TV-denoised images appended
            %   (float32) to the series file 'h5file' (required). Option
            %   'progress' (see the class help). Returns the number of
            %   progress calls made.
            o = qpgo.internal.nameValue(varargin, {'h5file', 'progress'}, 'denoise');
            [prog, o] = qpgo.FLSeries.progressOpt(o);
            if isfield(o, 'h5file')
                o.h5file = qpgo.internal.textArg(o.h5file, 'h5file');
            end
            ncalls = qpgo_mex('fls_denoise', obj.id, qpgo.internal.optionsJson(o, 'denoise'), prog);
        end
    end

    methods (Static)
        function obj = open(path, varargin)
            obj = qpgo.FLSeries(qpgo.internal.HandleBase.openHandle('fls', path, varargin{:}));
        end
    end

    methods (Static, Hidden)
        function [prog, o] = progressOpt(o)
            prog = [];
            if isfield(o, 'progress')
                fn = o.progress;
                o = rmfield(o, 'progress');
                if isempty(fn), return; end
                if ~isa(fn, 'function_handle')
                    error('qpgo:badArgument', 'progress must be a function handle @(done, total) ...');
                end
                prog = @(d, t) qpgo.FLSeries.progressCall(fn, d, t);
            end
        end

        function r = progressCall(fn, done, total)
            % Never throws (it runs inside the library call): returns true
            % to cancel, or a struct {identifier, message} of an error.
            r = false;
            try
                if nargout(fn) == 0
                    fn(done, total);
                    return;
                end
                try
                    v = fn(done, total);
                catch err
                    % an anonymous function around a call without outputs
                    if any(strcmp(err.identifier, {'MATLAB:maxlhs', 'MATLAB:TooManyOutputs', ...
                                                   'Octave:undefined-function'}))
                        fn(done, total);
                        return;
                    end
                    rethrow(err);
                end
                r = (islogical(v) || isnumeric(v)) && isscalar(v) && v ~= 0;
            catch err
                r = struct('identifier', err.identifier, 'message', err.message);
            end
        end
    end
end
