package check

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pytorch-fdn/pytorch-datadog/internal/jsrun"
)

// response is what one attempt got: an HTTP response or a certificate.
type response struct {
	status  int
	headers http.Header
	body    string
	cut     bool // the body is over maxBody; body is its start
	elapsed time.Duration
	cert    *x509.Certificate
}

// outcome is one assertion's verdict.
type outcome struct {
	ok        bool
	message   string   // why it failed: the assertion, expected and actual
	console   []string // what a script wrote with console.error
	err       error    // a script that could not run
	cancelled bool     // stopped by an interrupt
}

// assertEnv is what evaluating an assertion needs besides the response:
// the run's context (an interrupt), the attempt's clock (the time left for
// a script), the budget (a slot for a child process) and the time.
type assertEnv struct {
	ctx    context.Context
	clock  *clock
	budget *budget
	now    time.Time
	// redact hides the test's secrets in what a failure shows.
	redact func(string) string
}

// limits are the bounds of a script or a backtracking match: the time left
// of the test's timeout (a second at least) and the script memory limit.
func (e assertEnv) limits() jsrun.Limits {
	left := time.Second
	if e.clock != nil {
		left = max(e.clock.remaining(), time.Second)
	}
	return jsrun.Limits{Time: left, Memory: scriptMemory}
}

// isolated runs f, which starts a child process, once one of the run's
// script slots is free; the test's clock stops while it waits.
func (e assertEnv) isolated(f func(lim jsrun.Limits) error) error {
	if e.budget == nil {
		return f(e.limits())
	}
	acquire := func(ctx context.Context) error { return e.budget.scripts.Acquire(ctx, 1) }
	var err error
	if e.clock != nil {
		err = e.clock.wait(func(context.Context) error { return acquire(e.ctx) })
	} else {
		err = acquire(e.ctx)
	}
	if err != nil {
		return err
	}
	defer e.budget.scripts.Release(1)
	return f(e.limits())
}

// describe names an assertion as a reviewer reads it.
func describe(a Assertion) string {
	switch a.Type {
	case "javascript":
		return "javascript assertion"
	case "header":
		return fmt.Sprintf("header %s %s %s", a.Property, a.Operator, quote(a.Target))
	case "responseTime":
		return fmt.Sprintf("responseTime %s %s ms", a.Operator, a.Target)
	case "certificate":
		return fmt.Sprintf("certificate %s %s days", a.Operator, a.Target)
	case "statusCode":
		return fmt.Sprintf("statusCode %s %s", a.Operator, a.Target)
	default:
		return fmt.Sprintf("%s %s %s", a.Type, a.Operator, quote(a.Target))
	}
}

func quote(s string) string { return strconv.Quote(s) }

// excerpt shows the start of a long actual value.
func excerpt(s string) string {
	const max = 120
	if len(s) > 4*max {
		s = s[:4*max] // a body can be 50 MB: look at its start only
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		return quote(s[:max]) + "..."
	}
	return quote(s)
}

