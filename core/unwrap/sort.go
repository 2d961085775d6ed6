package unwrap

import (
	"math/bits"
	"sync"

	"qpgo/internal/par"
)

// edgePool recycles edge buffers (32 MB each for a 1024² image): fresh
// memory of that size costs page faults and zeroing on every call, which
// is a noticeable part of the run time. The pool empties itself at GC.
var edgePool sync.Pool

// getEdges returns a buffer of length 0 and capacity ≥ n.
func getEdges(n int) []edge {
	if p, ok := edgePool.Get().(*[]edge); ok && cap(*p) >= n {
		return (*p)[:0]
	}
	return make([]edge, 0, n)
}

func putEdges(es []edge) {
	es = es[:0]
	edgePool.Put(&es)
}

const digitBits = 11 // 2048 buckets: the scatter targets stay in cache

// asyncMin is the number of edges from which sortEdgesAsync sorts in a
// goroutine of its own (a variable so that tests can move it).
var asyncMin = 1 << 16

// testPanic, when set by a test, makes the sorting goroutine panic.
var testPanic bool

// sortEdgesAsync sorts es by key (stable) and sends n on the returned
// channel each time es[:n] is in final order; it closes the channel when
// all of es is sorted or the sort failed. Large inputs are sorted in a
// goroutine, so that the caller can join the edges of the first buckets
// while later buckets are still being sorted. The caller must not read
// es[n:] before n is sent. After the channel is closed, wait reports
// whether the sort failed (a panic of the sorter is a qperr.Internal
// error); es is then not sorted.
func sortEdgesAsync(es []edge) (ch <-chan int, wait func() error) {
	c := make(chan int, 1<<digitBits+1)
	if len(es) < asyncMin {
		msdSort(es, make([]edge, len(es)))
		c <- len(es)
		close(c)
		return c, func() error { return nil }
	}
	return c, par.Go(func() error {
		defer close(c)
		if testPanic {
			panic("unwrap: test panic")
		}
		sortBuckets(es, c)
		return nil
	})
}

// sortBuckets is the goroutine part of sortEdgesAsync.
func sortBuckets(es []edge, ch chan<- int) {
	tmp := getEdges(len(es))[:len(es)]
	defer putEdges(tmp)
	lo, hi := keyRange(es)
	if lo == hi {
		ch <- len(es)
		return
	}
	var c [1<<digitBits + 1]int32
	var p [1 << digitBits]int32
	if msdSplit(es, tmp, lo, hi, digitBits, c[:], p[:]) == 0 {
		ch <- len(es)
		return
	}
	const batch = 1 << 14
	last := 0
	for b := range 1 << digitBits {
		l, r := int(c[b]), int(c[b+1])
		if r-l > 1 {
			msdSort(es[l:r], tmp[l:r])
		}
		if r-last >= batch {
			ch <- r
			last = r
		}
	}
	if last < len(es) {
		ch <- len(es)
	}
}

// quickerSort replays skimage's quicker_sort (median-of-three value pivot,
// Hoare-style partition on "< pivot" / ">= pivot"), which is not stable:
// the final order of equal keys is the one this exact procedure produces.
// Independent sub-ranges are kept on an explicit stack instead of the C
// recursion; that does not change the result.
func quickerSort(es []edge) {
	if len(es) < 2 {
		return
	}
	type span struct{ l, r int }
	stack := []span{{0, len(es) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		pivot, ok := findPivot(es, s.l, s.r)
		if !ok {
			continue
		}
		p := partition(es, s.l, s.r, pivot)
		stack = append(stack, span{s.l, p - 1}, span{p, s.r})
	}
}

func findPivot(es []edge, l, r int) (uint64, bool) {
	a, b, c := es[l].key, es[l+(r-l)/2].key, es[r].key
	if a > b {
		a, b = b, a
	}
	if a > c {
		a, c = c, a
	}
	if b > c {
		b, c = c, b
	}
	if a < b {
		return b, true
	}
	if b < c {
		return c, true
	}
	first := es[l].key
	for p := l + 1; p <= r; p++ {
		if es[p].key != first {
			return max(es[p].key, first), true
		}
	}
	return 0, false
}

func partition(es []edge, l, r int, pivot uint64) int {
	for l <= r {
		for es[l].key < pivot {
			l++
		}
		for es[r].key >= pivot {
			r--
		}
		if l < r {
			es[l], es[r] = es[r], es[l]
			l++
			r--
		}
	}
	return l
}

// msdSort sorts edges by key (stable) for the unwrapper: a 2048-way (256
// for short ranges) pass on the highest bits in which the keys of the range
// differ, then the same on each bucket, which soon fits in cache, down to
// insertion sort. On the W1 image it is about 1.5× faster than an LSD
// radix sort, which needs six full passes over 32 MB.
func msdSort(es, tmp []edge) {
	if len(es) <= 32 {
		insertionSort(es)
		return
	}
	lo, hi := keyRange(es)
	if lo == hi {
		return
	}
	if len(es) < 4096 {
		var c [1<<8 + 1]int32
		var p [1 << 8]int32
		msdBuckets(es, tmp, c[:], msdSplit(es, tmp, lo, hi, 8, c[:], p[:]))
	} else {
		var c [1<<digitBits + 1]int32
		var p [1 << digitBits]int32
		msdBuckets(es, tmp, c[:], msdSplit(es, tmp, lo, hi, digitBits, c[:], p[:]))
	}
}

func keyRange(es []edge) (lo, hi uint64) {
	lo, hi = es[0].key, es[0].key
	for _, e := range es[1:] {
		lo = min(lo, e.key)
		hi = max(hi, e.key)
	}
	return lo, hi
}

// msdSplit distributes es by one digit of nbits (through tmp, back into
// es). c and p are zeroed scratch of 2^nbits+1 and 2^nbits; afterwards
// bucket b is es[c[b]:c[b+1]]. It returns the digit's shift: 0 means the
// digit was the last one and es is sorted.
func msdSplit(es, tmp []edge, lo, hi uint64, nbits int, c, p []int32) int {
	nb := 1 << nbits
	mask := uint64(nb - 1)
	shift := max(bits.Len64(lo^hi)-nbits, 0)
	for _, e := range es {
		c[(e.key>>shift)&mask+1]++
	}
	for i := 1; i < len(c); i++ {
		c[i] += c[i-1]
	}
	copy(p, c[:nb])
	for _, e := range es {
		b := (e.key >> shift) & mask
		tmp[p[b]] = e
		p[b]++
	}
	copy(es, tmp)
	return shift
}

// msdBuckets sorts each bucket left by msdSplit.
func msdBuckets(es, tmp []edge, c []int32, shift int) {
	if shift == 0 {
		return
	}
	for b := range len(c) - 1 {
		if l, r := c[b], c[b+1]; r-l > 1 {
			msdSort(es[l:r], tmp[l:r])
		}
	}
}

func insertionSort(es []edge) {
	for i := 1; i < len(es); i++ {
		e := es[i]
		j := i
		for j > 0 && es[j-1].key > e.key {
			es[j] = es[j-1]
			j--
		}
		es[j] = e
	}
}
