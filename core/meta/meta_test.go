package meta

import (
	"reflect"
	"testing"

	"qpgo/core/qperr"
	"qpgo/internal/fixture"
)

func TestKeysMatchUpstream(t *testing.T) {
	c := fixture.Load(t, "meta_keys")
	for name, got := range map[string][]string{
		"META_KEYS": Keys, "DATA_KEYS": DataKeys, "OTHER_KEYS": OtherKeys,
		"META_KEYS_FL": KeysFL, "DATA_KEYS_FL": DataKeysFL,
	} {
		var want []string
		c.Want(t, name, &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}

func TestDictErrors(t *testing.T) {
	d := NewDict(Keys)
	if err := d.Set("wavelength", 550e-9); err != nil {
		t.Fatal(err)
	}
	if v, err := d.Float("wavelength"); err != nil || v != 550e-9 {
		t.Fatalf("Float: %v %v", v, err)
	}
	if err := d.Set("peter", 1.0); !qperr.Is(err, qperr.UnknownKey) {
		t.Fatalf("unknown key: %v", err)
	}
	if _, err := d.Get("peter"); !qperr.Is(err, qperr.UnknownKey) {
		t.Fatalf("unknown key get: %v", err)
	}
	_, err := d.Get("pixel size")
	if !qperr.Is(err, qperr.MissingMeta) || err.Error() != "No meta data was defined for 'pixel size'! Please make sure you passed the dictionary `meta_data` when you loaded your data." {
		t.Fatalf("missing: %v", err)
	}
	if err := NewDict(KeysFL).Set("wavelength", 1.0); !qperr.Is(err, qperr.UnknownKey) {
		t.Fatal("wavelength is not a flimage key")
	}
	if err := d.Set("date", struct{}{}); !qperr.Is(err, qperr.BadArgument) {
		t.Fatalf("bad value: %v", err)
	}
	if !reflect.DeepEqual(d.Keys(), []string{"wavelength"}) {
		t.Fatal(d.Keys())
	}
}

func TestPyFloat(t *testing.T) {
	for in, want := range map[float64]string{5e-07: "5e-07", 1.5: "1.5", 0: "0.0", 2: "2.0", 1.1e-7: "1.1e-07", 1e16: "1e+16", 0.0001: "0.0001"} {
		if got := PyFloat(in); got != want {
			t.Errorf("PyFloat(%v) = %q, want %q", in, got, want)
		}
	}
}
