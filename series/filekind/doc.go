// Package filekind owns telling which kind of qpgo/upstream file a path
// holds — qpimage, QPSeries, FLImage, FLSeries, hexrd imageseries HDF5,
// frame-cache npz or fch5 — and the options that open it as an
// imageseries. It only looks at the structure (zip signature, root member
// names, the first 2-D/3-D dataset); reading the content is the job of the
// packages that own each kind. Used by the file inspector (`python3 -m
// qpgo info`, qpgo-info).
package filekind
