package main

import (
	"testing"
)

// FuzzOptions: the JSON options parsers of qpi_new, compute_bg and meta
// data never panic on any text; accepted keys are always known ones.
func FuzzOptions(f *testing.F) {
	for _, s := range []string{`{}`, `{"proc_phase": false, "h5dtype": "float64"}`,
		`{"meta_data": {"wavelength": 5e-7, "angle": 0, "sim center": [1, 2.5]}}`,
		`{"qpretrieve_kw": {"filter_name": "gauss"}, "holo_kw": {"sideband": -1}}`,
		`{"fit_offset": "mode", "border_px": 5, "which_data": ["phase", "amplitude"]}`,
		`{"x": 1}`, `{"meta_data": {"a": null}}`, `[1,2]`, `{"h5dtype": 5}`, `{"a":1}{`, "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if opt, _, _, err := qpiOptions(s); err == nil {
			for _, m := range opt.Meta {
				if m.Value == nil {
					t.Fatalf("nil meta value accepted from %q", s)
				}
			}
		}
		_, _ = bgOptions(s)
		_, _ = metaItems(s)
		kvs, err := parseObject(s, "fuzz", []string{"a", "b"})
		if err == nil {
			for _, kv := range kvs {
				if kv.Key != "a" && kv.Key != "b" {
					t.Fatalf("unknown key %q accepted", kv.Key)
				}
			}
		}
	})
}
