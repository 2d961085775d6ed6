package qpimage

import (
	"strings"

	"qpgo/core/qperr"
)

// WhichData is a normalised which_data: a single name or a tuple of names.
// A list input stays a tuple even with one element (upstream
// _conv_which_data), and such a one-element tuple is not a valid input.
type WhichData struct {
	Items []string
	Tuple bool
}

// ConvWhichData normalises a which_data string: lower-case, strip, split at
// commas dropping empty parts; one part left is a plain name.
func ConvWhichData(s string) WhichData {
	s = strings.ToLower(strings.TrimSpace(s))
	if !strings.Contains(s, ",") {
		return WhichData{Items: []string{s}}
	}
	var items []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			items = append(items, p)
		}
	}
	if len(items) == 1 {
		return WhichData{Items: items}
	}
	return WhichData{Items: items, Tuple: true}
}

// ConvWhichDataList normalises a list/tuple which_data.
func ConvWhichDataList(v []string) WhichData {
	items := make([]string, len(v))
	for i, s := range v {
		items[i] = strings.ToLower(strings.TrimSpace(s))
	}
	return WhichData{Items: items, Tuple: true}
}

// String renders the normalised value ("phase" or "phase,amplitude").
func (w WhichData) String() string { return strings.Join(w.Items, ",") }

// Contains is Python's `name in which_data`: a substring test on a plain
// string, membership on a tuple (upstream compute_bg/clear_bg quirk).
func (w WhichData) Contains(name string) bool {
	if !w.Tuple {
		return len(w.Items) == 1 && strings.Contains(w.Items[0], name)
	}
	for _, it := range w.Items {
		if it == name {
			return true
		}
	}
	return false
}

// Kind names the input kinds of VALID_INPUT_DATA.
const (
	KindField          = "field"
	KindHologram       = "hologram" // deprecated alias of raw-oah
	KindRawOAH         = "raw-oah"
	KindRawQLSI        = "raw-qlsi"
	KindPhase          = "phase"
	KindPhaseAmplitude = "phase,amplitude"
	KindPhaseIntensity = "phase,intensity"
)

// Kind returns the input kind or a BadArgument error for an invalid combination.
func (w WhichData) Kind() (string, error) {
	if !w.Tuple && len(w.Items) == 1 {
		switch w.Items[0] {
		case KindField, KindHologram, KindRawOAH, KindRawQLSI, KindPhase:
			return w.Items[0], nil
		}
	}
	if w.Tuple && len(w.Items) == 2 && w.Items[0] == "phase" &&
		(w.Items[1] == "amplitude" || w.Items[1] == "intensity") {
		return "phase," + w.Items[1], nil
	}
	return "", qperr.New(qperr.BadArgument, "`which_data` must be one of %s!", ValidInputDataRepr())
}

// ArrayCount is the number of real arrays an input kind takes (0 for a complex field).
func ArrayCount(kind string) int {
	switch kind {
	case KindPhaseAmplitude, KindPhaseIntensity:
		return 2
	case KindField:
		return 0
	}
	return 1
}

// ValidInputData is upstream's VALID_INPUT_DATA in its order (tuples as
// comma-joined kinds).
var ValidInputData = []string{KindField, KindHologram, KindRawOAH, KindRawQLSI,
	KindPhase, KindPhaseAmplitude, KindPhaseIntensity}

// ValidInputDataRepr is Python's repr of VALID_INPUT_DATA.
func ValidInputDataRepr() string {
	parts := make([]string, len(ValidInputData))
	for i, k := range ValidInputData {
		items := strings.Split(k, ",")
		for j := range items {
			items[j] = "'" + items[j] + "'"
		}
		if len(items) > 1 {
			parts[i] = "(" + strings.Join(items, ", ") + ")"
		} else {
			parts[i] = items[0]
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
