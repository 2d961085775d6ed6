package h5

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"qpgo/core/qperr"
	"qpgo/internal/limits"
)

// writeCopy writes a fresh file (not yet validated: it is a copy with a new
// identity, not the file libhdf5 wrote).
// forgetVerdicts drops the remembered validation verdicts.
func forgetVerdicts() {
	validatedFiles.Lock()
	validatedFiles.m = map[fileKey]bool{}
	validatedFiles.Unlock()
}

func writeCopy(t *testing.T, dir string) string {
	t.Helper()
	src := filepath.Join(dir, "src.h5")
	f, err := Open(src, "w")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Root().CreateDataset("d", Float64, []int{3, 4}, make([]float64, 12), CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "copy.h5")
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// The parent waits for the validation child only until the deadline, then
// kills it and refuses the file; with the default deadline it opens.
func TestValidationDeadline(t *testing.T) {
	if validationOff {
		t.Skip("QPGO_VALIDATE=0")
	}
	dir := t.TempDir()
	p := writeCopy(t, dir)
	// Earlier tests' files had the same size, and a deleted file's inode is
	// reused within one coarse timestamp tick: forget their verdicts so this
	// file is walked (otherwise the test passes or fails by inode luck).
	forgetVerdicts()
	limits.SetValidateTimeout(time.Nanosecond)
	t0 := time.Now()
	_, err := Open(p, "r")
	limits.SetValidateTimeout(0)
	if !qperr.Is(err, qperr.IO) || !strings.Contains(err.Error(), "did not finish within") {
		t.Fatalf("err = %v", err)
	}
	if el := time.Since(t0); el > time.Second {
		t.Fatalf("refusal took %v", el)
	}
	f, err := Open(p, "r")
	if err != nil {
		t.Fatalf("default deadline: %v", err)
	}
	f.Close()
}

// A dataset read whole is checked against the memory budget first.
func TestReadBudget(t *testing.T) {
	dir := t.TempDir()
	p := writeCopy(t, dir)
	f, err := Open(p, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	limits.SetMaxAlloc(95)
	_, _, err = f.Root().ReadDataset("d")
	limits.SetMaxAlloc(0)
	if !qperr.Is(err, qperr.IO) || !strings.Contains(err.Error(), `dataset "/d" of shape [3 4]: needs 96 bytes, over the memory budget of 95 bytes`) {
		t.Fatalf("err = %v", err)
	}
	if _, _, err := f.Root().ReadDataset("d"); err != nil {
		t.Fatal(err)
	}
}
