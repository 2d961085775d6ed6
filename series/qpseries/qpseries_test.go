package qpseries

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/qperr"
	"qpgo/core/qpimage"
	"qpgo/internal/fixture"
	"qpgo/internal/fixture/qptest"
)

// checkMember compares member i with the member<i>_* expectations.
func checkMember(t *testing.T, c *fixture.Case, q *qpimage.QPImage, i int) {
	t.Helper()
	p := "member" + strconv.Itoa(i) + "_"
	c.CheckGetters(t, p, map[string]func() ([]float64, []int, error){
		"raw_pha": q.RawPha, "raw_amp": q.RawAmp, "bg_pha": q.BgPha, "bg_amp": q.BgAmp,
		"pha": q.Pha, "amp": q.Amp,
	}, false)
	for _, kind := range []struct {
		name string
		d    *imagedata.ImageData
	}{{"amplitude", q.AmplitudeData()}, {"phase", q.PhaseData()}} {
		if !c.Has(p + kind.name + "_bg_data") {
			if kind.d.HasBG("data") {
				t.Errorf("%s: unexpected %s bg data", p, kind.name)
			}
			continue
		}
		got, shape, err := kind.d.GetBG("data")
		if err != nil {
			t.Fatal(err)
		}
		c.CheckFloat64(t, p+kind.name+"_bg_data", got, shape)
	}
	var dt string
	c.Want(t, p+"storage_dtype", &dt)
	if got, _ := q.DType(); got.String() != dt {
		t.Errorf("%s dtype %v", p, got)
	}
	var shape []int
	c.Want(t, p+"shape", &shape)
	if got, _ := q.Shape(); !reflect.DeepEqual(got, shape) {
		t.Errorf("%s shape %v", p, got)
	}
	qptest.CheckMeta(t, p, q, c.Expected[p+"meta"])
	info, err := q.Info()
	if err != nil {
		t.Fatal(err)
	}
	qptest.CheckInfo(t, p+"info", info, qptest.WantInfo(t, c.Expected[p+"info"]))
	var repr string
	c.Want(t, p+"repr", &repr)
	if got := q.Repr(); got != repr {
		t.Errorf("%s repr %q want %q", p, got, repr)
	}
}

// checkSeries compares a series with every expectation of h5_qpseries.
func checkSeries(t *testing.T, c *fixture.Case, s *QPSeries) {
	t.Helper()
	var n int
	c.Want(t, "length", &n)
	if s.Len() != n {
		t.Fatalf("len %d want %d", s.Len(), n)
	}
	var id string
	c.Want(t, "identifier", &id)
	if s.Identifier() != id {
		t.Errorf("identifier %q", s.Identifier())
	}
	for i := 0; i < n; i++ {
		q, err := s.GetQPImage(i)
		if err != nil {
			t.Fatal(err)
		}
		checkMember(t, c, q, i)
	}
	var contains bool
	c.Want(t, "contains_img2", &contains)
	if s.Contains("img2") != contains {
		t.Error("contains img2")
	}
	var ids []string
	c.Want(t, "member_identifiers", &ids)
	if got, _ := s.Identifiers(); !reflect.DeepEqual(got, ids) {
		t.Errorf("identifiers %v want %v", got, ids)
	}
	var i int
	for q, err := range s.All() {
		if err != nil || q.Identifier() != ids[i] {
			t.Errorf("iteration %d: %v %v", i, q, err)
		}
		i++
	}
	if i != n {
		t.Errorf("iterated %d members", i)
	}
	// by identifier and negative index
	q, err := s.GetQPImageByID("img3")
	if err != nil || q.G.Path() != "/qpi_2" {
		t.Errorf("by id: %v", err)
	}
	if q, err := s.GetQPImage(-3); err != nil || q.G.Path() != "/qpi_0" {
		t.Errorf("index -3: %v", err)
	}
	qptest.CheckLayoutFile(t, s.G, c.Path("qpseries_layout.json"))
	for _, kind := range []string{"amplitude", "phase"} {
		a, _ := s.G.Info("qpi_0/" + kind + "/bg_data/data")
		b, _ := s.G.Info("qpi_1/" + kind + "/bg_data/data")
		if a.RefCount != 2 || b.RefCount != 2 || a.Addr != b.Addr {
			t.Errorf("%s background is not hard-linked: %+v %+v", kind, a, b)
		}
	}
}

func TestReadUpstreamSeries(t *testing.T) {
	c := fixture.Load(t, "h5_qpseries")
	s, err := Open(c.Path("qpseries.h5"), "r")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkSeries(t, c, s)
}

