package holo

import (
	"syscall"
	"testing"
)

// cpuNow is the process's user+system CPU time in ns. The machine is
// shared, so benchmarks also report CPU time per operation (cpu-ns/op),
// which other processes disturb much less than wall time.
func cpuNow() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// reportCPU runs fn b.N times and reports cpu-ns/op.
func reportCPU(b *testing.B, fn func()) {
	b.ResetTimer()
	t0 := cpuNow()
	for i := 0; i < b.N; i++ {
		fn()
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuNow()-t0)/float64(b.N), "cpu-ns/op")
}
