package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdata/before.csv is benchstat's CSV of a real run (8 rounds) on the code before issue 14.
func TestRewritesTableAndChecksFloors(t *testing.T) {
	readme := filepath.Join(t.TempDir(), "README.md")
	const doc = "intro\n<!-- bench:start -->\nstale figures\n<!-- bench:end -->\noutro\n"
	if err := os.WriteFile(readme, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open("testdata/before.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	err = run(in, readme, 8, 2, nil)
	// That run missed the allocation floor (wrapper 190 vs raw 177) and the parallel one.
	if err == nil || !strings.Contains(err.Error(), "Call/wrapper: +13 allocs/op") || !strings.Contains(err.Error(), "Parallel/wrapper") {
		t.Errorf("err = %v, want the missed floors", err)
	}
	got, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	s := string(got)
	for _, want := range []string{
		"intro\n<!-- bench:start -->\nTaken ",
		"| `BenchmarkCall/raw` | 177.2 µs | 15% | 1.00× (baseline) |  |  |  | 11.6 KiB | 177 | — |",
		"| `BenchmarkCall/wrapper` | 168.0 µs | 22% | 0.95× |  |  |  | 12.0 KiB | 190 | +13 |",
		"| `BenchmarkParallel/wrapper` | 145.6 µs | 42% | 1.16× (0.86× the throughput) |",
		"Floors missed in this run: ",
		"<!-- bench:end -->\noutro\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("README lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "stale figures") {
		t.Error("the old table was kept")
	}
}

func TestNoMarkers(t *testing.T) {
	readme := filepath.Join(t.TempDir(), "README.md")
	os.WriteFile(readme, []byte("no table here\n"), 0o644)
	in, _ := os.Open("testdata/before.csv")
	defer in.Close()
	if err := run(in, readme, 8, 2, nil); err == nil || !strings.Contains(err.Error(), "bench:start") {
		t.Errorf("err = %v", err)
	}
}

func TestPairedRatio(t *testing.T) {
	// Round 2 ran in a slow spell: both contestants slowed; the paired ratio ignores it.
	in := strings.NewReader(`BenchmarkCall/raw-2 	 100	 100000 ns/op	 1 B/op	 1 allocs/op
BenchmarkCall/wrapper-2 	 100	 104000 ns/op	 1 B/op	 1 allocs/op
BenchmarkCall/raw-2 	 100	 300000 ns/op	 1 B/op	 1 allocs/op
BenchmarkCall/wrapper-2 	 100	 318000 ns/op	 1 B/op	 1 allocs/op
BenchmarkCall/raw-2 	 100	 100000 ns/op	 1 B/op	 1 allocs/op
BenchmarkCall/wrapper-2 	 100	 102000 ns/op	 1 B/op	 1 allocs/op
`)
	rounds, err := parseRounds(in)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := pairedRatio(rounds["ns/op"]["Call/wrapper"], rounds["ns/op"]["Call/raw"])
	if !ok || got < 1.0399 || got > 1.0401 {
		t.Errorf("paired ratio = %v, want 1.04 (the median of 1.04, 1.06, 1.02)", got)
	}
}
