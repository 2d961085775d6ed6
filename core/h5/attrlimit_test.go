package h5

import (
	"strings"
	"testing"

	"qpgo/core/qperr"
)

// A chunk larger than a fixed maximum dimension (a damaged layout message:
// libhdf5 never writes one and over-reads its buffer reading one) is
// refused; chunks within the maximum shape, or along an unlimited
// dimension, are fine.
func TestCheckChunkShape(t *testing.T) {
	bad := DatasetInfo{Layout: "chunked", Shape: []int{20, 24}, MaxShape: []int{20, 24}, Chunks: []int{20, 152}}
	if err := checkChunkShape("/d", bad); !qperr.Is(err, qperr.IO) || !strings.Contains(err.Error(), "chunk shape [20 152] does not fit its maximum shape [20 24]") {
		t.Fatalf("bad chunk: %v", err)
	}
	for _, ok := range []DatasetInfo{
		{Layout: "chunked", Shape: []int{20, 24}, MaxShape: []int{20, 24}, Chunks: []int{20, 24}},
		{Layout: "chunked", Shape: []int{2, 24}, MaxShape: []int{-1, 24}, Chunks: []int{64, 24}},
		{Layout: "contiguous", Shape: []int{20, 24}, MaxShape: []int{20, 24}},
	} {
		if err := checkChunkShape("/d", ok); err != nil {
			t.Errorf("%v: %v", ok, err)
		}
	}
}
