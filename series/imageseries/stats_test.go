package imageseries

import (
	"encoding/json"
	"fmt"
	"testing"

	"qpgo/core/qperr"
	"qpgo/internal/fixture"
)

func TestStats(t *testing.T) {
	for _, name := range caseNames(t, "stats") {
		t.Run(name, func(t *testing.T) {
			c := load(t, name)
			var call struct {
				Function string
				Args     struct {
					NFrames   int     `json:"nframes"`
					Pctl      float64 `json:"pctl"`
					NChunk    int     `json:"nchunk"`
					NChunks   int     `json:"nchunks"`
					UseBuffer *bool   `json:"use_buffer"`
				}
			}
			json.Unmarshal(c.Call, &call)
			ims := arrayFrom(t, c, "frames", nil)
			a := call.Args
			var yields []Frame
			y := func(f Frame) error { yields = append(yields, f); return nil }
			var res Frame
			var err error
			switch call.Function {
			case "stats.max":
				res, err = Max(ims, a.NFrames)
			case "stats.min":
				res, err = Min(ims, a.NFrames)
			case "stats.sum":
				res, err = Sum(ims, a.NFrames)
			case "stats.average":
				res, err = Average(ims, a.NFrames)
			case "stats.median":
				res, err = Median(ims, a.NFrames)
			case "stats.percentile":
				res, err = Percentile(ims, a.Pctl, a.NFrames)
			case "stats.max_iter":
				res, err = MaxIter(ims, a.NChunk, a.NFrames, y)
			case "stats.min_iter":
				res, err = MinIter(ims, a.NChunk, a.NFrames, y)
			case "stats.sum_iter":
				res, err = SumIter(ims, a.NChunk, a.NFrames, y)
			case "stats.average_iter":
				res, err = AverageIter(ims, a.NChunk, a.NFrames, y)
			case "stats.median_iter":
				res, err = MedianIter(ims, a.NChunks, a.NFrames, y)
			case "stats.percentile_iter":
				res, err = PercentileIter(ims, a.Pctl, a.NChunks, a.NFrames, y)
			default:
				t.Fatalf("unknown function %s", call.Function)
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Has("n_yields") {
				var n int
				c.Want(t, "n_yields", &n)
				if len(yields) != n {
					t.Fatalf("%d yields, want %d", len(yields), n)
				}
				got, gs := stack(yields)
				c.CheckFloat64(t, "yields", got, gs)
				want := c.Expect(t, "final")
				checkFrame1(t, c, "final", res, want, c.Tol(t, "result"))
				return
			}
			want := c.Expect(t, "result")
			checkFrame1(t, c, "result", res, want, c.Tol(t, "result"))
			// the banded (bounded-memory) path gives the identical result
			if call.Function == "stats.median" || call.Function == "stats.percentile" {
				pct := a.Pctl
				if call.Function == "stats.median" {
					pct = 50
				}
				banded, err := PercentileWith(ims, pct, StatsOptions{NFrames: a.NFrames, BufferBytes: 1, Workers: 3})
				if err != nil || fmt.Sprint(banded.Data) != fmt.Sprint(res.Data) {
					t.Errorf("banded percentile differs (%v)", err)
				}
			}
		})
	}
}

func TestChunkStops(t *testing.T) {
	c := load(t, "stats_chunk_stops")
	var table []struct {
		N, NChunks int
		Stops      []int
		Error      *struct{ Message string }
	}
	c.Want(t, "table", &table)
	for _, r := range table {
		got, err := ChunkStops(r.N, r.NChunks)
		if r.Error != nil {
			if !qperr.Is(err, qperr.BadArgument) || err.Error() != r.Error.Message {
				t.Errorf("(%d, %d): %v, want %q", r.N, r.NChunks, err, r.Error.Message)
			}
			continue
		}
		if err != nil || fmt.Sprint(got) != fmt.Sprint(r.Stops) {
			t.Errorf("(%d, %d) = %v %v, want %v", r.N, r.NChunks, got, err, r.Stops)
		}
	}
}

func TestStatsErrors(t *testing.T) {
	ims, _ := NewArray([]float32{1, 2, 3, 4, float32(nan()), 6}, []int{3, 1, 2}, nil)
	if _, err := MaxIter(ims, 4, 0, nil); err == nil {
		t.Error("nchunk > nframes accepted")
	}
	if _, err := Percentile(ims, 101, 0); err == nil {
		t.Error("percentile 101 accepted")
	}
	empty, _ := NewArray([]uint16{}, []int{0, 2, 2}, nil)
	if _, err := Max(empty, 0); err == nil {
		t.Error("max of no frames accepted")
	}
	m, _ := Max(ims, 0)
	md, _ := Median(ims, 0)
	if v := m.Data.([]float32); v[0] == v[0] || v[1] != 6 {
		t.Errorf("max does not propagate NaN: %v", v)
	}
	if v := md.Data.([]float32); v[0] == v[0] || v[1] != 4 {
		t.Errorf("median with NaN: %v", v)
	}
	stop := qperr.New(qperr.Cancelled, "stop")
	if _, err := AverageIter(ims, 3, 0, func(Frame) error { return stop }); !qperr.Is(err, qperr.Cancelled) {
		t.Errorf("cancel: %v", err)
	}
	_ = fixture.Tol{}
}

func nan() float64 { var z float64; return z / z }
