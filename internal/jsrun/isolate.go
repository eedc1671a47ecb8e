package jsrun

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"
)

// An isolated run runs a script, or a regular expression the backtracking
// engine would match, in a child process: this executable run again, told
// by an environment variable to be a child. The child caps its own data
// segment (RLIMIT_DATA) and watches its heap, and the parent kills it at
// the time limit or when its context ends. So a script that doubles a
// string or builds a huge array, a regular expression that backtracks for
// minutes, or anything goja cannot interrupt (a native call, a regexp2
// match) costs at most its limits, fails alone with a clear error, and never
// takes the caller down: Go cannot survive running out of memory, and goja
// has no memory limit, so only another process can bound one.
//
// Why not in process: a watchdog that samples the heap and interrupts the
// runtime cannot stop one allocation larger than the memory left (a single
// "x".repeat(2**30)) nor a regexp2 match (goja checks interrupts between
// instructions only), and it cannot tell one script's growth from the rest
// of the process's. regexp2's MatchTimeout would bound a match, but goja
// reads a timed-out match as "no match", which silently flips a verdict.

// DefaultMemoryLimit is an isolated script's memory limit when the caller
// sets none: what the script may allocate beyond its runtime and response.
const DefaultMemoryLimit = 128 << 20

// childOverhead is what a child may map beyond its script's limit, the
// response and the runtime it starts with: the garbage the collector has not
// yet returned and the stacks of its threads. The child's data segment is
// capped at its size after setup plus the limit plus this.
const childOverhead = 64 << 20

// maxChildLife ends a child given no time limit.
const maxChildLife = 10 * time.Minute

// killGrace is how long past its time limit a child gets to report before
// it is killed.
const killGrace = 500 * time.Millisecond

// maxChildOutput bounds what is read of a child's report and of its stderr.
const (
	maxChildOutput = 1 << 20
	maxChildStderr = 16 << 10
)

// childEnv marks a process as an isolated run's child; its value is the
// protocol's version.
const (
	childEnv     = "PYTORCH_DATADOG_JSRUN_CHILD"
	childVersion = "1"
)

func init() {
	if os.Getenv(childEnv) == childVersion {
		os.Exit(childMain(os.Stdin, os.Stdout))
	}
}

// Limits bound an isolated run.
type Limits struct {
	// Time is the run's time limit; 0 is none (the context still bounds
	// it).
	Time time.Duration
	// Memory is what the script may allocate, in bytes; 0 is
	// DefaultMemoryLimit.
	Memory int64
}

func (l Limits) memory() int64 {
	if l.Memory <= 0 {
		return DefaultMemoryLimit
	}
	return l.Memory
}

// childRequest is what the parent sends: this line of JSON, then BodyLen
// bytes of body (the response's body, or the string a pattern is matched
// against).
type childRequest struct {
	Op         string            `json:"op"` // "run" or "match"
	Code       string            `json:"code,omitempty"`
	Pattern    string            `json:"pattern,omitempty"`
	StatusCode int               `json:"statusCode,omitempty"`
	Headers    map[string]string `json:"headers,omitempty"`
	BodyLen    int               `json:"bodyLen"`
	TimeMs     int64             `json:"timeMs"`
	Memory     int64             `json:"memory"`
}

// childReport is what the child answers, as one JSON document.
type childReport struct {
	Result Result `json:"result"`
	Match  bool   `json:"match,omitempty"`
	// Kind classifies Err: "syntax" (the script cannot run), "timeout",
	// "memory", or "error".
	Kind string `json:"kind,omitempty"`
	Err  string `json:"err,omitempty"`
}

// RunIsolated runs code against resp, as Run does, in a child process
// bounded by lim and ctx. The error is a syntax error, ErrTimeout, a
// *MemoryError, ctx's error when ctx ended first, or a failure of the child
// itself; a failed assertion is a Result.
func RunIsolated(ctx context.Context, code string, resp Response, lim Limits) (Result, error) {
	if _, err := Prepare(code); err != nil {
		return Result{}, err // a syntax error needs no child
	}
	rep, err := runChild(ctx, childRequest{Op: "run", Code: code, StatusCode: resp.StatusCode, Headers: resp.Headers}, resp.Body, lim)
	return rep.Result, err
}

