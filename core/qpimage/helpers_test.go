package qpimage

import "qpgo/core/h5"

func openGroupImage(path, group string) (*QPImage, error) {
	f, err := h5.Open(path, "r")
	if err != nil {
		return nil, err
	}
	g, err := f.Root().Group(group)
	if err != nil {
		f.Close()
		return nil, err
	}
	return NewInGroup(g, nil, nil, DefaultOptions())
}
