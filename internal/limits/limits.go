package limits

import (
	"math"
	"sync/atomic"
	"syscall"
	"time"

	"qpgo/core/qperr"
)

// DeflateMaxRatio is the largest expansion of a deflate stream (RFC 1951:
// a 258-byte match costs at least 2 bits, so about 1032:1).
const DeflateMaxRatio = 1032

// DefaultMaxAlloc is the default budget of one allocation driven by a
// file: 4 GiB, or half the physical memory if that is smaller.
var DefaultMaxAlloc = func() int64 {
	const d = 4 << 30
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) == nil {
		if phys := int64(si.Totalram) * int64(si.Unit); phys > 0 && phys/2 < d {
			return phys / 2
		}
	}
	return d
}()

// DefaultMaxAttr is the default budget of one HDF5 attribute read (qpimage
// and hexrd attributes are scalars and short arrays; libhdf5 keeps compact
// attributes under 64 KiB).
const DefaultMaxAttr = 64 << 20

var (
	maxAttr         atomic.Int64
	maxAlloc        atomic.Int64
	validateTimeout atomic.Int64 // nanoseconds; 0 means proportional to the file size
)

func init() {
	maxAlloc.Store(DefaultMaxAlloc)
	maxAttr.Store(DefaultMaxAttr)
}

// MaxAttr is the process-wide budget of one attribute read, in bytes.
func MaxAttr() int64 { return maxAttr.Load() }

// SetMaxAttr sets the attribute budget; n <= 0 restores the default.
func SetMaxAttr(n int64) {
	if n <= 0 {
		n = DefaultMaxAttr
	}
	maxAttr.Store(n)
}

// CheckAttr refuses an attribute read of need bytes (avail: what the file
// stores for it, < 0 unknown) beyond the file or the attribute budget (and
// the allocation budget, if that is smaller).
func CheckAttr(what string, need, avail int64) error {
	if need < 0 {
		return qperr.New(qperr.IO, "%s: declared size overflows", what)
	}
	if avail >= 0 && need > avail {
		return qperr.New(qperr.IO, "%s: declares %d bytes but the file stores %d", what, need, avail)
	}
	if lim := min(MaxAttr(), MaxAlloc()); need > lim {
		return qperr.New(qperr.IO, "%s: needs %d bytes, over the attribute budget of %d bytes (qpgo_set_limits max_attr_bytes)", what, need, lim)
	}
	return nil
}

// MaxAlloc is the process-wide budget in bytes.
func MaxAlloc() int64 { return maxAlloc.Load() }

// SetMaxAlloc sets the process-wide budget; n <= 0 restores the default.
func SetMaxAlloc(n int64) {
	if n <= 0 {
		n = DefaultMaxAlloc
	}
	maxAlloc.Store(n)
}

// ValidateTimeout is the fixed deadline of the HDF5 validation child, or 0
// when it is proportional to the file size (see core/h5).
func ValidateTimeout() time.Duration { return time.Duration(validateTimeout.Load()) }

// SetValidateTimeout sets a fixed validation deadline; d <= 0 restores the
// size-proportional default.
func SetValidateTimeout(d time.Duration) {
	if d < 0 {
		d = 0
	}
	validateTimeout.Store(int64(d))
}

// Budget is a per-open budget: 0 means the process-wide one.
type Budget int64

// Bytes is the effective budget.
func (b Budget) Bytes() int64 {
	if b > 0 {
		return int64(b)
	}
	return MaxAlloc()
}

// Elements is the product of shape, or ok false if an entry is negative or
// the product overflows.
func Elements(shape []int) (n int64, ok bool) {
	n = 1
	for _, s := range shape {
		if s < 0 {
			return 0, false
		}
		if s != 0 && n > math.MaxInt64/int64(s) {
			return 0, false
		}
		n *= int64(s)
	}
	return n, true
}

// Bytes returns n*size, or -1 on overflow or negative inputs.
func Mul(n, size int64) int64 {
	if n < 0 || size < 0 || (size != 0 && n > math.MaxInt64/size) {
		return -1
	}
	return n * size
}

// Check refuses an allocation of need bytes for what: need must be known
// (>= 0), at most avail (what the file can hold; avail < 0: unknown) and
// at most the budget.
func (b Budget) Check(what string, need, avail int64) error {
	if need < 0 {
		return qperr.New(qperr.IO, "%s: declared size overflows", what)
	}
	if avail >= 0 && need > avail {
		return qperr.New(qperr.IO, "%s: declares %d bytes but the file holds at most %d", what, need, avail)
	}
	if lim := b.Bytes(); need > lim {
		return qperr.New(qperr.IO, "%s: needs %d bytes, over the memory budget of %d bytes (qpgo_set_limits / max_alloc_bytes)", what, need, lim)
	}
	return nil
}

// Check is Budget(0).Check: the process-wide budget.
func Check(what string, need, avail int64) error { return Budget(0).Check(what, need, avail) }
