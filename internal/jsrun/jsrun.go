// Package jsrun runs the JavaScript assertion of a Datadog synthetics API
// test the way Datadog's runtime does, under goja: the script sees
// dd.response (statusCode, body as a raw string, headers with lowercase
// names), asserts with a chai-style dd.expect, and writes with console.log
// and console.error. The assertion fails when the script throws; a
// top-level `return` is a syntax error, as in Datadog's module runtime.
package jsrun

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// Response is what the script sees as dd.response.
type Response struct {
	StatusCode int
	Body       string
	// Headers by name; names are lowercased before the script sees them.
	Headers map[string]string
}

// Result is the outcome of one run.
type Result struct {
	// Passed is false when the script threw.
	Passed bool
	// Failure is the thrown error's message when it did.
	Failure string
	// Logs and Errors are what the script wrote with console.log and
	// console.error.
	Logs, Errors []string
}

// ErrTimeout is returned when a script runs past its time limit.
var ErrTimeout = errors.New("script timed out")

// MemoryError is returned when a script grows past its memory limit; only
// an isolated run (RunIsolated) has one.
type MemoryError struct {
	// Limit is the limit in bytes.
	Limit int64
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("the script exceeded its memory limit of %d MB", e.Limit>>20)
}

// maxMessage bounds a thrown message kept in a Result, and maxConsole what
// console.log and console.error keep, in bytes: a script that throws or
// logs a huge string is reported, not copied whole.
const (
	maxMessage = 4 << 10
	maxConsole = 64 << 10
)

// clip shortens s to at most n bytes, saying so.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("... (%d bytes cut)", len(s)-cut)
}

// Compile checks that code is a script Datadog would accept.
func Compile(code string) error {
	_, err := goja.Compile("assertion.js", code, true)
	return err
}

// CompileRegExp checks that pattern is a JavaScript regular expression, as
// Datadog evaluates matches and doesNotMatch targets: new RegExp(pattern).
func CompileRegExp(pattern string) error {
	vm := goja.New()
	if err := vm.Set("pattern", pattern); err != nil {
		return err
	}
	_, err := vm.RunString("new RegExp(pattern)")
	var exc *goja.Exception
	if errors.As(err, &exc) {
		return errors.New(thrownMessage(exc))
	}
	return err
}

// Match reports whether s matches pattern as JavaScript's
// new RegExp(pattern).test(s) does: unanchored, no flags.
func Match(pattern, s string) (bool, error) {
	vm := goja.New()
	if err := vm.Set("pattern", pattern); err != nil {
		return false, err
	}
	if err := vm.Set("s", s); err != nil {
		return false, err
	}
	v, err := vm.RunString("new RegExp(pattern).test(s)")
	var exc *goja.Exception
	if errors.As(err, &exc) {
		return false, errors.New(thrownMessage(exc))
	}
	if err != nil {
		return false, err
	}
	return v.ToBoolean(), nil
}

// Run runs code against resp. The error is for a script that cannot run at
// all (a syntax error, a timeout); a failed assertion is a Result.
func Run(code string, resp Response, limit time.Duration) (Result, error) {
	s, err := Prepare(code)
	if err != nil {
		return Result{}, err
	}
	return s.Run(resp, limit)
}

// Script is a script compiled once, to run against many responses: what
// replaying a test over months of data needs. It is safe for concurrent use.
type Script struct {
	prog *goja.Program
}

// Prepare compiles code as Run would; the error is a syntax error.
func Prepare(code string) (*Script, error) {
	prog, err := goja.Compile("assertion.js", code, true)
	if err != nil {
		return nil, err
	}
	return &Script{prog: prog}, nil
}

// prelude is ddPrelude, compiled once for every run.
var prelude = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("dd.js", ddPrelude, false)
})

// Run runs the script against resp, as the package's Run does. Each run has
// a runtime of its own: a script declares top-level constants (a queue
// check's params), which a second run in the same runtime could not.
func (s *Script) Run(resp Response, limit time.Duration) (Result, error) {
	return s.run(resp, limit, nil)
}

