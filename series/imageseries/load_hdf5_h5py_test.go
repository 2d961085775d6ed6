package imageseries

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// h5pyCheck reads files written by qpgo with h5py (the reference's HDF5
// binding) and compares them with the fixture inputs: frames of the hdf5
// writer, and the dense frames rebuilt from an fch5 cache.
const h5pyCheck = `
import sys, json, numpy as np, h5py
kind, fname, path, want = sys.argv[1:5]
exp = np.load(want)
with h5py.File(fname, 'r') as f:
    if kind == 'hdf5':
        got = f[path + '/images'][()]
        attrs = {k: str(v) for k, v in f[path].attrs.items()}
    else:
        shape = tuple(f['shape'][()])
        n = int(f['nframes'][()])
        ids = f['frame_ids'][()]
        data = f['data'][()][:, 0]
        idx = f['indices'][()]
        got = np.zeros((n,) + shape, dtype=data.dtype)
        for i in range(n):
            a, b = ids[2*i], ids[2*i+1]
            got[i][idx[a:b, 0], idx[a:b, 1]] = data[a:b]
        attrs = {'version': int(f.attrs['HEXRD_FRAMECACHE_VERSION'])}
assert got.dtype == exp.dtype, (got.dtype, exp.dtype)
assert got.shape == exp.shape, (got.shape, exp.shape)
assert np.array_equal(got, exp), 'frames differ'
print(json.dumps(attrs))
`

func runH5py(t *testing.T, args ...string) string {
	t.Helper()
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	if err := exec.Command(py, "-c", "import h5py").Run(); err != nil {
		t.Skip("h5py not installed")
	}
	cmd := exec.Command(py, append([]string{"-c", h5pyCheck}, args...)...)
	cmd.Env = append(os.Environ(), "HDF5_PLUGIN_PATH=/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("h5py check %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func TestH5pyReadsQpgoFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Python")
	}
	dir := t.TempDir()
	for _, name := range []string{"hdf5_default_uint16", "hdf5_blosc_uint16", "hdf5_float32_path_options"} {
		c := load(t, name)
		var inMeta map[string]json.RawMessage
		c.Input(t, "metadata", &inMeta)
		m := metaFromJSON(t, c, inMeta)
		src := arrayFrom(t, c, "frames", m)
		out := filepath.Join(dir, name+".h5")
		opts := Options{"path": "imageseries"}
		if name == "hdf5_blosc_uint16" {
			opts["compression"] = map[string]any{"blosc": map[string]any{"cname": "zstd", "clevel": 5.0, "shuffle": 1.0}}
		}
		if err := Write(src, out, "hdf5", opts); err != nil {
			t.Fatal(err)
		}
		got := runH5py(t, "hdf5", out, "imageseries", c.Path("inputs_frames.npy"))
		if !strings.Contains(got, `"panel": "b'`) || !strings.Contains(got, `"intarr": "[1 2 3]"`) {
			t.Errorf("%s: h5py attributes %s", name, got)
		}
	}
	for _, name := range []string{"framecache_fch5_uint16", "framecache_fch5_float32"} {
		c := load(t, name)
		src := arrayFrom(t, c, "frames", nil)
		var th float64
		c.Input(t, "threshold", &th)
		out := filepath.Join(dir, name+".fch5")
		if err := Write(src, out, "frame-cache", Options{"threshold": th, "style": "fch5", "warn": func(string) {}}); err != nil {
			t.Fatal(err)
		}
		if got := runH5py(t, "fch5", out, "", c.Path("expected_frames.npy")); got != `{"version": 1}` {
			t.Errorf("%s: %s", name, got)
		}
	}
}
