package main

import ims "qpgo/series/imageseries"

// withServed is with() for the ims calls that read frames (frames, stats,
// writing): when the series is fed by a frame-source callback
// (ims_from_source, also under processed series), every call of that
// callback runs on the thread that called the library — the work itself
// may use worker goroutines — so a callback that must stay on its
// caller's thread (a Python ctypes callback holding the GIL's thread
// state, a non-thread-safe C reader) never runs elsewhere
// (imageseries.ServeSources).
func withServed(h int64, f func(ims.ImageSeries) error) error {
	return with(h, famImageSeries, func(s ims.ImageSeries) error {
		return ims.ServeSources(s, func() error { return f(s) })
	})
}
