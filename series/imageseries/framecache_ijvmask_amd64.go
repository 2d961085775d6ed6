package imageseries

//go:noescape
func gtMaskU16SSE2(x *uint16, n int, t uint16, masks *uint64)
