// Command benchtable rewrites the benchmark table in README.md from benchstat's CSV output
// (`make bench` pipes it in), between the lines <!-- bench:start --> and <!-- bench:end -->,
// so the README's figures are always a run's, never typed in. It also checks the floors of
// issue 14 against the raw baseline and exits 1 when one is missed.
package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	startMarker = "<!-- bench:start -->"
	endMarker   = "<!-- bench:end -->"
)

func main() {
	readme := flag.String("readme", "README.md", "file whose table to rewrite")
	count := flag.Int("count", 0, "runs per benchmark (for the method line)")
	cpu := flag.Int("cpu", 0, "GOMAXPROCS of the runs (for the method line)")
	rawFile := flag.String("raw", "", "the benchmark output benchstat read, one round after another: ratios to raw are then medians of per-round ratios")
	flag.Parse()
	var rounds map[string]map[string][]float64
	if *rawFile != "" {
		f, err := os.Open(*rawFile)
		if err == nil {
			rounds, err = parseRounds(f)
			f.Close()
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchtable:", err)
			os.Exit(1)
		}
	}
	if err := run(os.Stdin, *readme, *count, *cpu, rounds); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

// stat is one benchmark's median and benchstat's confidence interval, per unit.
type stat struct {
	median float64
	ci     string
}

type results struct {
	cpu   string
	order []string                   // benchmark names as benchstat lists them
	units map[string]map[string]stat // unit -> name -> stat
}

// parse reads benchstat -format csv: a few "key: value" header lines, then one block per unit
// (",file,", ",unit,CI", then name,value,CI rows), blocks separated by blank lines.
func parse(r io.Reader) (*results, error) {
	res := &results{units: map[string]map[string]stat{}}
	sc := bufio.NewScanner(r)
	var block []string
	flush := func() error {
		defer func() { block = nil }()
		if len(block) < 2 {
			return nil
		}
		rows, err := csv.NewReader(strings.NewReader(strings.Join(block, "\n"))).ReadAll()
		if err != nil {
			return err
		}
		if len(rows) < 2 || len(rows[1]) < 2 {
			return nil
		}
		unit := rows[1][1]
		m := map[string]stat{}
		for _, row := range rows[2:] {
			if len(row) < 2 || row[0] == "geomean" {
				continue
			}
			v, err := strconv.ParseFloat(row[1], 64)
			if err != nil {
				return fmt.Errorf("%s %s: %v", unit, row[0], err)
			}
			ci := ""
			if len(row) > 2 {
				ci = row[2]
			}
			name := strings.TrimSuffix(row[0], "-"+suffix(row[0]))
			m[name] = stat{v, ci}
			if unit == "sec/op" {
				res.order = append(res.order, name)
			}
		}
		res.units[unit] = m
		return nil
	}
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "cpu: "):
			res.cpu = strings.TrimPrefix(line, "cpu: ")
		case strings.TrimSpace(line) == "":
			if err := flush(); err != nil {
				return nil, err
			}
		case strings.Contains(line, ","):
			block = append(block, line)
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if len(res.units["sec/op"]) == 0 || len(res.units["allocs/op"]) == 0 {
		return nil, errors.New("no sec/op or allocs/op in the input: run benchmarks with -benchmem through benchstat -format csv")
	}
	return res, sc.Err()
}

// parseRounds reads `go test -bench` output: each benchmark's value per round, in order, by
// unit ("ns/op", "cpu-ns/op", …).
func parseRounds(r io.Reader) (map[string]map[string][]float64, error) {
	out := map[string]map[string][]float64{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := strings.TrimPrefix(f[0], "Benchmark")
		name = strings.TrimSuffix(name, "-"+suffix(name))
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", f[0], err)
			}
			if out[f[i+1]] == nil {
				out[f[i+1]] = map[string][]float64{}
			}
			out[f[i+1]][name] = append(out[f[i+1]][name], v)
		}
	}
	return out, sc.Err()
}

// pairedRatio is the median over rounds of a's time over b's in the same round: contestants
// of one round ran seconds apart, so a slow spell of the shared machine cancels out.
func pairedRatio(a, b []float64) (float64, bool) {
	n := min(len(a), len(b))
	if n == 0 {
		return 0, false
	}
	r := make([]float64, n)
	for i := range n {
		r[i] = a[i] / b[i]
	}
	sort.Float64s(r)
	if n%2 == 1 {
		return r[n/2], true
	}
	return (r[n/2-1] + r[n/2]) / 2, true
}

// suffix is the -GOMAXPROCS suffix of a benchmark name ("2" in "Call/raw-2"), or "".
func suffix(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return ""
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return ""
	}
	return name[i+1:]
}

func duration(sec float64) string {
	d := time.Duration(sec * 1e9)
	switch {
	case d >= time.Millisecond:
		return fmt.Sprintf("%.2f ms", sec*1e3)
	default:
		return fmt.Sprintf("%.1f µs", sec*1e6)
	}
}

