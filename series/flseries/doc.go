// Package flseries owns FLSeries of flimage 0.3.3 (flimage.md §1.4–1.6,
// §2.2): a series of FLImages stored as groups fli_0, fli_1, … (no zero
// padding) with an optional root attribute "identifier", plus the series
// tools bleach correction and total-variation denoising.
//
// Members are full FLImage trees (qpimage copyh5 rules); GetFLImage returns
// live views. Processed series (BleachCorrection with an output, Denoise)
// are appended to an Output (a path opened with mode "a", or a group) in
// upstream's member layout: fluorescence/raw float32, empty bg_data, the
// source image's meta data (with version attributes) and identifier.
//
// Processing design: all members are read first (HDF5 access is
// serialised by core/h5), then everything that can fail is checked before
// the output is opened (shapes, "time" meta data, flscorr length, the fit,
// identifier clashes with images already in the output), so bad input
// leaves no partial output and no new file. Results are then written image
// by image as they are ready (no temporary file): a cancelled run (progress
// returned false, qperr.Cancelled) leaves a valid output holding every
// image finished so far. Denoise runs the Chambolle numerics of all images
// in parallel (one serial computation per image, so results equal the
// serial path bit for bit), starting with the first image read while the
// later ones are still being read, and one goroutine writes them in
// order once all are read and checked. BleachCorrection computes the
// background and trace of the frames on all cores (core/flproc), then
// corrects and compresses images ahead of the writer. Iterating a
// read-only series reads the images ahead (as qpseries does).
//
// Differences from upstream, documented: progress counts 2N (+ the number
// of written images when there is an output) instead of upstream's
// max_count of always 3N; times are checked (finite, increasing) and a
// constant or too short trace is an error (see core/flproc); duplicate
// identifiers in the output fail up front instead of after some images.
package flseries
