package check

import (
	"crypto/x509"
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
	elapsed time.Duration
	cert    *x509.Certificate
}

// outcome is one assertion's verdict.
type outcome struct {
	ok      bool
	message string   // why it failed: the assertion, expected and actual
	console []string // what a script wrote with console.error
	err     error    // a script that could not run
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
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		return quote(s[:max]) + "..."
	}
	return quote(s)
}

func evaluate(a Assertion, r response, now time.Time, scriptLimit time.Duration) outcome {
	fail := func(format string, args ...any) outcome {
		return outcome{message: describe(a) + ": " + fmt.Sprintf(format, args...)}
	}
	switch a.Type {
	case "statusCode":
		got := strconv.Itoa(r.status)
		ok, err := compare(a.Operator, got, a.Target)
		if err != nil {
			return outcome{err: fmt.Errorf("%s: %w", describe(a), err)}
		}
		if !ok {
			return fail("got %s", got)
		}
	case "body":
		ok, err := compare(a.Operator, r.body, a.Target)
		if err != nil {
			return outcome{err: fmt.Errorf("%s: %w", describe(a), err)}
		}
		if !ok {
			return fail("got a body of %d bytes: %s", len(r.body), excerpt(r.body))
		}
	case "header":
		values := r.headers.Values(a.Property) // names are case-insensitive
		if a.Operator == "doesNotExist" {
			if len(values) > 0 {
				return fail("got %s", quote(strings.Join(values, ", ")))
			}
			return outcome{ok: true}
		}
		if len(values) == 0 {
			return fail("the response has no %s header", a.Property)
		}
		got := strings.Join(values, ", ")
		ok, err := compare(a.Operator, got, a.Target)
		if err != nil {
			return outcome{err: fmt.Errorf("%s: %w", describe(a), err)}
		}
		if !ok {
			return fail("got %s", quote(got))
		}
	case "responseTime":
		ms := r.elapsed.Milliseconds()
		ok, err := compare(a.Operator, strconv.FormatInt(ms, 10), a.Target)
		if err != nil {
			return outcome{err: fmt.Errorf("%s: %w", describe(a), err)}
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
		left := r.cert.NotAfter.Sub(now).Hours() / 24
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
		res, err := jsrun.Run(a.Code, jsrun.Response{StatusCode: r.status, Body: r.body, Headers: headers}, scriptLimit)
		if err != nil {
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
// Regular expressions are JavaScript's; numeric operators compare numbers.
func compare(op, actual, target string) (bool, error) {
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
		return jsrun.Match(target, actual)
	case "doesNotMatch":
		m, err := jsrun.Match(target, actual)
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
