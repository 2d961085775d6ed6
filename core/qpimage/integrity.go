package qpimage

import (
	"strings"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/meta"
	"qpgo/core/qperr"
)

// ValidChecks are the checks of qpimage.integrity_check.check.
var ValidChecks = []string{"attributes", "background"}

// Check runs integrity checks ("attributes", "background"; nil: both).
// A failed check is a qperr.Integrity error with upstream's message; an
// unknown check is BadArgument naming the check (upstream defect D3).
func (q *QPImage) Check(checks []string) error {
	if checks == nil {
		checks = ValidChecks
	}
	for _, c := range checks {
		if c != "attributes" && c != "background" {
			return qperr.New(qperr.BadArgument, "Unknown integrity check: '%s'; valid checks are %s", c, strings.Join(ValidChecks, ", "))
		}
	}
	for _, c := range checks {
		var err error
		switch c {
		case "attributes":
			err = q.checkAttributes()
		case "background":
			err = q.checkBackground()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// CheckFile opens path read-only and runs Check.
func CheckFile(path string, checks []string) error {
	q, err := Open(path, "r")
	if err != nil {
		return err
	}
	defer q.Close()
	return q.Check(checks)
}

func (q *QPImage) checkAttributes() error {
	var missing []string
	for _, k := range meta.DataKeys {
		if !q.HasMeta(k) {
			missing = append(missing, "'"+k+"'")
		}
	}
	if len(missing) > 0 {
		return qperr.New(qperr.Integrity, "Attributes are missing: [%s] in %s!", strings.Join(missing, ", "), q.Repr())
	}
	return nil
}

// checkBackground recomputes every stored fit in a scratch in-memory image
// (float32 storage, same raw and "data" background, stored settings and
// mask) and compares with numpy.allclose.
func (q *QPImage) checkBackground() error {
	for _, d := range []*imagedata.ImageData{q.amp, q.pha} {
		if !d.HasBG("fit") {
			continue
		}
		fs, err := d.FitSettings()
		if err != nil {
			return err
		}
		stored, _, err := d.GetBG("fit")
		if err != nil {
			return err
		}
		mask, _, err := d.Mask()
		if err != nil {
			return err
		}
		f, err := h5.CreateInMemory("check.h5")
		if err != nil {
			return err
		}
		ok, err := func() (bool, error) {
			defer f.Close()
			tmp, err := imagedata.Open(f.Root(), d.Kind, h5.Float32)
			if err != nil {
				return false, err
			}
			raw, shape, err := d.Raw()
			if err != nil {
				return false, err
			}
			if err := tmp.WriteRaw(raw, shape); err != nil {
				return false, err
			}
			if d.HasBG("data") {
				bg, bshape, err := d.GetBG("data")
				if err != nil {
					return false, err
				}
				if err := tmp.SetBG("data", bg, bshape, nil); err != nil {
					return false, err
				}
			}
			if _, err := tmp.EstimateBG(fs.FitOffset, fs.FitProfile, fs.BorderPx, mask); err != nil {
				return false, err
			}
			fresh, _, err := tmp.GetBG("fit")
			if err != nil {
				return false, err
			}
			return AllClose(fresh, stored), nil
		}()
		if err != nil {
			return qperr.Wrap(qperr.Integrity, err, "Cannot recompute the %s background fit", d.Kind.Name())
		}
		if !ok {
			return qperr.New(qperr.Integrity, "Wrong estimated (fitted) background!")
		}
	}
	return nil
}
