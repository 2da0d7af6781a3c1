//go:build race

package api_test

// raceEnabled: the race detector changes allocation counts, so allocation bounds are only
// logged under it.
const raceEnabled = true