// fixtureImages builds qpi0..qpi2 of the h5_qpseries call in memory.
func fixtureImages(t *testing.T, c *fixture.Case) []*qpimage.QPImage {
	pha, shape := c.Float64(t, "pha")
	amp, _ := c.Float64(t, "amp")
	bp, _ := c.Float64(t, "bg_pha")
	ba, _ := c.Float64(t, "bg_amp")
	pa := qpimage.ConvWhichData("phase,amplitude")
	scale := func(v []float64, f float64) []float64 {
		out := make([]float64, len(v))
		for i := range v {
			out[i] = v[i] * f
		}
		return out
	}
	mk := func(data, bg *qpimage.Input, m ...imagedata.Attr) *qpimage.QPImage {
		opt := qpimage.DefaultOptions()
		opt.Meta = m
		q, err := qpimage.NewInMemory(data, bg, opt)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { q.Close() })
		return q
	}
	bg := &qpimage.Input{WhichData: pa, Arrays: [][]float64{bp, ba}, Shape: shape}
	wl := imagedata.Attr{Name: "wavelength", Value: 550e-9}
	return []*qpimage.QPImage{
		mk(&qpimage.Input{WhichData: pa, Arrays: [][]float64{pha, amp}, Shape: shape}, bg, wl, imagedata.Attr{Name: "identifier", Value: "img1"}),
		mk(&qpimage.Input{WhichData: pa, Arrays: [][]float64{scale(pha, 1.1), scale(amp, 0.9)}, Shape: shape}, bg, wl, imagedata.Attr{Name: "identifier", Value: "img2"}),
		mk(&qpimage.Input{WhichData: qpimage.ConvWhichData("phase"), Arrays: [][]float64{scale(pha, 0.5)}, Shape: shape}, nil, wl),
	}
}

