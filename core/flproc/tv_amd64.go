package flproc

// tvRowSSE2 is tvRowGo for the first n (even) pixels of a row.
//
//go:noescape
func tvRowSSE2(o, next, q0, q1, sn *float64, n int, tau, tw float64)

const haveTVSIMD = true
