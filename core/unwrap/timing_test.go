package unwrap

import (
	"math"
	"runtime"
	"testing"
	"time"
)

func TestWallTiming(t *testing.T) {
	pha := wrappedPhase(1024)
	best := map[bool]time.Duration{}
	for round := 0; round < 15; round++ {
		for _, async := range []bool{true, false} {
			asyncMin = 1 << 16
			if !async {
				asyncMin = math.MaxInt
			}
			runtime.GC()
			w0 := time.Now()
			ProcessPhase(pha, 1024, 1024)
			d := time.Since(w0)
			if best[async] == 0 || d < best[async] {
				best[async] = d
			}
			t.Logf("async=%v wall %v", async, d)
		}
	}
	t.Logf("best %v", best)
	asyncMin = 1 << 16
}