// TestWriteLikeUpstream replays the fixture's calls with qpgo and checks
// the result like the upstream file (values, layout incl. hard links,
// h5dump -H -p structure).
func TestWriteLikeUpstream(t *testing.T) {
	c := fixture.Load(t, "h5_qpseries")
	qs := fixtureImages(t, c)
	path := filepath.Join(t.TempDir(), "qpseries.h5")
	s, err := NewFile(path, "w", qs[:1], Options{Meta: []imagedata.Attr{{Name: "time", Value: 0.5}}, Identifier: "my_series"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddQPImage(qs[1], "", 0); err != nil {
		t.Fatal(err)
	}
	if err := s.AddQPImage(qs[2], "img3", NoBG); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	checkSeries(t, c, r)
	qptest.CheckH5Dump(t, path, c.Path("qpseries.h5"))
	st, _ := os.Stat(path)
	t.Logf("size %d bytes (upstream 61920, which holds qpi_1's discarded copy of the background)", st.Size())
}

func TestErrors(t *testing.T) {
	c := fixture.Load(t, "h5_qpseries")
	qs := fixtureImages(t, c)
	dir := t.TempDir()
	// a QPImage file is not a series
	qpath := filepath.Join(dir, "img.h5")
	cp, err := qs[0].CopyToFile(qpath)
	if err != nil {
		t.Fatal(err)
	}
	cp.Close()
	if _, err := Open(qpath, "r"); !qperr.Is(err, qperr.BadArgument) || err.Error() != "`h5file` is a QPImage file, not a QPSeries file!" {
		t.Errorf("QPImage file: %v", err)
	}
	s, err := NewInMemory(qs[:1], Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// duplicate identifier
	err = s.AddQPImage(qs[0], "", NoBG)
	if !qperr.Is(err, qperr.BadArgument) || err.Error() != "The identifier 'img1' already exists! You can either change the identifier of  'QPImage <img1>, 20x24px, λ=550.0nm' or remove it." {
		t.Errorf("duplicate: %v", err)
	}
	if err := s.AddQPImage(nil, "", NoBG); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("nil image: %v", err)
	}
	// bad indices
	if _, err := s.GetQPImage(-2); !qperr.Is(err, qperr.BadArgument) || err.Error() != "Index -2 out of bounds for QPSeries of size 1!" {
		t.Errorf("index -2: %v", err)
	}
	if _, err := s.GetQPImage(1); !qperr.Is(err, qperr.NotFound) || err.Error() != "Index 1 not found for QPSeries of length 1" {
		t.Errorf("index 1: %v", err)
	}
	if _, err := s.GetQPImageByID("nope"); !qperr.Is(err, qperr.NotFound) || err.Error() != "QPImage identifier 'nope' not found!" {
		t.Errorf("id: %v", err)
	}
	// bg link to a member without background: nothing is added
	if err := s.AddQPImage(qs[2], "x", NoBG); err != nil {
		t.Fatal(err)
	}
	if err := s.AddQPImage(qs[1], "", 1); !qperr.Is(err, qperr.NotFound) || s.Len() != 2 {
		t.Errorf("link to member without bg: %v, len %d", err, s.Len())
	}
	if err := s.AddQPImage(qs[1], "", 5); !qperr.Is(err, qperr.NotFound) || s.Len() != 2 {
		t.Errorf("link to missing member: %v", err)
	}
	// negative bg index works
	if err := s.AddQPImage(qs[1], "", -2); err != nil {
		t.Fatal(err)
	}
	// meta_data with mode "r"
	spath := filepath.Join(dir, "s.h5")
	w, err := NewFile(spath, "w", qs[:1], Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	_, err = NewFile(spath, "r", nil, Options{Meta: []imagedata.Attr{{Name: "time", Value: 1.0}}})
	if !qperr.Is(err, qperr.BadArgument) || err.Error() != "`h5mode` must not be 'r' if `meta_data` is given!" {
		t.Errorf("meta with r: %v", err)
	}
	if _, err := NewInMemory(nil, Options{Meta: []imagedata.Attr{{Name: "peter", Value: 1.0}}}); !qperr.Is(err, qperr.UnknownKey) {
		t.Errorf("unknown meta key: %v", err)
	}
	// meta_data on an existing file overrides every member
	w, err = NewFile(spath, "a", qs[1:2], Options{Meta: []imagedata.Attr{{Name: "wavelength", Value: 600e-9}}})
	if err != nil {
		t.Fatal(err)
	}
	for q, err := range w.All() {
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := q.GetMeta("wavelength"); v != 600e-9 {
			t.Errorf("%s wavelength %v", q.G.Path(), v)
		}
	}
	// members are live views
	q, _ := w.GetQPImage(0)
	if err := q.SetMeta("time", 3.0); err != nil {
		t.Fatal(err)
	}
	q2, _ := w.GetQPImage(0)
	if v, _ := q2.GetMeta("time"); v != 3.0 {
		t.Error("member is not a live view")
	}
	w.Close()
}

// TestHardlinkBG is upstream test_series_hdf5_hardlink_bg: with compression
// off, a member added with bgFromIdx (its own image has no background) grows
// the file by less than 0.51 of a member with its own background.
func TestHardlinkBG(t *testing.T) {
	old := imagedata.Compression
	imagedata.Compression = -1
	defer func() { imagedata.Compression = old }()
	const n = 200
	pha := make([]float64, n*n)
	bgp := make([]float64, n*n)
	for i := range pha {
		pha[i] = math.Pi * float64(i/n) / (n - 1) // np.repeat(linspace(0, pi, n), n)
		bgp[i] = math.Sqrt(math.Abs(pha[i])) + .4
	}
	w := qpimage.ConvWhichData("phase")
	opt := qpimage.Options{ProcPhase: true, H5DType: h5.Float64}
	qpi1, err := qpimage.NewInMemory(&qpimage.Input{WhichData: w, Arrays: [][]float64{pha}, Shape: []int{n, n}},
		&qpimage.Input{WhichData: w, Arrays: [][]float64{bgp}, Shape: []int{n, n}}, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer qpi1.Close()
	qpi2, err := qpimage.NewInMemory(&qpimage.Input{WhichData: w, Arrays: [][]float64{pha}, Shape: []int{n, n}}, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer qpi2.Close()
	path := filepath.Join(t.TempDir(), "hardlink.h5")
	s, err := NewFile(path, "w", nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	size := func() int64 {
		if err := s.G.File().Flush(); err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(path)
		return st.Size()
	}
	sInit := size()
	if err := s.AddQPImage(qpi1, "", NoBG); err != nil {
		t.Fatal(err)
	}
	sBG1 := size()
	if err := s.AddQPImage(qpi2, "", 0); err != nil {
		t.Fatal(err)
	}
	sBG2 := size()
	if err := s.AddQPImage(qpi1, "", NoBG); err != nil {
		t.Fatal(err)
	}
	sBG3 := size()
	t.Logf("growth: %d (own bg), %d (linked), %d (own bg)", sBG1-sInit, sBG2-sBG1, sBG3-sBG2)
	if !(float64(sBG2-sBG1) < .51*float64(sBG1-sInit)) || !(float64(sBG2-sBG1) < .51*float64(sBG3-sBG2)) {
		t.Errorf("linked member is not smaller than half a member with background")
	}
	m1, _ := s.GetQPImage(1)
	qpih, err := m1.CopyToMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer qpih.Close()
	h, _, _ := qpih.Pha()
	p1, _, _ := qpi1.Pha()
	p2, _, _ := qpi2.Pha()
	if !allClose(h, p1) || allClose(h, p2) {
		t.Error("linked member's pha should equal qpi1's, not qpi2's")
	}
	for _, kind := range []string{"amplitude", "phase"} {
		a, _ := s.G.Info("qpi_0/" + kind + "/bg_data/data")
		b, _ := s.G.Info("qpi_1/" + kind + "/bg_data/data")
		if a.RefCount != 2 || a.Addr != b.Addr {
			t.Errorf("%s not linked: %+v %+v", kind, a, b)
		}
	}
}

func allClose(a, b []float64) bool {
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-8+1e-5*math.Abs(b[i]) {
			return false
		}
	}
	return len(a) == len(b)
}
