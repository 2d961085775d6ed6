package limits

import (
	"math"
	"strings"
	"testing"

	"qpgo/core/qperr"
)

func TestElementsOverflow(t *testing.T) {
	if n, ok := Elements([]int{3, 4, 5}); !ok || n != 60 {
		t.Fatalf("Elements(3,4,5) = %d, %v", n, ok)
	}
	if n, ok := Elements(nil); !ok || n != 1 {
		t.Fatalf("Elements() = %d, %v; want 1 (0-d)", n, ok)
	}
	for _, s := range [][]int{{1 << 32, 1 << 32}, {-1, 2}, {math.MaxInt64, 2}} {
		if _, ok := Elements(s); ok {
			t.Errorf("Elements(%v) accepted", s)
		}
	}
	if Mul(math.MaxInt64, 2) != -1 || Mul(-1, 2) != -1 || Mul(6, 7) != 42 {
		t.Error("Mul overflow handling")
	}
}

func TestCheck(t *testing.T) {
	defer SetMaxAlloc(0)
	SetMaxAlloc(1000)
	if MaxAlloc() != 1000 {
		t.Fatal("SetMaxAlloc")
	}
	if err := Check("m", 1000, -1); err != nil {
		t.Fatalf("at the budget: %v", err)
	}
	err := Check("member x", 1001, -1)
	if !qperr.Is(err, qperr.IO) || !strings.Contains(err.Error(), "member x: needs 1001 bytes, over the memory budget of 1000 bytes") {
		t.Fatalf("over budget: %v", err)
	}
	err = Check("member y", 500, 400)
	if !qperr.Is(err, qperr.IO) || !strings.Contains(err.Error(), "member y: declares 500 bytes but the file holds at most 400") {
		t.Fatalf("over avail: %v", err)
	}
	if err := Check("z", -1, -1); !qperr.Is(err, qperr.IO) {
		t.Fatalf("overflowed size accepted: %v", err)
	}
	if err := Budget(2000).Check("w", 1500, -1); err != nil {
		t.Fatalf("per-open budget above the global one: %v", err)
	}
	SetMaxAlloc(0)
	if MaxAlloc() != DefaultMaxAlloc || DefaultMaxAlloc <= 0 || DefaultMaxAlloc > 4<<30 {
		t.Fatalf("default %d", MaxAlloc())
	}
}

func TestCheckAttr(t *testing.T) {
	defer SetMaxAttr(0)
	if MaxAttr() != DefaultMaxAttr {
		t.Fatalf("default attribute budget %d", MaxAttr())
	}
	if err := CheckAttr("attribute a", 1000, 1000); err != nil {
		t.Fatal(err)
	}
	err := CheckAttr(`attribute "x" of "/"`, 1<<43, 64)
	if !qperr.Is(err, qperr.IO) || !strings.Contains(err.Error(), `attribute "x" of "/": declares 8796093022208 bytes but the file stores 64`) {
		t.Fatalf("over the stored size: %v", err)
	}
	SetMaxAttr(100)
	err = CheckAttr("attribute b", 101, -1)
	if !qperr.Is(err, qperr.IO) || !strings.Contains(err.Error(), "over the attribute budget of 100 bytes") {
		t.Fatalf("over the budget: %v", err)
	}
	if err := CheckAttr("attribute c", -1, -1); !qperr.Is(err, qperr.IO) {
		t.Fatalf("overflow accepted: %v", err)
	}
}
