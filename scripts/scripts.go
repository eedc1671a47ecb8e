// Package scripts holds the JavaScript that Datadog synthetics tests run,
// embedded so that the Pulumi program, the tests and a local runner read the
// same bytes.
package scripts

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

//go:embed queue-check.js
var queueCheck string

// Match rules of a queue check: how a machine type belongs to the family.
const (
	StartsWith = "startsWith"
	Contains   = "contains"
	Equals     = "equals"
	// Any takes every machine type not excluded: the check for the runners
	// no other family covers.
	Any = "any"
)

// Queue are the parameters of one queue check.
type Queue struct {
	// Match is one of the match rules; Value is what it matches against.
	Match string `json:"match"`
	Value string `json:"value"`
	// Exclude are patterns of machine types left out: a pattern starting
	// with ^ is an anchored regular expression, any other a substring.
	Exclude []string `json:"exclude"`
	// ThresholdSeconds: a machine type whose longest wait exceeds it fails
	// the check; exactly at it passes.
	ThresholdSeconds int `json:"thresholdSeconds"`
	// Label names the family in the failure message, after "machine types".
	Label string `json:"label"`
}

// QueueCheck returns the script of a queue check: the parameters as a
// constant, then the embedded script.
func QueueCheck(q Queue) string {
	if q.Exclude == nil {
		q.Exclude = []string{}
	}
	// Marshalling strings, an int and a string slice cannot fail.
	params, _ := json.Marshal(q)
	return fmt.Sprintf("const params = %s;\n%s", params, queueCheck)
}

// DefaultLabel names a family from its rule, as in "machine types
// containing .s390x".
func DefaultLabel(match, value string, exclude []string) string {
	switch match {
	case StartsWith:
		return "starting with " + value
	case Contains:
		return "containing " + value
	case Equals:
		return "equal to " + value
	default:
		if len(exclude) == 0 {
			return "of any family"
		}
		out := "not matching "
		for i, p := range exclude {
			if i > 0 {
				out += ", "
			}
			out += p
		}
		return out
	}
}
