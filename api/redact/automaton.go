package redact

// An Aho–Corasick automaton over the raw secrets.
//
// Hand-rolled rather than imported: the package must stay standard-library
// only (api imports it, and api's import graph is kept small), the
// well-kept implementations are Rust's (BurntSushi/aho-corasick); the Go
// ones found build dense transition tables (256 entries per state), which
// for a 1 MiB access token would be a gigabyte, and report every
// overlapping match where redaction needs only the longest match ending at
// each byte. This one stores the trie as first-child/next-sibling lists
// (21 bytes per state, a dense table only at the root) and keeps for every
// state the length of the longest secret that is a suffix of it.
type automaton struct {
	root  [256]int32 // the root's children; 0 for none
	label []byte     // the byte on the edge into each state
	child []int32    // first child; 0 for none (state 0 is the root, never a child)
	sib   []int32    // next sibling; 0 for none
	fail  []int32    // failure link
	out   []int32    // length of the longest secret that is a suffix of this state's string; 0 for none
	depth []int32    // length of this state's string
}

func (a *automaton) newState(c byte) int32 {
	a.label = append(a.label, c)
	a.child = append(a.child, 0)
	a.sib = append(a.sib, 0)
	a.fail = append(a.fail, 0)
	a.out = append(a.out, 0)
	a.depth = append(a.depth, 0)
	return int32(len(a.label) - 1)
}

// next returns the child of s labelled c, or 0. A non-root state has at
// most one child per secret, so the sibling walk is bounded by their count.
func (a *automaton) next(s int32, c byte) int32 {
	if s == 0 {
		return a.root[c]
	}
	for t := a.child[s]; t != 0; t = a.sib[t] {
		if a.label[t] == c {
			return t
		}
	}
	return 0
}

func build(pats [][]byte) *automaton {
	total := 1
	for _, p := range pats {
		total += len(p)
	}
	a := &automaton{
		label: make([]byte, 0, total), child: make([]int32, 0, total), sib: make([]int32, 0, total),
		fail: make([]int32, 0, total), out: make([]int32, 0, total), depth: make([]int32, 0, total),
	}
	a.newState(0) // the root
	for _, p := range pats {
		s := int32(0)
		for _, c := range p {
			t := a.next(s, c)
			if t == 0 {
				t = a.newState(c)
				a.depth[t] = a.depth[s] + 1
				if s == 0 {
					a.root[c] = t
				} else {
					a.sib[t] = a.child[s]
					a.child[s] = t
				}
			}
			s = t
		}
		a.out[s] = max(a.out[s], int32(len(p)))
	}
	// Failure links in breadth-first order. For each secret the walk down
	// its path costs O(len) in total: the failure depth rises by at most
	// one per byte and every failure step lowers it.
	queue := make([]int32, 0, len(a.label))
	for c := range 256 {
		if t := a.root[c]; t != 0 {
			queue = append(queue, t)
		}
	}
	for h := 0; h < len(queue); h++ {
		u := queue[h]
		for v := a.child[u]; v != 0; v = a.sib[v] {
			c := a.label[v]
			f := a.fail[u]
			for f != 0 && a.next(f, c) == 0 {
				f = a.fail[f]
			}
			a.fail[v] = a.next(f, c) // never v itself: f is shallower than u
			a.out[v] = max(a.out[v], a.out[a.fail[v]])
			queue = append(queue, v)
		}
	}
	return a
}

// search calls f(end, n) for each byte b[end] at which a secret ends, n
// being the length of the longest one. Linear in len(b): the state's depth
// rises by at most one per byte and each failure step lowers it, so there
// are fewer failure steps than bytes; it returns their count (for tests),
// and tail: the length of the longest suffix of b that begins a secret.
func (a *automaton) search(b []byte, f func(end, n int)) (failSteps, tail int) {
	s := int32(0)
	for i, c := range b {
		for s != 0 && a.next(s, c) == 0 {
			s = a.fail[s]
			failSteps++
		}
		s = a.next(s, c)
		if n := a.out[s]; n > 0 {
			f(i, int(n))
		}
	}
	return failSteps, int(a.depth[s])
}