func evaluate(env assertEnv, a Assertion, r response) outcome {
	fail := func(format string, args ...any) outcome {
		return outcome{message: describe(a) + ": " + fmt.Sprintf(format, args...)}
	}
	if env.ctx == nil {
		env.ctx = context.Background()
	}
	// compareErr sorts a comparison's error: an interrupt, a runaway
	// regular expression (the assertion fails), or a bad target.
	compareErr := func(err error) outcome {
		var mem *jsrun.MemoryError
		switch {
		case env.ctx.Err() != nil:
			return outcome{cancelled: true}
		case errors.Is(err, jsrun.ErrTimeout):
			return fail("TIMEOUT: the regular expression ran past the test's timeout")
		case errors.As(err, &mem):
			return fail("the regular expression exceeded its memory limit of %d MB", mem.Limit>>20)
		}
		return outcome{err: fmt.Errorf("%s: %w", describe(a), err)}
	}
	compare := func(op, actual, target string) (bool, error) { return compare(env, op, actual, target) }
	switch a.Type {
	case "statusCode":
		got := strconv.Itoa(r.status)
		ok, err := compare(a.Operator, got, a.Target)
		if err != nil {
			return compareErr(err)
		}
		if !ok {
			return fail("got %s", got)
		}
	case "body":
		ok, err := compare(a.Operator, r.body, a.Target)
		if err != nil {
			return compareErr(err)
		}
		if !ok {
			return fail("got a body of %d bytes: %s", len(r.body), excerpt(env.redact(r.body)))
		}
	case "header":
		values := r.headers.Values(a.Property) // names are case-insensitive
		if a.Operator == "doesNotExist" {
			if len(values) > 0 {
				return fail("got %s", quote(env.redact(strings.Join(values, ", "))))
			}
			return outcome{ok: true}
		}
		if len(values) == 0 {
			return fail("the response has no %s header", a.Property)
		}
		got := strings.Join(values, ", ")
		ok, err := compare(a.Operator, got, a.Target)
		if err != nil {
			return compareErr(err)
		}
		if !ok {
			return fail("got %s", quote(env.redact(got)))
		}
	case "responseTime":
		ms := r.elapsed.Milliseconds()
		ok, err := compare(a.Operator, strconv.FormatInt(ms, 10), a.Target)
		if err != nil {
			return compareErr(err)
		}
		if !ok {
			return fail("took %d ms", ms)
		}
	case "certificate":
		if r.cert == nil {
			return fail("no certificate")
		}
		days, err := strconv.ParseFloat(a.Target, 64)
		if err != nil {
			return outcome{err: fmt.Errorf("%s: the target is not a number of days", describe(a))}
		}
		left := r.cert.NotAfter.Sub(env.now).Hours() / 24
		var ok bool
		switch a.Operator {
		case "isInMoreThan":
			ok = left > days
		case "isInLessThan":
			ok = left < days
		default:
			return outcome{err: fmt.Errorf("%s: unknown operator", describe(a))}
		}
		if !ok {
			return fail("expires in %.1f days (%s)", left, r.cert.NotAfter.UTC().Format(time.DateOnly))
		}
	case "javascript":
		headers := map[string]string{}
		for k, v := range r.headers {
			headers[k] = strings.Join(v, ", ")
		}
		var res jsrun.Result
		err := env.isolated(func(lim jsrun.Limits) error {
			var err error
			res, err = jsrun.RunIsolated(env.ctx, a.Code, jsrun.Response{StatusCode: r.status, Body: r.body, Headers: headers}, lim)
			return err
		})
		var mem *jsrun.MemoryError
		switch {
		case env.ctx.Err() != nil:
			return outcome{cancelled: true, console: res.Errors}
		case errors.Is(err, jsrun.ErrTimeout):
			// A runaway script fails its test, as Datadog's 60.5 s cap
			// would; it is no script error.
			return outcome{message: "javascript assertion: TIMEOUT: the script ran past the test's timeout", console: res.Errors}
		case errors.As(err, &mem):
			return outcome{message: fmt.Sprintf("javascript assertion: the script exceeded its memory limit of %d MB", mem.Limit>>20), console: res.Errors}
		case err != nil:
			return outcome{err: fmt.Errorf("javascript assertion: %w", err), console: res.Errors}
		}
		if !res.Passed {
			return outcome{message: "javascript assertion: " + res.Failure, console: res.Errors}
		}
		return outcome{ok: true, console: res.Errors}
	default:
		return outcome{err: fmt.Errorf("assertion type %q is not one ddstack check runs", a.Type)}
	}
	return outcome{ok: true}
}

// compare applies a Datadog operator to an actual value and a target.
// Regular expressions are JavaScript's, bounded by the test's timeout and
// the run's context: one that needs the backtracking engine runs in a child
// process. Numeric operators compare numbers.
func compare(env assertEnv, op, actual, target string) (bool, error) {
	match := func() (bool, error) {
		if jsrun.Linear(target) {
			return jsrun.MatchContext(env.ctx, target, actual, env.limits())
		}
		var m bool
		err := env.isolated(func(lim jsrun.Limits) error {
			var err error
			m, err = jsrun.MatchContext(env.ctx, target, actual, lim)
			return err
		})
		return m, err
	}
	switch op {
	case "is":
		return actual == target, nil
	case "isNot":
		return actual != target, nil
	case "contains":
		return strings.Contains(actual, target), nil
	case "doesNotContain":
		return !strings.Contains(actual, target), nil
	case "matches":
		return match()
	case "doesNotMatch":
		m, err := match()
		return !m, err
	case "lessThan", "lessThanOrEqual", "moreThan", "moreThanOrEqual":
		a, err := strconv.ParseFloat(strings.TrimSpace(actual), 64)
		if err != nil {
			return false, nil // a value that is no number is not less or more than one
		}
		t, err := strconv.ParseFloat(target, 64)
		if err != nil {
			return false, fmt.Errorf("the target %q is not a number", target)
		}
		switch op {
		case "lessThan":
			return a < t, nil
		case "lessThanOrEqual":
			return a <= t, nil
		case "moreThan":
			return a > t, nil
		default:
			return a >= t, nil
		}
	}
	return false, fmt.Errorf("unknown operator %q", op)
}
