package filekind

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qpgo/core/qperr"
	"qpgo/internal/fixture"
)

// The kinds of the fixture files upstream wrote (qpimage, flimage, hexrd).
func TestDetectFixtures(t *testing.T) {
	dir := fixture.Dir(t)
	for _, tc := range []struct {
		file string
		want Info
	}{
		{"h5_qpimage_full/qpimage.h5", Info{Kind: QPImage}},
		{"integrity_tampered_fit/qpimage_tampered.h5", Info{Kind: QPImage}},
		{"h5_qpseries/qpseries.h5", Info{Kind: QPSeries}},
		{"fl_image_file/flimage.h5", Info{Kind: FLImage}},
		{"fl_series_file/flseries.h5", Info{Kind: FLSeries}},
		{"fl_denoise/series_dn.h5", Info{Kind: FLSeries}},
		{"imageseries/hdf5_default_uint16/ims.h5", Info{Kind: IMSHDF5, Format: "hdf5", Path: "imageseries", Dataname: "images"}},
		{"imageseries/hdf5_float32_path_options/ims.h5", Info{Kind: IMSHDF5, Format: "hdf5", Path: "entry/instrument/detector", Dataname: "images"}},
		{"imageseries/hdf5_read_dataname/foreign.h5", Info{Kind: IMSHDF5, Format: "hdf5", Path: "entry/data", Dataname: "img"}},
		{"imageseries/hdf5_read_2d_dataset/foreign.h5", Info{Kind: IMSHDF5, Format: "hdf5", Path: "frame", Dataname: "images"}},
		{"imageseries/framecache_npz_uint16/cache.npz", Info{Kind: CacheNPZ, Format: "frame-cache", Style: "npz"}},
		{"imageseries/framecache_fch5_float32/cache.fch5", Info{Kind: CacheFCH5, Format: "frame-cache", Style: "fch5"}},
	} {
		got, err := Detect(filepath.Join(dir, tc.file))
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.file, got, tc.want)
		}
	}
}

func TestDetectErrors(t *testing.T) {
	tmp := t.TempDir()
	junk := filepath.Join(tmp, "junk.h5")
	if err := os.WriteFile(junk, []byte("not hdf5 at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		code qperr.Kind
		msg  string
	}{
		{filepath.Join(tmp, "missing.h5"), qperr.IO, "Unable to open file"},
		{junk, qperr.BadArgument, "is neither an HDF5 file nor a .npz frame cache"},
	} {
		_, err := Detect(tc.path)
		var qe *qperr.Error
		if !errors.As(err, &qe) || qe.Kind != tc.code {
			t.Errorf("%s: got %v, want code %v", tc.path, err, tc.code)
			continue
		}
		if !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: message %q lacks %q", tc.path, err, tc.msg)
		}
	}
}
