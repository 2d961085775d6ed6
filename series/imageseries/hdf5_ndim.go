package imageseries

// NDim is the rank of the dataset: 2 (one frame) or 3.
func (s *HDF5Series) NDim() int {
	if s.is2D {
		return 2
	}
	return 3
}
