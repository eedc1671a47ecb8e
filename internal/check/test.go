// Package check runs the stack's synthetics API tests on this machine, as
// Datadog runs them (synthetics.md): the request as the test defines it,
// redirects followed only when it says so, its timeout and retries, then
// every assertion with Datadog's semantics. The tests come from the plan,
// so what runs here is exactly what the program registers.
package check

import (
	"fmt"
	"strconv"
	"time"

	"github.com/pytorch-fdn/pytorch-datadog/internal/plan"
)

// DefaultTimeout is Datadog's request timeout when a test sets none.
const DefaultTimeout = 60 * time.Second

// maxRedirects is how many redirects Datadog follows when a test follows
// them.
const maxRedirects = 10

// Test is one synthetics API test, as registered.
type Test struct {
	Key  string
	Name string
	// Subtype is http or ssl.
	Subtype string

	Method, URL string
	Headers     map[string]string
	Body        string
	// Host and Port are an SSL test's endpoint.
	Host string
	Port int

	FollowRedirects bool
	Timeout         time.Duration
	RetryCount      int
	RetryInterval   time.Duration

	Assertions []Assertion
}

// Assertion is one assertion, as registered: its target is a string.
type Assertion struct {
	Type, Operator, Property, Target, TimingsScope, Code string
}

// FromPlan takes the synthetics tests out of a plan, in the plan's order.
func FromPlan(p *plan.Plan) ([]Test, error) {
	var out []Test
	for _, r := range p.Resources {
		if r.Type != "datadog:index/syntheticsTest:SyntheticsTest" {
			continue
		}
		t, err := fromInputs(r.Name, r.Inputs)
		if err != nil {
			return nil, fmt.Errorf("synthetics.%s: %w", r.Name, err)
		}
		out = append(out, t)
	}
	return out, nil
}

func fromInputs(key string, in map[string]any) (Test, error) {
	t := Test{Key: key, Name: str(in["name"]), Subtype: str(in["subtype"]), Timeout: DefaultTimeout}
	req, _ := in["requestDefinition"].(map[string]any)
	t.Method, t.URL, t.Body, t.Host = str(req["method"]), str(req["url"]), str(req["body"]), str(req["host"])
	if t.Method == "" {
		t.Method = "GET"
	}
	if port := str(req["port"]); port != "" {
		n, err := strconv.Atoi(port)
		if err != nil {
			return t, fmt.Errorf("port %q is not a number", port)
		}
		t.Port = n
	}
	if s, ok := num(req["timeout"]); ok && s > 0 {
		t.Timeout = time.Duration(s) * time.Second
	}
	if h, ok := in["requestHeaders"].(map[string]any); ok {
		t.Headers = map[string]string{}
		for k, v := range h {
			t.Headers[k] = str(v)
		}
	}
	opts, _ := in["optionsList"].(map[string]any)
	t.FollowRedirects, _ = opts["followRedirects"].(bool)
	if retry, ok := opts["retry"].(map[string]any); ok {
		if n, ok := num(retry["count"]); ok {
			t.RetryCount = int(n)
		}
		if ms, ok := num(retry["interval"]); ok {
			t.RetryInterval = time.Duration(ms) * time.Millisecond
		}
	}
	list, _ := in["assertions"].([]any)
	for _, a := range list {
		m, _ := a.(map[string]any)
		t.Assertions = append(t.Assertions, Assertion{
			Type: str(m["type"]), Operator: str(m["operator"]), Property: str(m["property"]),
			Target: str(m["target"]), TimingsScope: str(m["timingsScope"]), Code: str(m["code"]),
		})
	}
	switch {
	case t.Subtype == "ssl" && t.Host == "":
		return t, fmt.Errorf("an ssl test without a host")
	case t.Subtype != "ssl" && t.URL == "":
		return t, fmt.Errorf("an http test without a url")
	}
	return t, nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func num(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case int:
		return float64(x), true
	}
	return 0, false
}
