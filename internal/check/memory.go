package check

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/pytorch-fdn/pytorch-datadog/internal/jsrun"
)

// MemoryBound is the most memory a run of the tests holds at once, in
// bytes, whatever Options.Parallel: the program with its children (the
// processes that run JavaScript assertions). Everything below is carved
// out of it; change this one number and the shares follow.
const MemoryBound = 1 << 30

// How MemoryBound is shared:
//
//   - processShare: the program itself (runtime, config, the tests);
//   - scripts: scriptSlots child processes at once, each its script's limit
//     (scriptMemory) plus its runtime and garbage (scriptShare);
//   - bodies: every request in flight holds baseCost (its headers, buffers
//     and a small body) from basePool, so no more than basePool/baseCost
//     requests are in flight, however many tests run at once; a body larger
//     than smallBody, or of unknown size past it, takes its worst case
//     (largeCost) from largePool; a brotli body's decoder window comes from
//     brotliSlots windows of brotliWindow.
//
// A body counts three times its size: the chunks it is read in, the string
// they are joined into, and the UTF-16 copy a JavaScript engine may make of
// it (in this process for a regular expression, in a child for a script).
const (
	processShare = 64 << 20
	scriptSlots  = 2
	scriptMemory = jsrun.DefaultMemoryLimit
	scriptShare  = scriptMemory + 112<<20

	maxHeaderBytes = 16 << 10
	smallBody      = 256 << 10
	baseCost       = 64<<10 + 3*smallBody
	basePool       = 64 << 20
	largeCost      = 3 * maxBody
	brotliSlots    = 4
	brotliWindow   = 16 << 20
	largePool      = MemoryBound - processShare - scriptSlots*scriptShare - basePool - brotliSlots*brotliWindow
)

// The shares must leave room for at least one large body.
const _ = uint64(largePool - largeCost)

// budget holds a run's shares of MemoryBound.
type budget struct {
	base, large, brotli, scripts *semaphore.Weighted
}

func newBudget() *budget {
	return &budget{
		base:    semaphore.NewWeighted(basePool),
		large:   semaphore.NewWeighted(largePool),
		brotli:  semaphore.NewWeighted(brotliSlots),
		scripts: semaphore.NewWeighted(scriptSlots),
	}
}

// errTestTimeout is the cause of an attempt's context ending at the test's
// timeout.
var errTestTimeout = errors.New("the test's timeout")

// clock is an attempt's timeout. It stops while the attempt waits for a
// share of memory or for a script slot, so that a test pays for its own
// time only: a runaway test next to it fails alone, instead of making the
// others time out while they queue behind it.
type clock struct {
	ctx    context.Context
	cancel context.CancelCauseFunc

	mu       sync.Mutex
	timer    *time.Timer
	deadline time.Time
	waited   time.Duration
}

func newClock(parent context.Context, d time.Duration) *clock {
	ctx, cancel := context.WithCancelCause(parent)
	c := &clock{ctx: ctx, cancel: cancel, deadline: time.Now().Add(d)}
	c.timer = time.AfterFunc(d, func() { cancel(errTestTimeout) })
	return c
}

// wait runs f, which waits for a resource, with the clock stopped.
func (c *clock) wait(f func(ctx context.Context) error) error {
	c.mu.Lock()
	stopped := c.timer.Stop()
	left := time.Until(c.deadline)
	c.mu.Unlock()
	if !stopped {
		return f(c.ctx) // the timeout has struck; f sees it
	}
	start := time.Now()
	err := f(c.ctx)
	c.mu.Lock()
	c.waited += time.Since(start)
	c.deadline = time.Now().Add(left)
	c.timer.Reset(left)
	c.mu.Unlock()
	return err
}

// remaining is the time left before the timeout.
func (c *clock) remaining() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Until(c.deadline)
}

// waitedFor is how long the attempt has waited with the clock stopped.
func (c *clock) waitedFor() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.waited
}

// timedOut reports whether the attempt ended at its timeout.
func (c *clock) timedOut() bool { return context.Cause(c.ctx) == errTestTimeout }

func (c *clock) stop() {
	c.timer.Stop()
	c.cancel(context.Canceled)
}
