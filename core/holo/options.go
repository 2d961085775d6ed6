package holo

import (
	"math"
	"sort"

	"qpgo/core/qperr"
)

// Keys accepted in qpretrieve_kw. qpretrieve 0.3.2 silently ignores unknown
// pipeline keywords; qpgo rejects them (a typo would otherwise be lost).
var (
	oahKeys  = []string{"subtract_mean", "padding", "copy", "filter_name", "filter_size", "filter_size_interpretation", "scale_to_filter", "sideband_freq", "invert_phase"}
	qlsiKeys = append(append([]string(nil), oahKeys...), "wavelength", "qlsi_pitch_term")
)

func has(keys []string, k string) bool {
	for _, v := range keys {
		if v == k {
			return true
		}
	}
	return false
}

func num(key string, v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case float32:
		return float64(x), nil
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case int32:
		return float64(x), nil
	}
	return 0, qperr.New(qperr.BadArgument, "`%s` must be a number, got %T", key, v)
}

func boolean(key string, v any) (bool, error) {
	if b, ok := v.(bool); ok {
		return b, nil
	}
	return false, qperr.New(qperr.BadArgument, "`%s` must be a bool, got %T", key, v)
}

// parseCommon fills the OAH fields shared by both pipelines.
func parseCommon(kw map[string]any, allowed []string, o *OAHOptions) error {
	keys := make([]string, 0, len(kw))
	for k := range kw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !has(allowed, k) {
			return qperr.New(qperr.UnknownKey, "Unknown qpretrieve keyword argument: '%s'", k)
		}
	}
	var err error
	for _, k := range keys {
		v := kw[k]
		switch k {
		case "subtract_mean":
			o.SubtractMean, err = boolean(k, v)
		case "copy":
			_, err = boolean(k, v)
		case "invert_phase":
			o.InvertPhase, err = boolean(k, v)
		case "padding":
			if b, ok := v.(bool); ok {
				o.Padding = 0
				if b {
					o.Padding = 1
				}
				continue
			}
			var f float64
			if f, err = num(k, v); err == nil {
				if f != math.Trunc(f) || f < 0 || f > 1<<20 {
					err = qperr.New(qperr.BadArgument, "`padding` must be a non-negative integer or bool, got %v", v)
				} else {
					o.Padding = int(f)
				}
			}
		case "filter_name":
			s, ok := v.(string)
			if !ok {
				err = qperr.New(qperr.BadArgument, "`filter_name` must be a string, got %T", v)
			} else if !has(AvailableFilters, s) {
				err = qperr.New(qperr.BadArgument, "Unknown filter: %s", s)
			}
			o.FilterName = s
		case "filter_size":
			o.FilterSize, err = num(k, v)
		case "filter_size_interpretation":
			s, ok := v.(string)
			if !ok || !has([]string{"sideband distance", "frequency index", "frequency"}, s) {
				err = qperr.New(qperr.BadArgument, "Invalid value for `filter_size_interpretation`: '%v'", v)
			}
			o.FilterSizeInterpretation = s
		case "scale_to_filter":
			if b, ok := v.(bool); ok {
				o.ScaleToFilter = 0
				if b {
					o.ScaleToFilter = 1
				}
				continue
			}
			o.ScaleToFilter, err = num(k, v)
		case "sideband_freq":
			if v == nil {
				o.SidebandFreq = nil
				continue
			}
			var f [2]float64
			if f, err = pair(v); err == nil {
				o.SidebandFreq = &f
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func pair(v any) ([2]float64, error) {
	var out [2]float64
	var items []any
	switch x := v.(type) {
	case [2]float64:
		return x, nil
	case []float64:
		for _, e := range x {
			items = append(items, e)
		}
	case []any:
		items = x
	default:
		return out, qperr.New(qperr.BadArgument, "`sideband_freq` must be a pair of numbers, got %T", v)
	}
	if len(items) != 2 {
		return out, qperr.New(qperr.BadArgument, "`sideband_freq` must have two elements, got %d", len(items))
	}
	for i, e := range items {
		f, err := num("sideband_freq", e)
		if err != nil {
			return out, err
		}
		out[i] = f
	}
	return out, nil
}

// ParseOAHOptions converts a qpretrieve_kw mapping for
// qpretrieve.OffAxisHologram into options, starting from the defaults.
// Unknown keys → qperr.UnknownKey; wrong types/values → qperr.BadArgument.
func ParseOAHOptions(kw map[string]any) (OAHOptions, error) {
	o := DefaultOAHOptions()
	if err := parseCommon(kw, oahKeys, &o); err != nil {
		return OAHOptions{}, err
	}
	return o, nil
}

// ParseQLSIOptions converts a qpretrieve_kw mapping for
// qpretrieve.QLSInterferogram (adds wavelength and qlsi_pitch_term; None
// or absent means 1 with "only qualitative" phase).
func ParseQLSIOptions(kw map[string]any) (QLSIOptions, error) {
	o := DefaultQLSIOptions()
	if err := parseCommon(kw, qlsiKeys, &o.OAHOptions); err != nil {
		return QLSIOptions{}, err
	}
	for _, k := range []string{"wavelength", "qlsi_pitch_term"} {
		v, ok := kw[k]
		if !ok || v == nil {
			continue
		}
		f, err := num(k, v)
		if err != nil {
			return QLSIOptions{}, err
		}
		if k == "wavelength" {
			o.Wavelength = f
		} else {
			o.PitchTerm = f
		}
	}
	return o, nil
}

// MapHoloKW maps the deprecated qpimage holo_kw into qpretrieve_kw (spec
// §2.2): "sideband": ±1 → invert_phase = (value == -1); "sideband": (fx,
// fy) → sideband_freq, invert_phase=False; "zero_pad" → "padding"; other
// keys unchanged.
func MapHoloKW(holoKW map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(holoKW))
	for k, v := range holoKW {
		switch k {
		case "sideband":
			if _, isNum := v.(bool); !isNum {
				if f, err := num(k, v); err == nil {
					out["invert_phase"] = f == -1
					continue
				}
			}
			f, err := pair(v)
			if err != nil {
				return nil, qperr.New(qperr.BadArgument, "`sideband` must be +1, -1 or a frequency pair, got %v", v)
			}
			out["sideband_freq"] = []float64{f[0], f[1]}
			out["invert_phase"] = false
		case "zero_pad":
			out["padding"] = v
		default:
			out[k] = v
		}
	}
	return out, nil
}
