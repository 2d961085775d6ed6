// Package npy reads and writes NumPy .npy arrays (format versions 1.0, 2.0
// and 3.0; no pickled objects). It serves the test fixtures, which upstream
// wrote with NumPy, and the frame-cache npz format of imageseries.
//
// No Go library reads .npy without pulling in a larger dependency, and the
// format is a short text header followed by raw little- or big-endian data.
package npy
