package main

import (
	"errors"
	"testing"
)

// qpgo_close_all closes every handle newest first, also when a close
// fails, and leaves none behind.
func TestCloseAll(t *testing.T) {
	var order []int64
	var hs []int64
	for k := 0; k < 4; k++ {
		var h int64
		fail := k == 1
		h = register(famImageSeries, struct{}{}, func() error {
			order = append(order, h)
			if fail {
				return errors.New("close failed")
			}
			return nil
		})
		hs = append(hs, h)
	}
	if rc := qpgo_close_all(nil); rc != 0 {
		t.Fatalf("qpgo_close_all: %d", rc)
	}
	if len(order) != 4 || order[0] != hs[3] || order[3] != hs[0] {
		t.Fatalf("close order %v, want newest first of %v", order, hs)
	}
	for _, h := range hs {
		if _, err := lookup(h, famImageSeries); err == nil {
			t.Fatalf("handle %d still open", h)
		}
	}
}
