package qpimage

import (
	"fmt"

	"qpgo/core/imagedata"

	"qpgo/core/qperr"
)

// SetBGData sets the "data" background of both images from arrays
// interpreted with bg.WhichData (raw-oah / raw-qlsi go through retrieval
// with the image's qpretrieve options). nil removes the data background.
func (q *QPImage) SetBGData(bg *Input, procPhase bool) error {
	if bg == nil {
		if _, err := q.amp.DelBG("data"); err != nil {
			return err
		}
		_, err := q.pha.DelBG("data")
		return err
	}
	kind, err := bg.WhichData.Kind()
	if err != nil {
		return err
	}
	var amp, pha []float64
	var shape []int
	if kind == KindRawQLSI {
		amp, pha, shape, err = retrieveQLSI(bg, nil, q.QPRetrieveKW)
		if err == nil && procPhase {
			pha, err = processPhase(pha, shape)
		}
	} else {
		amp, pha, shape, _, err = convert(bg, kind, q.QPRetrieveKW, nil, procPhase)
	}
	if err != nil {
		return err
	}
	if err := q.amp.SetBG("data", amp, shape, nil); err != nil {
		return err
	}
	return q.pha.SetBG("data", pha, shape, nil)
}

// SetBGDataFromQPImage uses another image's corrected pha and amp as the
// "data" background (upstream set_bg_data(qpi), which_data must be None).
func (q *QPImage) SetBGDataFromQPImage(other *QPImage) error {
	pha, shape, err := other.Pha()
	if err != nil {
		return err
	}
	amp, _, err := other.Amp()
	if err != nil {
		return err
	}
	if err := q.amp.SetBG("data", amp, shape, nil); err != nil {
		return err
	}
	return q.pha.SetBG("data", pha, shape, nil)
}

// ClearBG deletes background datasets (upstream clear_bg). It returns the
// warnings upstream emits for absent keys.
func (q *QPImage) ClearBG(which WhichData, keys []string) ([]string, error) {
	hasPha, hasAmp := which.Contains("phase"), which.Contains("amplitude")
	if !hasPha && !hasAmp {
		return nil, qperr.New(qperr.BadArgument, "`which_data` must contain 'phase' or 'amplitude'!")
	}
	for _, k := range keys {
		if k != "data" && k != "fit" {
			return nil, qperr.New(qperr.BadArgument, "Invalid bg key '%s'! Valid keys are ['data', 'fit'].", k)
		}
	}
	var warnings []string
	for _, img := range []struct {
		sel bool
		d   *imagedata.ImageData
	}{{hasAmp, q.amp}, {hasPha, q.pha}} {
		if !img.sel {
			continue
		}
		for _, k := range keys {
			ok, err := img.d.DelBG(k)
			if err != nil {
				return warnings, err
			}
			if !ok {
				// Upstream ImageData.del_bg names the image data, not the QPImage.
				warnings = append(warnings, fmt.Sprintf("No bg data to clear for '%s' in %s.", k, img.d.Repr()))
			}
		}
	}
	return warnings, nil
}