// MatchContext reports whether s matches pattern as Match does, bounded by
// ctx and lim: a pattern that Go's linear-time engine runs (goja does so
// whenever it can) is matched here; one that needs the backtracking engine
// (lookaround, backreferences), which can take exponential time, in a child
// process as RunIsolated does.
func MatchContext(ctx context.Context, pattern, s string, lim Limits) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if Linear(pattern) {
		return Match(pattern, s)
	}
	if err := CompileRegExp(pattern); err != nil {
		return false, err
	}
	rep, err := runChild(ctx, childRequest{Op: "match", Pattern: pattern}, s, lim)
	return rep.Match, err
}

// Linear reports whether goja runs pattern (no flags) with Go's regexp, in
// time linear in the input, rather than with the backtracking regexp2: it
// decides the same way goja does. A pattern with characters beyond ASCII is
// reported as not linear, to be safe.
func Linear(pattern string) bool {
	for i := 0; i < len(pattern); i++ {
		if pattern[i] >= 0x80 {
			return false
		}
	}
	re2, err := parser.TransformRegExp(pattern, false, false)
	if err != nil {
		return false
	}
	_, err = regexp.Compile(re2)
	return err == nil
}

// capped keeps the first n bytes written to it and drops the rest.
type capped struct {
	buf bytes.Buffer
	n   int
	cut bool
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.n - c.buf.Len(); room < len(p) {
		c.cut = true
		c.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return c.buf.Write(p)
}

var executable = sync.OnceValues(os.Executable)

func runChild(ctx context.Context, req childRequest, body string, lim Limits) (childReport, error) {
	exe, err := executable()
	if err != nil {
		return childReport{}, fmt.Errorf("JavaScript runtime: cannot find this program to run it: %w", err)
	}
	req.BodyLen = len(body)
	req.TimeMs = lim.Time.Milliseconds()
	req.Memory = lim.memory()
	head, err := json.Marshal(req)
	if err != nil {
		return childReport{}, err
	}
	runCtx, cancel := ctx, context.CancelFunc(func() {})
	if lim.Time > 0 {
		runCtx, cancel = context.WithTimeout(ctx, lim.Time+killGrace)
	}
	defer cancel()
	cmd := exec.CommandContext(runCtx, exe)
	cmd.Env = append(os.Environ(), childEnv+"="+childVersion, "GOTRACEBACK=none", "GOMAXPROCS=2")
	cmd.Stdin = io.MultiReader(bytes.NewReader(head), strings.NewReader("\n"), strings.NewReader(body))
	stdout := &capped{n: maxChildOutput}
	stderr := &capped{n: maxChildStderr}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = time.Second
	cmd.SysProcAttr = orphanSignal()
	runErr := cmd.Run()

	switch {
	case ctx.Err() != nil:
		return childReport{}, ctx.Err()
	case runCtx.Err() != nil:
		return childReport{}, ErrTimeout
	}
	var rep childReport
	if runErr == nil && !stdout.cut {
		if err := json.Unmarshal(stdout.buf.Bytes(), &rep); err != nil {
			return childReport{}, fmt.Errorf("JavaScript runtime: unreadable report: %w", err)
		}
		switch rep.Kind {
		case "":
			return rep, nil
		case "timeout":
			return rep, ErrTimeout
		case "memory":
			return rep, &MemoryError{Limit: req.Memory}
		default:
			return rep, errors.New(rep.Err)
		}
	}
	// The child died without a report: out of memory (Go cannot survive
	// it, and the data segment cap makes it happen) or otherwise.
	msg := stderr.buf.String()
	if exhausted(msg) || nearCap(cmd.ProcessState, req.Memory) {
		return childReport{}, &MemoryError{Limit: req.Memory}
	}
	if stdout.cut {
		return childReport{}, errors.New("JavaScript runtime: the report is over 1 MB")
	}
	first, _, _ := strings.Cut(strings.TrimSpace(msg), "\n")
	if first == "" {
		first = runErr.Error()
	}
	return childReport{}, fmt.Errorf("JavaScript runtime failed: %s", clip(first, 512))
}

// exhausted says whether a child that died without a report ran out of
// memory. Past its data segment cap an allocation fails, and so does a
// new thread, whose stack the cap counts too (runtime/cgo: pthread_create
// failed, or the runtime's failed to create new OS thread), and a mapping
// the runtime counted on can fault (SIGSEGV): the child runs only Go and
// goja, so what brings it down is the cap its script ran into.
func exhausted(stderr string) bool {
	for _, sign := range []string{"out of memory", "cannot allocate memory", "pthread_create failed", "failed to create new OS thread", "SIGSEGV"} {
		if strings.Contains(stderr, sign) {
			return true
		}
	}
	return false
}

// nearCap says whether a child that died without a report had grown to at
// least half its script's memory limit: at its data segment cap a failed
// allocation can also surface as a fault (SIGSEGV) rather than a message,
// and a child that small never nears the cap otherwise.
func nearCap(ps *os.ProcessState, limit int64) bool {
	if ps == nil {
		return false
	}
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	return ok && ru.Maxrss*1024 >= limit/2
}

// childMain is the child's side: read the request, run it bounded, report.
func childMain(in io.Reader, out io.Writer) int {
	rep := child(in)
	if err := json.NewEncoder(out).Encode(rep); err != nil {
		fmt.Fprintln(os.Stderr, "jsrun child:", err)
		return 1
	}
	return 0
}

func child(in io.Reader) childReport {
	fail := func(kind string, err error) childReport { return childReport{Kind: kind, Err: err.Error()} }
	r := bufio.NewReaderSize(in, 64<<10)
	line, err := r.ReadBytes('\n')
	if err != nil {
		return fail("error", fmt.Errorf("reading the request: %w", err))
	}
	var req childRequest
	if err := json.Unmarshal(line, &req); err != nil {
		return fail("error", fmt.Errorf("reading the request: %w", err))
	}
	var body strings.Builder
	body.Grow(req.BodyLen)
	if _, err := io.CopyN(&body, r, int64(req.BodyLen)); err != nil {
		return fail("error", fmt.Errorf("reading the body: %w", err))
	}
	limit := time.Duration(req.TimeMs) * time.Millisecond
	// The child ends itself past its time limit whatever it is doing (a
	// regexp2 match cannot be interrupted), so that it never outlives its
	// purpose, even should its parent be gone (see also orphanSignal).
	hard := limit + 2*killGrace
	if limit <= 0 {
		hard = maxChildLife
	}
	time.AfterFunc(hard, func() { os.Exit(3) })
	switch req.Op {
	case "run":
		s, err := Prepare(req.Code)
		if err != nil {
			return fail("syntax", err)
		}
		res, err := s.run(Response{StatusCode: req.StatusCode, Body: body.String(), Headers: req.Headers}, limit, watchMemory(req.Memory))
		var mem *MemoryError
		switch {
		case errors.Is(err, ErrTimeout):
			return childReport{Result: res, Kind: "timeout", Err: err.Error()}
		case errors.As(err, &mem):
			return childReport{Result: res, Kind: "memory", Err: err.Error()}
		case err != nil:
			return childReport{Result: res, Kind: "error", Err: err.Error()}
		}
		return childReport{Result: res}
	case "match":
		// The match itself cannot be interrupted: the parent's kill at
		// the time limit and the data segment cap bound it.
		capData(req.Memory)
		ok, err := Match(req.Pattern, body.String())
		if err != nil {
			return fail("error", err)
		}
		return childReport{Match: ok}
	}
	return fail("error", fmt.Errorf("unknown op %q", req.Op))
}

// capData caps the process's data segment at what it maps now plus limit
// and childOverhead: past it, an allocation fails and Go stops the process
// with "out of memory", which the parent reports as the limit exceeded.
func capData(limit int64) {
	mapped := vmData()
	if mapped <= 0 {
		return
	}
	c := uint64(mapped + limit + childOverhead)
	_ = syscall.Setrlimit(syscall.RLIMIT_DATA, &syscall.Rlimit{Cur: c, Max: c})
}

// vmData is the process's data segment in bytes (VmData), or 0 when it
// cannot be read.
func vmData() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmData:"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb); err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// watchMemory returns a hook that, once the runtime is set up (the response
// in it), takes the heap's size as the base, caps the data segment, tells
// the collector to keep the heap under base plus limit, and interrupts the
// script when its heap stays over that after a collection. Only the script
// runs in this process, so what the heap grows by is the script's.
func watchMemory(limit int64) func(vm *goja.Runtime) func() {
	return func(vm *goja.Runtime) func() {
		runtime.GC()
		base := heapBytes()
		capData(limit)
		debug.SetMemoryLimit(base + limit + limit/4)
		done := make(chan struct{})
		stopped := make(chan struct{})
		go func() {
			defer close(stopped)
			tick := time.NewTicker(2 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-done:
					return
				case <-tick.C:
				}
				if heapBytes()-base <= limit {
					continue
				}
				runtime.GC() // garbage is not the script's to pay for
				if heapBytes()-base > limit {
					vm.Interrupt(&MemoryError{Limit: limit})
					return
				}
			}
		}()
		return func() {
			close(done)
			<-stopped
		}
	}
}

// heapBytes is the memory held by heap objects, live or not yet swept.
func heapBytes() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}
