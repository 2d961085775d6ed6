package imageseries

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"qpgo/internal/npy"
)

func TestMetadataJSONRoundTrip(t *testing.T) {
	c := load(t, "framecache_fch5_uint16")
	var inMeta map[string]json.RawMessage
	c.Input(t, "metadata", &inMeta)
	m := metaFromJSON(t, c, inMeta)
	m["f32"] = float32(0.25)
	m["nan"] = math.NaN()
	m["flag"] = true
	m["labels"] = &npy.Array{Shape: []int{2}, DType: "S2", Data: []string{"a", "bc"}}
	m["m2"] = &npy.Array{Shape: []int{2, 2}, Data: []float32{1, 2, float32(math.Inf(1)), 4}}
	b, err := MetadataJSON(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseMetadataJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := MetadataJSON(back)
	if string(b) != string(b2) {
		t.Errorf("round trip:\n%s\n%s", b, b2)
	}
	if !strings.Contains(string(b), `"omega":{"dtype":"\u003cf8","shape":[6,2],"type":"ndarray","value":[[6,6.25]`) {
		t.Errorf("omega encoding: %s", b)
	}
	plain, err := ParseMetadataJSON([]byte(`{"a": 1, "b": 2.5, "c": "x", "d": [[1, 2], [3, 4]], "e": [1.5, "nan"], "f": {"g": true}}`))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintln(plain["a"], plain["b"], plain["c"]) != "1 2.5 x\n" || fmt.Sprint(plain["d"].(*npy.Array).Shape) != "[2 2]" ||
		!math.IsNaN(plain["e"].(*npy.Array).Data.([]float64)[1]) || plain["f"].(map[string]any)["g"] != true {
		t.Errorf("plain JSON: %#v", plain)
	}
	if _, err := ParseMetadataJSON([]byte(`{"d": [[1, 2], [3]]}`)); err == nil {
		t.Error("ragged list accepted")
	}
}
