package imageseries

//go:noescape
func maxU16SSE2(acc, x *uint16, n int)

//go:noescape
func minU16SSE2(acc, x *uint16, n int)

//go:noescape
func addU16I32SSE2(acc *int32, x *uint16, n int)

const haveSIMD = true

//go:noescape
func firstGTU16SSE2(x *uint16, n int, t uint16) int
