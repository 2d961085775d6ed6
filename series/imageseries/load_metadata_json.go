package imageseries

import (
	"bytes"
	"encoding/json"
	"math"
	"sort"
	"strings"

	"qpgo/core/qperr"
	"qpgo/internal/npy"
)

// Metadata as JSON (for the C ABI and the bindings). Every value is a typed
// object as in the fixtures:
//
//	{"type": "float64"|"float32"|"int64"|"uint64"|"bool"|"str", "value": v}
//	{"type": "ndarray", "dtype": "<f8"|"|S3"|"<U4"|..., "shape": [..], "value": nested lists}
//	{"type": "dict", "value": {key: typed value, ...}}
//	{"type": "list", "value": [typed values]}
//
// NumPy scalars of other types (Go int32, uint8, …, Bytes for np.bytes_)
// are encoded as 0-d arrays of their dtype.
//
// Non-finite floats are the strings "nan", "inf", "-inf". ParseMetadataJSON
// accepts this form and also plain JSON values: integers → int64, other
// numbers → float64, strings, booleans, (nested, rectangular) number lists
// → float64/int64 arrays, objects without a "type" key → nested dicts.

// MetadataJSON encodes metadata (keys sorted).
func MetadataJSON(m Metadata) ([]byte, error) {
	v, err := typedValue(map[string]any(m))
	if err != nil {
		return nil, err
	}
	return json.Marshal(v.(map[string]any)["value"])
}

func jsonNum(f float64) any {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return f
}