// run is Run with a hook: watch, when set, is called once the runtime is
// set up, just before the script runs, and the function it returns once the
// script has stopped. An isolated run watches its memory with it.
func (s *Script) run(resp Response, limit time.Duration, watch func(vm *goja.Runtime) (stop func())) (Result, error) {
	pre, err := prelude()
	if err != nil {
		return Result{}, fmt.Errorf("dd runtime: %w", err)
	}
	vm := goja.New()
	if err := installJSONParse(vm); err != nil {
		return Result{}, fmt.Errorf("dd runtime: %w", err)
	}
	var res Result
	console := vm.NewObject()
	written := 0 // bytes kept from console.log and console.error
	write := func(into *[]string) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			if written > maxConsole {
				return goja.Undefined()
			}
			parts := make([]string, len(call.Arguments))
			for i, a := range call.Arguments {
				parts[i] = a.String()
			}
			line := strings.Join(parts, " ")
			if written+len(line) > maxConsole {
				line = clip(line, max(maxConsole-written, 0)) + " (console output cut at 64 KB)"
			}
			written += len(line)
			*into = append(*into, line)
			return goja.Undefined()
		}
	}
	if err := console.Set("log", write(&res.Logs)); err != nil {
		return Result{}, err
	}
	if err := console.Set("error", write(&res.Errors)); err != nil {
		return Result{}, err
	}
	if err := vm.Set("console", console); err != nil {
		return Result{}, err
	}
	headers := map[string]any{}
	for k, v := range resp.Headers {
		headers[strings.ToLower(k)] = v
	}
	if err := vm.Set("__response", map[string]any{
		"statusCode": resp.StatusCode,
		"body":       resp.Body,
		"headers":    headers,
	}); err != nil {
		return Result{}, err
	}
	if _, err := vm.RunProgram(pre); err != nil {
		return Result{}, fmt.Errorf("dd runtime: %w", err)
	}

	if limit > 0 {
		timer := time.AfterFunc(limit, func() { vm.Interrupt(ErrTimeout) })
		defer timer.Stop()
	}
	if watch != nil {
		stop := watch(vm)
		_, err = vm.RunProgram(s.prog)
		stop()
	} else {
		_, err = vm.RunProgram(s.prog)
	}
	var interrupted *goja.InterruptedError
	switch {
	case err == nil:
		res.Passed = true
	case errors.As(err, &interrupted):
		if e, ok := interrupted.Value().(error); ok {
			return res, e
		}
		return res, ErrTimeout
	default:
		var exc *goja.Exception
		if errors.As(err, &exc) {
			res.Failure = clip(thrownMessage(exc), maxMessage)
		} else {
			res.Failure = clip(err.Error(), maxMessage)
		}
	}
	return res, nil
}

// thrownMessage is what the script threw, as chai shows it. Reading a
// thrown object's name and message runs the script's own getters, which
// may throw or be interrupted in turn: then the message says so.
func thrownMessage(exc *goja.Exception) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = "a thrown value whose message cannot be read"
		}
	}()
	if obj, ok := exc.Value().(*goja.Object); ok {
		if m := obj.Get("message"); m != nil && !goja.IsUndefined(m) {
			if name := obj.Get("name"); name != nil && !goja.IsUndefined(name) && name.String() != "Error" {
				return name.String() + ": " + m.String()
			}
			return m.String()
		}
	}
	return exc.Value().String()
}

// ddPrelude defines dd: the response and the chai subset the project's
// scripts use (expect(x[, message]) with to.be.true, to.be.false, to.equal,
// to.eql and not), failing with chai's AssertionError and message.
const ddPrelude = `
var dd = (function () {
  class AssertionError extends Error {
    constructor(message) { super(message); this.name = 'AssertionError'; }
  }
  const show = (v) => (typeof v === 'string' ? JSON.stringify(v) : (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)));
  function expect(actual, message) {
    let negate = false;
    const fail = (what) => {
      throw new AssertionError((message ? message + ': ' : '') + 'expected ' + show(actual) + (negate ? ' not' : '') + ' ' + what);
    };
    const check = (ok, what) => { if (ok === negate) fail(what); return chain; };
    const chain = {
      equal(expected) { return check(actual === expected, 'to equal ' + show(expected)); },
      eql(expected) { return check(JSON.stringify(actual) === JSON.stringify(expected), 'to deeply equal ' + show(expected)); },
    };
    Object.defineProperty(chain, 'to', { get() { return chain; } });
    Object.defineProperty(chain, 'be', { get() { return chain; } });
    Object.defineProperty(chain, 'not', { get() { negate = !negate; return chain; } });
    Object.defineProperty(chain, 'true', { get() { return check(actual === true, 'to be true'); } });
    Object.defineProperty(chain, 'false', { get() { return check(actual === false, 'to be false'); } });
    return chain;
  }
  return { expect: expect, response: __response };
})();
`
