package qpimage

import (
	"strings"
	"testing"
)

// FuzzWhichData: normalisation never panics, is idempotent on its own
// output, and Kind either accepts one of the valid kinds or errors.
func FuzzWhichData(f *testing.F) {
	for _, s := range []string{"phase", " Phase, amplitude ", "phase,,intensity", "raw-oah", ",", "", "field,"} {
		f.Add(s)
	}
	valid := map[string]bool{KindField: true, KindHologram: true, KindRawOAH: true, KindRawQLSI: true,
		KindPhase: true, KindPhaseAmplitude: true, KindPhaseIntensity: true}
	f.Fuzz(func(t *testing.T, s string) {
		w := ConvWhichData(s)
		if again := ConvWhichData(w.String()); w.Tuple && strings.Join(again.Items, ",") != w.String() {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, w.String(), again.String())
		}
		if k, err := w.Kind(); err == nil && !valid[k] {
			t.Fatalf("accepted invalid kind %q", k)
		}
		_ = w.Contains("phase")
	})
}