func typedValue(v any) (any, error) {
	t := func(tp string, val any) map[string]any { return map[string]any{"type": tp, "value": val} }
	switch x := v.(type) {
	case float64:
		return t("float64", jsonNum(x)), nil
	case float32:
		return t("float32", jsonNum(float64(x))), nil
	case int64:
		return t("int64", x), nil
	case int:
		return t("int64", int64(x)), nil
	case int32, uint32, int16, uint16, int8, uint8, Bytes:
		// NumPy scalars without a JSON type of their own (h5py returns
		// them for attributes): 0-d arrays of their dtype
		return typedValue(scalarArray(x))
	case uint64:
		return t("uint64", x), nil
	case bool:
		return t("bool", x), nil
	case string:
		return t("str", x), nil
	case nil:
		return t("None", nil), nil
	case Metadata:
		return typedValue(map[string]any(x))
	case map[string]any:
		ks := make([]string, 0, len(x))
		for k := range x {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		out := make(map[string]any, len(x))
		for _, k := range ks {
			e, err := typedValue(x[k])
			if err != nil {
				return nil, err
			}
			out[k] = e
		}
		return t("dict", out), nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			tv, err := typedValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = tv
		}
		return t("list", out), nil
	case *npy.Array:
		if x == nil {
			return t("None", nil), nil
		}
		var flat []any
		dtype := ""
		switch d := x.Data.(type) {
		case []string:
			for _, s := range d {
				flat = append(flat, s)
			}
			dtype = x.DType
			if dtype == "" || dtype == "S" || dtype == "U" {
				w := 1
				for _, s := range d {
					w = max(w, len(s))
				}
				if dtype == "" {
					dtype = "U"
				}
				dtype = dtype[:1] + itoa(w)
			}
			if dtype[0] == 'S' {
				dtype = "|" + dtype
			} else {
				dtype = "<" + dtype
			}
		case []bool:
			for _, b := range d {
				flat = append(flat, b)
			}
			dtype = "|b1"
		default:
			code := npy.DTypeOf(d)
			if code == "" {
				return nil, qperr.New(qperr.Unsupported, "metadata array of type %T", d)
			}
			dtype = "<" + code
			if strings.HasSuffix(code, "1") {
				dtype = "|" + code
			}
			if dt := dataDType(d); dt.IsFloat() {
				for _, f := range toFloat64(d) {
					flat = append(flat, jsonNum(f))
				}
			} else {
				for i := 0; i < dataLen(d); i++ {
					flat = append(flat, intAt(d, i))
				}
			}
		}
		shape := x.Shape
		if shape == nil {
			shape = []int{}
		}
		var val any
		if len(shape) == 0 {
			if len(flat) > 0 {
				val = flat[0]
			}
		} else {
			val, _ = nest(flat, shape)
		}
		return map[string]any{"type": "ndarray", "dtype": dtype, "shape": shape, "value": val}, nil
	}
	return nil, qperr.New(qperr.Unsupported, "metadata value of type %T cannot be encoded as JSON", v)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func intAt(d any, i int) any {
	if o := opsOf(d); o != nil && !dataDType(d).IsFloat() {
		return o.index(d, i)
	}
	return nil
}

func nest(flat []any, shape []int) (any, []any) {
	if len(shape) == 1 {
		n := shape[0]
		return append([]any{}, flat[:n]...), flat[n:]
	}
	out := make([]any, shape[0])
	for i := range out {
		out[i], flat = nest(flat, shape[1:])
	}
	return out, flat
}

// ParseMetadataJSON decodes a JSON object of metadata (see MetadataJSON).
func ParseMetadataJSON(text []byte) (Metadata, error) {
	text = bytes.TrimSpace(text)
	if len(text) == 0 || string(text) == "null" {
		return Metadata{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, qperr.New(qperr.BadArgument, "metadata: invalid JSON: %v", err)
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		return nil, qperr.New(qperr.BadArgument, "metadata must be a JSON object")
	}
	out := Metadata{}
	for k, v := range obj {
		g, err := fromJSONValue(v, k)
		if err != nil {
			return nil, err
		}
		out[k] = g
	}
	return out, nil
}

func fromJSONValue(v any, key string) (any, error) {
	bad := func(f string, a ...any) error {
		return qperr.New(qperr.BadArgument, "metadata %q: "+f, append([]any{key}, a...)...)
	}
	switch x := v.(type) {
	case nil:
		return nil, nil
	case bool, string:
		return x, nil
	case json.Number:
		return jsonNumber(x), nil
	case []any:
		flat, shape, allInt, err := flatten(x)
		if err != nil {
			return nil, bad("%v", err)
		}
		if flat == nil {
			// not numeric: a list of values
			out := make([]any, len(x))
			for i, e := range x {
				if out[i], err = fromJSONValue(e, key); err != nil {
					return nil, err
				}
			}
			return out, nil
		}
		if allInt {
			d := make([]int64, len(flat))
			for i, e := range flat {
				d[i], _ = e.Int64()
			}
			return &npy.Array{Shape: shape, Data: d}, nil
		}
		d := make([]float64, len(flat))
		for i, e := range flat {
			d[i] = numF64(e)
		}
		return &npy.Array{Shape: shape, Data: d}, nil
	case map[string]any:
		tp, typed := x["type"].(string)
		if !typed {
			out := map[string]any{}
			for k, e := range x {
				g, err := fromJSONValue(e, k)
				if err != nil {
					return nil, err
				}
				out[k] = g
			}
			return out, nil
		}
		val := x["value"]
		switch tp {
		case "float64", "float":
			return numF64(val), nil
		case "float32":
			return float32(numF64(val)), nil
		case "int64", "int", "uint64":
			n, ok := val.(json.Number)
			if !ok {
				return nil, bad("value of type %s must be a number", tp)
			}
			if tp == "uint64" {
				var u uint64
				if err := json.Unmarshal([]byte(n.String()), &u); err != nil {
					return nil, bad("%v", err)
				}
				return u, nil
			}
			i, err := n.Int64()
			if err != nil {
				return nil, bad("%v", err)
			}
			return i, nil
		case "bool":
			b, ok := val.(bool)
			if !ok {
				return nil, bad("value of type bool must be true or false")
			}
			return b, nil
		case "str":
			s, ok := val.(string)
			if !ok {
				return nil, bad("value of type str must be a string")
			}
			return s, nil
		case "None":
			return nil, nil
		case "dict":
			m, ok := val.(map[string]any)
			if !ok {
				return nil, bad("value of type dict must be an object")
			}
			out := map[string]any{}
			for k, e := range m {
				g, err := fromJSONValue(e, k)
				if err != nil {
					return nil, err
				}
				out[k] = g
			}
			return out, nil
		case "list":
			l, ok := val.([]any)
			if !ok {
				return nil, bad("value of type list must be an array")
			}
			out := make([]any, len(l))
			for i, e := range l {
				g, err := fromJSONValue(e, key)
				if err != nil {
					return nil, err
				}
				out[i] = g
			}
			return out, nil
		case "ndarray":
			return ndarrayFromJSON(x, key)
		}
		return nil, bad("unknown type %q", tp)
	}
	return nil, bad("unsupported JSON value")
}

func jsonNumber(n json.Number) any {
	s := n.String()
	if !strings.ContainsAny(s, ".eE") {
		if i, err := n.Int64(); err == nil {
			return i
		}
	}
	f, _ := n.Float64()
	return f
}

func numF64(v any) float64 {
	switch x := v.(type) {
	case json.Number:
		f, _ := x.Float64()
		return f
	case string:
		switch x {
		case "nan":
			return math.NaN()
		case "inf":
			return math.Inf(1)
		case "-inf":
			return math.Inf(-1)
		}
	case float64:
		return x
	}
	return math.NaN()
}

// flatten returns the numbers of a rectangular nested list and its shape;
// flat nil if an element is not a number (or "nan"/"inf" string).
func flatten(x []any) (flat []json.Number, shape []int, allInt bool, err error) {
	allInt = true
	leaf := -1 // the depth of the numbers (all at one depth, below every list)
	ragged := func() bool {
		err = qperr.New(qperr.BadArgument, "ragged nested list")
		return false
	}
	var walk func(v []any, depth int) bool
	walk = func(v []any, depth int) bool {
		if depth == len(shape) {
			shape = append(shape, len(v))
		} else if shape[depth] != len(v) {
			err = qperr.New(qperr.BadArgument, "ragged nested list")
			return false
		}
		for _, e := range v {
			switch y := e.(type) {
			case []any:
				if leaf >= 0 && depth+1 > leaf {
					return ragged()
				}
				if !walk(y, depth+1) {
					return false
				}
			case json.Number:
				if depth != len(shape)-1 || (leaf >= 0 && leaf != depth) {
					return ragged()
				}
				leaf = depth
				if strings.ContainsAny(y.String(), ".eE") {
					allInt = false
				}
				flat = append(flat, y)
			case string:
				if y == "nan" || y == "inf" || y == "-inf" {
					if depth != len(shape)-1 || (leaf >= 0 && leaf != depth) {
						return ragged()
					}
					leaf = depth
					allInt = false
					f := map[string]string{"nan": "NaN", "inf": "+Inf", "-inf": "-Inf"}[y]
					flat = append(flat, json.Number(f))
					continue
				}
				return false
			default:
				return false
			}
		}
		return true
	}
	if !walk(x, 0) {
		if err != nil {
			return nil, nil, false, err
		}
		return nil, nil, false, nil
	}
	if flat == nil {
		flat = []json.Number{}
	}
	n := 1
	for _, d := range shape {
		n *= d
	}
	if n != len(flat) || (leaf >= 0 && leaf != len(shape)-1) {
		return nil, nil, false, qperr.New(qperr.BadArgument, "ragged nested list")
	}
	return flat, shape, allInt, nil
}

func ndarrayFromJSON(x map[string]any, key string) (any, error) {
	dtype, _ := x["dtype"].(string)
	code := strings.TrimLeft(dtype, "<>|=")
	var shape []int
	if sl, ok := x["shape"].([]any); ok {
		for _, s := range sl {
			n, _ := s.(json.Number)
			i, err := n.Int64()
			if err != nil || i < 0 {
				return nil, qperr.New(qperr.BadArgument, "metadata %q: bad shape", key)
			}
			shape = append(shape, int(i))
		}
	}
	if shape == nil {
		shape = []int{}
	}
	n := 1
	for _, s := range shape {
		n *= s
	}
	var vals []any
	var collect func(v any)
	collect = func(v any) {
		if l, ok := v.([]any); ok {
			for _, e := range l {
				collect(e)
			}
			return
		}
		vals = append(vals, v)
	}
	collect(x["value"])
	if len(vals) != n {
		return nil, qperr.New(qperr.BadArgument, "metadata %q: %d values for shape %v", key, len(vals), shape)
	}
	if code != "" && (code[0] == 'S' || code[0] == 'U') {
		ss := make([]string, n)
		for i, v := range vals {
			s, ok := v.(string)
			if !ok {
				return nil, qperr.New(qperr.BadArgument, "metadata %q: string array with a non-string value", key)
			}
			ss[i] = s
		}
		return &npy.Array{Shape: shape, DType: code, Data: ss}, nil
	}
	if code == "b1" {
		bs := make([]bool, n)
		for i, v := range vals {
			bs[i], _ = v.(bool)
		}
		return &npy.Array{Shape: shape, DType: code, Data: bs}, nil
	}
	f := make([]float64, n)
	for i, v := range vals {
		f[i] = numF64(v)
	}
	dt := Float64
	if code != "" {
		var err error
		if dt, _, err = ParseDType(code); err != nil {
			return nil, qperr.New(qperr.BadArgument, "metadata %q: unsupported dtype %q", key, dtype)
		}
	}
	if !dt.IsFloat() {
		// exact for 64-bit integers too
		iv := make([]int64, n)
		for i, v := range vals {
			if num, ok := v.(json.Number); ok {
				if k, err := num.Int64(); err == nil {
					iv[i] = k
					continue
				}
			}
			iv[i] = int64(f[i])
		}
		if dt == Int64 {
			return &npy.Array{Shape: shape, DType: "i8", Data: iv}, nil
		}
		for i := range f {
			f[i] = float64(iv[i])
		}
	}
	return &npy.Array{Shape: shape, DType: dt.Code(), Data: fromFloat64(f, dt)}, nil
}

// scalarArray wraps a Go scalar as a 0-d array of its NumPy dtype (nil if
// it has none).
func scalarArray(v any) *npy.Array {
	var d any
	switch x := v.(type) {
	case Bytes:
		return &npy.Array{Shape: []int{}, DType: "S" + itoa(max(len(x), 1)), Data: []string{string(x)}}
	case string:
		return &npy.Array{Shape: []int{}, DType: "U", Data: []string{x}}
	case bool:
		d = []bool{x}
	case float64:
		d = []float64{x}
	case float32:
		d = []float32{x}
	case int:
		d = []int64{int64(x)}
	case int64:
		d = []int64{x}
	case uint64:
		d = []uint64{x}
	case int32:
		d = []int32{x}
	case uint32:
		d = []uint32{x}
	case int16:
		d = []int16{x}
	case uint16:
		d = []uint16{x}
	case int8:
		d = []int8{x}
	case uint8:
		d = []uint8{x}
	default:
		return nil
	}
	return &npy.Array{Shape: []int{}, Data: d}
}
