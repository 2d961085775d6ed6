// Package colmajor converts row-major images (Go, C, NumPy order) into
// column-major ones (MATLAB order): the transposing copy of the MATLAB
// gateway's reads, in 8×8 tiles (an SSE2 register transpose for 2-byte
// elements on amd64) on all cores for large images.
package colmajor
