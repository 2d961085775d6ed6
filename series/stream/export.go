package stream

import (
	"fmt"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/qpimage"
	"qpgo/series/qpseries"
)

// ExportQPSeries writes the frames of the acquisition file at path into a
// new upstream-layout QPSeries file at out (created or truncated): member
// qpi_<i> holds frame i as a QPImage of which_data ("phase", "amplitude")
// without phase processing (the stream already holds processed phase),
// with the static meta data and the frame's "time". If the meta data have
// an "identifier", it becomes the series identifier and member i gets
// "<identifier>:<i>" (QPSeries members need distinct identifiers). The
// frames are those complete when the export starts, so exporting while the
// writer runs is fine. It returns the number of frames exported.
func ExportQPSeries(path, out string) (int, error) {
	r, err := OpenReader(path)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	n, err := r.Len()
	if err != nil {
		return 0, err
	}
	static, err := r.Meta()
	if err != nil {
		return 0, err
	}
	id := ""
	var base []imagedata.Attr
	for _, a := range static {
		switch a.Name {
		case "identifier":
			id = fmt.Sprint(a.Value)
		case "time":
		default:
			base = append(base, a)
		}
	}
	s, err := qpseries.NewFile(out, "w", nil, qpseries.Options{Identifier: id})
	if err != nil {
		return 0, err
	}
	rows, cols := r.Shape()
	wd := qpimage.ConvWhichDataList([]string{"phase", "amplitude"})
	for i := 0; i < n; i++ {
		fr, err := r.Frame(i)
		if err != nil {
			s.Close()
			return i, err
		}
		m := append(append([]imagedata.Attr(nil), base...), imagedata.Attr{Name: "time", Value: fr.Time})
		in := &qpimage.Input{WhichData: wd, Arrays: [][]float64{fr.Phase, fr.Amplitude}, Shape: []int{rows, cols}}
		q, err := qpimage.NewInMemory(in, nil, qpimage.Options{ProcPhase: false, H5DType: h5.Float32, Meta: m})
		if err != nil {
			s.Close()
			return i, err
		}
		member := ""
		if id != "" {
			member = fmt.Sprintf("%s:%d", id, i)
		}
		err = s.AddQPImage(q, member, qpseries.NoBG)
		q.Close()
		if err != nil {
			s.Close()
			return i, err
		}
	}
	return n, s.Close()
}
