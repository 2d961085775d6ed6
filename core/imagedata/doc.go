// Package imagedata owns one image kind stored in an HDF5 group, as
// qpimage.image_data does: the dataset "raw", the group "bg_data" with the
// optional backgrounds "data" (experimental) and "fit" (from compute_bg),
// and the mask "estimate_bg_from_mask" next to raw.
//
// Backgrounds combine by kind: Phase and Fluorescence add up and are
// subtracted, Amplitude multiplies and divides. Arithmetic is float64; the
// storage type is the image's h5dtype (float32 by default), so a stored
// background is rounded before use, exactly as upstream.
//
// WriteImageDataset decides the on-disk form by the file's driver: in-memory
// (core driver) files get contiguous unfiltered datasets without
// attributes; disk files get one chunk per image, deflate 9 then
// Fletcher-32, and the HDFView IMAGE attributes.
//
// ReadAhead starts Image on another goroutine for an image of a read-only
// file; the next Image call takes the result (series iteration uses it to
// decode the next members while the caller works on the current one).
package imagedata
