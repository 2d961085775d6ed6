// Package unwrap owns qpimage's phase processing: the 2-D phase unwrapper
// that qpimage calls through skimage.restoration.unwrap_phase, the
// divmod_neg helper and the removal of the 2π offset of the image border
// (qpimage spec §5.1, §3.4).
//
// The unwrapper is written by hand because no Go library implements it. It
// follows the reliability-sorting algorithm of Herráez et al. (Applied
// Optics 41, 7437, 2002) exactly as scikit-image 0.19.3 runs it
// (unwrap_2d_ljmu.c, no wrap-around):
//
//   - Interior pixels get the reliability H²+V²+D1²+D2² of wrapped second
//     differences. Border pixels keep a glibc rand() value drawn in
//     row-major order after srand(seed) (qpimage passes 47). Masked interior
//     pixels also get a computed reliability: skimage's "extended mask"
//     starts all-valid and is never set, so masking only removes edges.
//   - Edges join unmasked neighbours (all horizontal edges in row-major
//     order, then all vertical ones) with reliability = sum of both pixels.
//   - Edges are processed in ascending reliability; joining two groups
//     shifts the smaller group (a lone pixel 2 before a lone pixel 1, then
//     group 1 unless it is strictly larger) by whole periods.
//
// The result is bit-identical to skimage (all fixture cases, including the
// seed-dependent one), also for the relative offsets of separate regions.
// The C code's quicksort is not stable, so equal reliabilities are ordered
// by its exact procedure: edges are sorted with a stable MSD radix sort
// and, only if two keys are equal, the C quicksort is replayed on the
// original edge order. Groups are kept in a weighted union-find with path
// compression instead of skimage's relabelled linked lists; the increments
// are the same because a group's head always has increment zero and the
// shift rule depends only on group sizes. For large images the sort runs in
// a goroutine while the edges of the buckets already sorted are joined.
//
// Which 0.19.3 variant of the border reliability applies (rand() or
// 9999999 + rand(), both circulated) cannot be told from the fixtures:
// both reproduce them. rand() is used, as in the skimage code that takes a
// seed.
package unwrap