// table renders the figures and checks the floors. The baseline of "group/x" is "group/raw".
func table(res *results, count, cpu int, rounds map[string]map[string][]float64) (string, []string) {
	var b strings.Builder
	var missed []string
	fmt.Fprintf(&b, "Taken %s with %s on %q, GOMAXPROCS=%d: each benchmark run %d times, interleaved\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), runtime.Version(), res.cpu, cpu, count)
	b.WriteString("(the test binary runs once per round, so a slow spell of the machine hits every contestant alike);\n")
	b.WriteString("medians and 95 % confidence intervals (±) from benchstat. ")
	if rounds != nil {
		b.WriteString("\"vs raw\" is the median of the per-round ratios to raw\n(paired, so slow spells cancel out). ")
	} else {
		b.WriteString("\"vs raw\" is the ratio of the medians. ")
	}
	b.WriteString("CPU/op is the CPU time of the whole process (client and\nloopback server) per call: on a shared machine wall time measures the neighbours as much as the\ncode, CPU time mostly the work.\n\n")
	secs, allocs, bytesOp, cpus := res.units["sec/op"], res.units["allocs/op"], res.units["B/op"], res.units["cpu-sec/op"]
	if len(cpus) == 0 {
		cpus = res.units["cpu-ns/op"]
		for k, v := range cpus {
			cpus[k] = stat{v.median / 1e9, v.ci}
		}
	}
	b.WriteString("| benchmark | time/op | ± | vs raw | CPU/op | ± | vs raw | B/op | allocs/op | vs raw |\n|---|---|---|---|---|---|---|---|---|---|\n")
	// ratio is name's figure over its group's raw one: the median of per-round ratios when the
	// rounds are known, else the ratio of the medians.
	ratio := func(m map[string]stat, unit, name, rawName string) float64 {
		if r, ok := pairedRatio(rounds[unit][name], rounds[unit][rawName]); ok {
			return r
		}
		return m[name].median / m[rawName].median
	}
	for _, name := range res.order {
		group, who, _ := strings.Cut(name, "/")
		rawName := group + "/raw"
		_, hasRaw := secs[rawName]
		s := secs[name]
		vs, cvs, avs := "", "", ""
		if hasRaw && who != "raw" {
			r := ratio(secs, "ns/op", name, rawName)
			vs = fmt.Sprintf("%.2f×", r)
			if group == "Parallel" {
				vs += fmt.Sprintf(" (%.2f× the throughput)", 1/r)
			}
			if _, ok := cpus[name]; ok {
				cvs = fmt.Sprintf("%.2f×", ratio(cpus, "cpu-ns/op", name, rawName))
			}
			extra := math.Round(allocs[name].median - allocs[rawName].median)
			avs = fmt.Sprintf("%+d", int(extra))
			if who == "wrapper" {
				switch {
				case group == "Call" && r > 1.10:
					missed = append(missed, fmt.Sprintf("%s: %.2f× raw time/op (floor 1.10×)", name, r))
				case group == "Parallel" && 1/r < 0.95:
					missed = append(missed, fmt.Sprintf("%s: %.2f× raw throughput (floor 0.95×)", name, 1/r))
				}
				// The allocation floor is the call's (sequential and parallel); the token
				// cycle's extra allocations are x/oauth2's token request, reported as they are.
				if (group == "Call" || group == "Parallel") && extra > 10 {
					missed = append(missed, fmt.Sprintf("%s: %+.0f allocs/op vs raw (floor +10)", name, extra))
				}
			}
		} else if who == "raw" {
			vs, avs = "1.00× (baseline)", "—"
			if _, ok := cpus[name]; ok {
				cvs = "1.00×"
			}
		}
		cpu, cci := "", ""
		if c, ok := cpus[name]; ok {
			cpu, cci = duration(c.median), c.ci
		}
		fmt.Fprintf(&b, "| `Benchmark%s` | %s | %s | %s | %s | %s | %s | %.1f KiB | %.0f | %s |\n",
			name, duration(s.median), s.ci, vs, cpu, cci, cvs, bytesOp[name].median/1024, allocs[name].median, avs)
	}
	if len(missed) == 0 {
		b.WriteString("\nFloors (wrapper ≤ 1.10× raw time sequentially, ≥ 0.95× raw throughput at 64 goroutines, ≤ raw + 10 allocs per call): met.\n")
	} else {
		b.WriteString("\nFloors missed in this run: " + strings.Join(missed, "; ") + ".\n")
	}
	return b.String(), missed
}

func run(in io.Reader, readme string, count, cpu int, rounds map[string]map[string][]float64) error {
	res, err := parse(in)
	if err != nil {
		return err
	}
	old, err := os.ReadFile(readme)
	if err != nil {
		return err
	}
	before, rest, ok1 := bytes.Cut(old, []byte(startMarker+"\n"))
	_, after, ok2 := bytes.Cut(rest, []byte(endMarker+"\n"))
	if !ok1 || !ok2 {
		return fmt.Errorf("%s: no %s … %s section", readme, startMarker, endMarker)
	}
	tbl, missed := table(res, count, cpu, rounds)
	var out bytes.Buffer
	out.Write(before)
	out.WriteString(startMarker + "\n" + tbl + endMarker + "\n")
	out.Write(after)
	if err := os.WriteFile(readme, out.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Print(tbl)
	if len(missed) > 0 {
		return fmt.Errorf("floors missed: %s", strings.Join(missed, "; "))
	}
	return nil
}
