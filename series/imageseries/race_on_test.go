//go:build race

package imageseries

const raceEnabled = true
