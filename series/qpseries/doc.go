// Package qpseries owns QPSeries of qpimage 0.9.3 (qpimage.md §2.7, §4.4):
// an ordered series of QPImages stored as groups qpi_0, qpi_1, … (no zero
// padding) of one HDF5 file or group, with an optional root attribute
// "identifier" and nothing else at the root.
//
// Members are complete QPImage trees copied with qpimage's copyh5 rules
// (datasets rewritten for the target driver: compressed with IMAGE
// attributes on disk, bare in memory). GetQPImage returns live views
// (qpimage.NewInGroup on the member group): changing them changes the
// series. AddQPImage with a bgFromIdx makes the new member's "data"
// backgrounds of amplitude and phase HDF5 hard links to those of the
// referenced member.
//
// Iterating a read-only series (All) reads ahead: the images the loop read
// from the member before (e.g. the phase) are read and decoded for the
// next GOMAXPROCS members on other cores while the caller works on the
// current one (series/internal/numbered, imagedata.ReadAhead).
//
// Differences from upstream, all documented:
//   - Everything is validated before the file is touched: meta keys, a
//     duplicate identifier and a bgFromIdx member without "data"
//     background fail without leaving a half-written member (upstream
//     creates the group first and fails half way).
//   - With bgFromIdx the member's own background is never written (upstream
//     copies it and then replaces it by the link, which wastes the
//     compression work and leaves freed space in the file); the resulting
//     tree is the same.
//   - Contains/GetQPImageByID read the member attributes directly instead
//     of constructing a QPImage per member (upstream's constructor writes
//     a missing "qpimage version" as a side effect of a lookup).
package qpseries
