//go:build !amd64

package flproc

func tvRowSSE2(o, next, q0, q1, sn *float64, n int, tau, tw float64) {}

const haveTVSIMD = false
