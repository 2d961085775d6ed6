package flseries

import (
	"syscall"
	"testing"
	"time"
)

// cpuClock reports, when stopped, the process CPU time (user + system,
// all threads) per iteration as "cpu-ms/op": on a shared, loaded machine
// it shows what the work costs when wall time does not.
func cpuClock(b *testing.B) func() {
	read := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := read()
	return func() {
		b.ReportMetric(float64(read()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}
