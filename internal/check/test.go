// Package check runs the stack's synthetics API tests on this machine, as
// Datadog runs them (synthetics.md): the request as the test defines it,
// redirects followed only when it says so, its timeout and retries, then
// every assertion with Datadog's semantics. The tests are the typed values
// the program registers (synthetics.Test), so what runs here is exactly
// what is registered.
package check

import (
	"time"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
)

// DefaultTimeout is Datadog's request timeout when a test sets none.
const DefaultTimeout = synthetics.DatadogTimeoutSeconds * time.Second

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

	// Secrets are the secret values filled into the test ({{ NAME }}):
	// nothing the check reports shows them, nor a part of one (a body
	// excerpt is cut after they are hidden).
	Secrets []string
}

// Assertion is one assertion, as registered: its target is a string.
type Assertion = synthetics.Assertion

// FromConfig takes the stack's synthetics tests, decoded and validated as
// the program registers them, in sorted key order.
func FromConfig(tests map[string]synthetics.Test) []Test {
	var out []Test
	for _, key := range kit.SortedKeys(tests) {
		t := tests[key]
		c := Test{
			Key: key, Name: t.Name, Subtype: synthetics.Subtype(t.Kind),
			Method: t.Method, URL: t.URL, Headers: t.Headers, Body: t.Body,
			Host: t.Host, Port: t.Port,
			FollowRedirects: t.FollowRedirects,
			Timeout:         DefaultTimeout,
			RetryCount:      t.RetryCount,
			RetryInterval:   time.Duration(t.RetryIntervalMs) * time.Millisecond,
			Assertions:      t.Assertions,
		}
		if t.TimeoutSeconds > 0 {
			c.Timeout = time.Duration(t.TimeoutSeconds) * time.Second
		}
		out = append(out, c)
	}
	return out
}
