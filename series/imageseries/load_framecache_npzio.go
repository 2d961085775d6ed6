package imageseries

import (
	"qpgo/internal/npy"
)

// Metadata values as the arrays np.savez stores (the npz codec itself is
// internal/npy: Decode/Encode, ReadMember/DeflateMember).

// metaToArray converts a metadata value to the array np.savez would store,
// or returns ok=false for values that cannot be stored (nested dicts, None,
// mixed lists: skipped, see I5).
func metaToArray(v any) (*npy.Array, bool) {
	switch x := v.(type) {
	case *npy.Array:
		if x == nil || x.Data == nil {
			return nil, false
		}
		if _, isStr := x.Data.([]string); !isStr && npy.DTypeOf(x.Data) == "" {
			return nil, false
		}
		return x, true
	case string, Bytes, bool, float64, float32, int64, uint64, int32, uint32, int16, uint16, int8, uint8:
		return scalarArray(x), true
	case []byte:
		return &npy.Array{Shape: []int{}, DType: "S", Data: []string{string(x)}}, true
	case int:
		return &npy.Array{Shape: []int{}, Data: []int64{int64(x)}}, true
	case []float64:
		return &npy.Array{Shape: []int{len(x)}, Data: x}, true
	case []int64:
		return &npy.Array{Shape: []int{len(x)}, Data: x}, true
	case []string:
		return &npy.Array{Shape: []int{len(x)}, DType: "U", Data: x}, true
	case []any:
		return listToArray(x)
	}
	return nil, false
}

// listToArray follows np.array(list) for flat lists of numbers or strings.
func listToArray(x []any) (*npy.Array, bool) {
	allInt, allNum, allStr := true, true, true
	for _, e := range x {
		switch e.(type) {
		case int, int64:
			allStr = false
		case float64, float32:
			allInt, allStr = false, false
		case string:
			allInt, allNum = false, false
		default:
			return nil, false
		}
	}
	n := []int{len(x)}
	switch {
	case allInt && len(x) > 0:
		out := make([]int64, len(x))
		for i, e := range x {
			out[i] = toInt64(e)
		}
		return &npy.Array{Shape: n, Data: out}, true
	case allNum:
		out := make([]float64, len(x))
		for i, e := range x {
			out[i] = toF64(e)
		}
		return &npy.Array{Shape: n, Data: out}, true
	case allStr:
		out := make([]string, len(x))
		for i, e := range x {
			out[i] = e.(string)
		}
		return &npy.Array{Shape: n, DType: "U", Data: out}, true
	}
	return nil, false
}

func toInt64(e any) int64 {
	switch v := e.(type) {
	case int:
		return int64(v)
	case int64:
		return v
	}
	return 0
}

func toF64(e any) float64 {
	switch v := e.(type) {
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case float64:
		return v
	case float32:
		return float64(v)
	}
	return 0
}
