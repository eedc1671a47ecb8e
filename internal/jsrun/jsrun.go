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
	pre, err := prelude()
	if err != nil {
		return Result{}, fmt.Errorf("dd runtime: %w", err)
	}
	vm := goja.New()
	var res Result
	console := vm.NewObject()
	write := func(into *[]string) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			parts := make([]string, len(call.Arguments))
			for i, a := range call.Arguments {
				parts[i] = a.String()
			}
			*into = append(*into, strings.Join(parts, " "))
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
	_, err = vm.RunProgram(s.prog)
	var interrupted *goja.InterruptedError
	switch {
	case err == nil:
		res.Passed = true
	case errors.As(err, &interrupted):
		return res, ErrTimeout
	default:
		var exc *goja.Exception
		if errors.As(err, &exc) {
			res.Failure = thrownMessage(exc)
		} else {
			res.Failure = err.Error()
		}
	}
	return res, nil
}

func thrownMessage(exc *goja.Exception) string {
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
