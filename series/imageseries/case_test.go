package imageseries

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"qpgo/internal/fixture"
	"qpgo/internal/npy"
)

// isCase is an imageseries fixture case. Its case.json differs from the
// shared loader's format ("call" is an object), so it is decoded here; the
// comparison helpers of package fixture are reused.
type isCase struct {
	Dir       string                     `json:"-"`
	Name      string                     `json:"-"`
	Kind      string                     `json:"kind"`
	Call      json.RawMessage            `json:"call"`
	Inputs    map[string]json.RawMessage `json:"inputs"`
	Expected  map[string]json.RawMessage `json:"expected"`
	Tolerance map[string]json.RawMessage `json:"tolerance"`
}

func isDir(t testing.TB) string { return filepath.Join(fixture.Dir(t), "imageseries") }

func load(t testing.TB, name string) *isCase {
	t.Helper()
	dir := filepath.Join(isDir(t), name)
	b, err := os.ReadFile(filepath.Join(dir, "case.json"))
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	c := &isCase{Dir: dir, Name: name}
	if err := json.Unmarshal(b, c); err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return c
}

// caseNames lists the imageseries cases of a kind.
func caseNames(t testing.TB, kind string) []string {
	t.Helper()
	ents, err := os.ReadDir(isDir(t))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(isDir(t), e.Name(), "case.json"))
		if err != nil {
			continue
		}
		var k struct{ Kind string }
		if json.Unmarshal(b, &k) == nil && k.Kind == kind {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		t.Fatalf("no imageseries case of kind %q", kind)
	}
	return out
}

func (c *isCase) Path(f string) string { return filepath.Join(c.Dir, f) }

func (c *isCase) Has(name string) bool { _, ok := c.Expected[name]; return ok }

func (c *isCase) Array(t testing.TB, name string) *npy.Array {
	t.Helper()
	raw, ok := c.Inputs[name]
	if !ok {
		raw, ok = c.Expected[name]
	}
	var file string
	if !ok || json.Unmarshal(raw, &file) != nil {
		t.Fatalf("%s: %s is not a file reference", c.Name, name)
	}
	return readNpyT(t, c.Path(file))
}

func (c *isCase) Input(t testing.TB, name string, v any) {
	t.Helper()
	raw, ok := c.Inputs[name]
	if !ok || json.Unmarshal(raw, v) != nil {
		t.Fatalf("%s: input %s missing or undecodable", c.Name, name)
	}
}

func (c *isCase) Want(t testing.TB, name string, v any) {
	t.Helper()
	raw, ok := c.Expected[name]
	if !ok {
		t.Fatalf("%s: no expected %s", c.Name, name)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: expected %s: %v", c.Name, name, err)
	}
}

func (c *isCase) Tol(t testing.TB, name string) fixture.Tol {
	t.Helper()
	raw, ok := c.Tolerance[name]
	if !ok {
		raw, ok = c.Tolerance["default"]
	}
	if !ok {
		return fixture.Tol{Exact: true}
	}
	var tol fixture.Tol
	if err := json.Unmarshal(raw, &tol); err != nil {
		t.Fatal(err)
	}
	if tol.Atol == 0 && tol.Rtol == 0 {
		tol.Exact = true
	}
	return tol
}

// Expect loads an expected array.
func (c *isCase) Expect(t testing.TB, name string) *npy.Array {
	t.Helper()
	var file string
	if raw, ok := c.Expected[name]; !ok || json.Unmarshal(raw, &file) != nil {
		t.Fatalf("%s: expected %s is not a file reference", c.Name, name)
	}
	return readNpyT(t, c.Path(file))
}

func (c *isCase) CheckFloat64(t testing.TB, name string, got []float64, shape []int) {
	t.Helper()
	a := c.Expect(t, name)
	want, err := a.Float64()
	if err != nil {
		t.Fatal(err)
	}
	fixture.CompareFloat64(t, c.Name+"/"+name, c.Tol(t, name), got, shape, want, a.Shape)
}
