package imageseries

// DefaultSourceStatsBuffer is the band buffer of Percentile over a series
// fed by a frame-source callback (SourceSeries, also under processed
// series) when StatsOptions.BufferBytes is not set: such a series holds
// no frames of its own, so the band (not the stack) bounds the memory of
// a median over many frames — a Python adapter's 2000 frames of 128 KiB
// take about 80 MiB at most, instead of the whole 256 MiB stack — at the
// price of reading every frame once per band.
const DefaultSourceStatsBuffer = 24 << 20

// statsBufferFor is the default band buffer of Percentile for ims.
func statsBufferFor(ims ImageSeries) int64 {
	if FindSource(ims) != nil {
		return DefaultSourceStatsBuffer
	}
	return DefaultStatsBuffer
}
