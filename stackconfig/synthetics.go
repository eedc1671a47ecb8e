package stackconfig

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pytorch-fdn/pytorch-datadog/internal/jsrun"
	"github.com/pytorch-fdn/pytorch-datadog/scripts"
)

// Synthetics test kinds.
const (
	TestHTTP  = "http"
	TestSSL   = "ssl"
	TestQueue = "queue"
)

var testKinds = []string{TestHTTP, TestSSL, TestQueue}

// Stack-wide defaults of synthetics tests; any test may override them.
const (
	// DefaultTickEvery runs each test every five minutes, as the checks of
	// the configuration this replaces did.
	DefaultTickEvery = 300
	// DefaultRetryCount and DefaultRetryIntervalMs retry a failed run three
	// times five minutes apart before it counts as failed: a CDN or origin
	// blip of a few minutes should not page anyone.
	DefaultRetryCount      = 3
	DefaultRetryIntervalMs = 300000
	// DefaultStatus: tests run and alert.
	DefaultStatus = "live"
	// HUDQueueURL is the endpoint queue tests read: PyTorch HUD's queued
	// jobs by runner label (synthetics.md §4).
	HUDQueueURL = "https://hud.pytorch.org/api/clickhouse/queued_jobs_by_label?parameters=%7B%7D"
	// FailureMessage is Datadog's template variable for why a test failed;
	// every test's message carries it, so the alert says what failed.
	FailureMessage = "{{{synthetics.attributes.result.failure.message}}}"
)

// DefaultLocations: one AWS location near the services checked.
var DefaultLocations = []string{"aws:us-west-2"}

// DefaultTags are every test's tags; service:<service> is added to them.
var DefaultTags = []string{"env:project", "project:pytorch"}

// SyntheticsTest is a Datadog synthetics API test managed here.
type SyntheticsTest struct {
	Name    string
	Kind    string
	Message string
	// Notify are the handles of the channels notified.
	Notify []string
	// Service is the service:<service> tag; default the test's key.
	Service string
	// Tags are added to DefaultTags and the service tag.
	Tags               []string
	Locations          []string
	TickEvery          int
	RetryCount         int
	RetryIntervalMs    int
	MinFailureDuration int
	Status             string

	// HTTP and queue tests.
	Method          string
	URL             string
	Headers         map[string]string
	Body            string
	FollowRedirects bool
	TimeoutSeconds  int
	// SSL tests.
	Host string
	Port int

	// Assertions of HTTP and SSL tests; a queue test's one JavaScript
	// assertion is generated from Queue.
	Assertions []Assertion
	Queue      *scripts.Queue
	// ImportID adopts an existing Datadog test (its public id).
	ImportID string
}

// Assertion is one assertion, as Datadog takes it: its target is a string on
// the wire whatever its type.
type Assertion struct {
	Type         string
	Operator     string
	Property     string
	Target       string
	HasTarget    bool
	TimingsScope string
	Code         string
}

// Assertion types and their operators (synthetics.md §1.2).
var (
	stringOps  = []string{"contains", "doesNotContain", "is", "isNot", "matches", "doesNotMatch"}
	numericOps = []string{"lessThan", "lessThanOrEqual", "moreThan", "moreThanOrEqual"}
	operators  = map[string][]string{
		"statusCode":   {"is", "isNot", "matches", "doesNotMatch"},
		"body":         stringOps,
		"header":       append(append(append([]string{}, stringOps...), "doesNotExist"), numericOps...),
		"responseTime": numericOps,
		"certificate":  {"isInMoreThan", "isInLessThan"},
		"javascript":   nil,
	}
	typesByKind = map[string][]string{
		TestHTTP: {"statusCode", "body", "header", "responseTime", "javascript"},
		TestSSL:  {"certificate"},
	}
	methods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
)

// maxAssertions is Datadog's limit for one API test.
const maxAssertions = 20

func decodeSynthetics(p *problems, raw string, channels map[string]string, out map[string]SyntheticsTest) {
	m, ok := decodeSection(p, KeySynthetics, raw, "test key to synthetics test")
	if !ok {
		return
	}
	names := map[string]string{}
	for _, key := range sortedKeys(m) {
		path := KeySynthetics + "." + key
		checkKey(p, path, key)
		tm, isMap := m[key].(map[string]any)
		if !isMap {
			p.add(path, "must be a synthetics test ({name, kind, url or host, assertions, message, notify, ...}), got %s", describe(m[key]))
			continue
		}
		t := SyntheticsTest{
			Kind: TestHTTP, Service: key, Locations: DefaultLocations, TickEvery: DefaultTickEvery,
			RetryCount: DefaultRetryCount, RetryIntervalMs: DefaultRetryIntervalMs, Status: DefaultStatus,
			Method: "GET",
		}
		if k, set := tm["kind"]; set {
			p.enum(path+".kind", k, testKinds, &t.Kind)
		}
		if t.Kind == TestQueue {
			t.URL = HUDQueueURL
		}
		if t.Kind == TestSSL {
			t.Port = 443
		}
		var assertions []any
		fields := []field{
			{"name", true, func(fp string, v any) { p.str(fp, v, &t.Name); checkNonEmpty(p, fp, t.Name) }},
			{"kind", false, func(string, any) {}},
			{"message", true, func(fp string, v any) { p.str(fp, v, &t.Message); checkNonEmpty(p, fp, t.Message) }},
			{"notify", false, func(fp string, v any) { t.Notify = decodeNotify(p, fp, v, channels) }},
			{"service", false, func(fp string, v any) { p.str(fp, v, &t.Service); checkNonEmpty(p, fp, t.Service) }},
			{"tags", false, func(fp string, v any) { p.strList(fp, v, "tags", &t.Tags) }},
			{"locations", false, func(fp string, v any) {
				if p.strList(fp, v, "Datadog locations such as aws:us-west-2", &t.Locations); len(t.Locations) == 0 {
					p.add(fp, "is empty; a test runs from at least one location")
				}
			}},
			// Datadog accepts 30 s to a week.
			{"tickEvery", false, func(fp string, v any) { p.integer(fp, v, 30, 604800, &t.TickEvery) }},
			{"retry", false, func(fp string, v any) {
				p.object(fp, v, "{count, intervalMs}", []field{
					// Datadog allows at most 3 fast retries for API tests.
					{"count", false, func(fp string, v any) { p.integer(fp, v, 0, 3, &t.RetryCount) }},
					{"intervalMs", false, func(fp string, v any) { p.integer(fp, v, 0, 3600000, &t.RetryIntervalMs) }},
				})
			}},
			{"minFailureDuration", false, func(fp string, v any) { p.integer(fp, v, 0, 7200, &t.MinFailureDuration) }},
			{"status", false, func(fp string, v any) { p.enum(fp, v, []string{"live", "paused"}, &t.Status) }},
			importIDField(p, syntheticID, "abc-123-xyz", &t.ImportID),
		}
		switch t.Kind {
		case TestHTTP, TestQueue:
			fields = append(fields,
				field{"url", t.Kind == TestHTTP, func(fp string, v any) { p.str(fp, v, &t.URL); checkURL(p, fp, t.URL) }},
				field{"timeoutSeconds", false, func(fp string, v any) { p.integer(fp, v, 1, 60, &t.TimeoutSeconds) }},
			)
		}
		switch t.Kind {
		case TestHTTP:
			fields = append(fields,
				field{"method", false, func(fp string, v any) { p.enum(fp, v, methods, &t.Method) }},
				field{"headers", false, func(fp string, v any) { p.strMap(fp, v, &t.Headers) }},
				field{"body", false, func(fp string, v any) { p.str(fp, v, &t.Body) }},
				field{"followRedirects", false, func(fp string, v any) { p.boolean(fp, v, &t.FollowRedirects) }},
				field{"assertions", true, func(fp string, v any) { assertions = decodeList(p, fp, v) }},
			)
		case TestSSL:
			fields = append(fields,
				field{"host", true, func(fp string, v any) { p.str(fp, v, &t.Host); checkHost(p, fp, t.Host) }},
				field{"port", false, func(fp string, v any) { p.integer(fp, v, 1, 65535, &t.Port) }},
				field{"assertions", true, func(fp string, v any) { assertions = decodeList(p, fp, v) }},
			)
		case TestQueue:
			fields = append(fields, field{"queue", true, func(fp string, v any) { t.Queue = decodeQueue(p, fp, v) }})
		}
		p.object(path, tm, "a synthetics test", fields)
		if assertions != nil {
			if len(assertions) == 0 {
				p.add(path+".assertions", "is empty; a test needs at least one assertion")
			}
			if len(assertions) > maxAssertions {
				p.add(path+".assertions", "has %d assertions; Datadog allows at most %d", len(assertions), maxAssertions)
			}
			for i, a := range assertions {
				if as, ok := decodeAssertion(p, fmt.Sprintf("%s.assertions[%d]", path, i), a, t.Kind); ok {
					t.Assertions = append(t.Assertions, as)
				}
			}
		}
		if t.Queue != nil {
			t.Assertions = []Assertion{{Type: "javascript", Code: scripts.QueueCheck(*t.Queue)}}
		}
		if t.Name != "" {
			if other, dup := names[t.Name]; dup {
				p.add(path+".name", "%q is also the name of synthetics.%s; test names must be unique", t.Name, other)
			}
			names[t.Name] = key
		}
		out[key] = t
	}
}

func decodeList(p *problems, path string, v any) []any {
	list, ok := v.([]any)
	if !ok {
		p.add(path, "must be a list, got %s", describe(v))
		return nil
	}
	return list
}

func checkURL(p *problems, path, s string) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(s, " \t\n") {
		p.add(path, "%q is not an http:// or https:// URL", s)
	}
}

func checkHost(p *problems, path, s string) {
	if s == "" || strings.ContainsAny(s, "/: \t") {
		p.add(path, "%q is not a host name such as discuss.pytorch.org", s)
	}
}

// decodeAssertion decodes {type, operator, target, property, timingsScope}
// or {type: javascript, code}.
func decodeAssertion(p *problems, path string, v any, kind string) (Assertion, bool) {
	var a Assertion
	m, ok := v.(map[string]any)
	if !ok {
		p.add(path, "must be an assertion ({type, operator, target}), got %s", describe(v))
		return a, false
	}
	before := len(p.errs)
	allowed := typesByKind[kind]
	if t, set := m["type"]; !set {
		p.add(path+".type", "missing; one of %s", strings.Join(allowed, ", "))
	} else if !p.enum(path+".type", t, allowed, &a.Type) {
		return a, false
	}
	var target any
	hasTarget := false
	fields := []field{{"type", true, func(string, any) {}}}
	if a.Type == "javascript" {
		fields = append(fields, field{"code", true, func(fp string, v any) {
			p.str(fp, v, &a.Code)
			if err := jsrun.Compile(a.Code); a.Code != "" && err != nil {
				p.add(fp, "is not a script Datadog can run: %v", err)
			}
		}})
	} else {
		fields = append(fields,
			field{"operator", true, func(fp string, v any) { p.enum(fp, v, operators[a.Type], &a.Operator) }},
			field{"target", false, func(_ string, v any) { target, hasTarget = v, true }},
		)
		if a.Type == "header" {
			fields = append(fields, field{"property", true, func(fp string, v any) {
				p.str(fp, v, &a.Property)
				if a.Property == "" || a.Property != strings.ToLower(a.Property) {
					p.add(fp, "%q: write the header name in lower case, as Datadog requires", a.Property)
				}
			}})
		}
		if a.Type == "responseTime" {
			fields = append(fields, field{"timingsScope", false, func(fp string, v any) { p.enum(fp, v, []string{"all", "withoutDNS"}, &a.TimingsScope) }})
		}
	}
	if !p.object(path, v, "an assertion", fields) {
		return a, false
	}
	if a.Type != "javascript" && a.Operator != "" {
		a.Target, a.HasTarget = decodeTarget(p, path+".target", a, target, hasTarget)
	}
	return a, len(p.errs) == before
}

// decodeTarget checks a target against its type and operator and renders it
// as the string Datadog holds.
func decodeTarget(p *problems, path string, a Assertion, v any, set bool) (string, bool) {
	if a.Operator == "doesNotExist" {
		if set {
			p.add(path, "takes no target with doesNotExist")
		}
		return "", false
	}
	if !set {
		p.add(path, "missing; %s %s needs a target", a.Type, a.Operator)
		return "", false
	}
	whole := func(lo, hi int) (string, bool) {
		var n int
		if p.integer(path, v, lo, hi, &n) {
			return strconv.Itoa(n), true
		}
		return "", false
	}
	switch {
	case a.Type == "statusCode" && (a.Operator == "is" || a.Operator == "isNot"):
		return whole(100, 599)
	case a.Type == "responseTime":
		return whole(1, 60000)
	case a.Type == "certificate":
		return whole(0, 3650)
	case a.Operator == "matches" || a.Operator == "doesNotMatch":
		var s string
		if n, isNum := v.(json.Number); isNum {
			s = n.String()
		} else {
			p.str(path, v, &s)
		}
		if err := jsrun.CompileRegExp(s); err != nil {
			p.add(path, "%q is not a JavaScript regular expression: %v", s, err)
			return "", false
		}
		return s, true
	case slices.Contains(numericOps, a.Operator):
		var f float64
		if p.number(path, v, &f) {
			return FormatNumber(f), true
		}
		return "", false
	default:
		var s string
		before := len(p.errs)
		p.str(path, v, &s)
		return s, len(p.errs) == before
	}
}

// decodeQueue decodes a queue test's parameters: at most one of
// startsWith, contains and equals (none: every machine type not excluded),
// exclude, thresholdHours and an optional label.
func decodeQueue(p *problems, path string, v any) *scripts.Queue {
	q := &scripts.Queue{Match: scripts.Any, Exclude: []string{}}
	var hours float64
	hasHours := false
	rules := 0
	rule := func(match string) func(string, any) {
		return func(fp string, v any) {
			rules++
			q.Match = match
			p.str(fp, v, &q.Value)
			checkNonEmpty(p, fp, q.Value)
		}
	}
	label := ""
	ok := p.object(path, v, "{startsWith | contains | equals, exclude, thresholdHours, label}", []field{
		{scripts.StartsWith, false, rule(scripts.StartsWith)},
		{scripts.Contains, false, rule(scripts.Contains)},
		{scripts.Equals, false, rule(scripts.Equals)},
		{"exclude", false, func(fp string, v any) {
			p.strList(fp, v, "machine type patterns", &q.Exclude)
			for i, pat := range q.Exclude {
				if strings.HasPrefix(pat, "^") {
					if err := jsrun.CompileRegExp(pat); err != nil {
						p.add(fmt.Sprintf("%s[%d]", fp, i), "%q is not a JavaScript regular expression: %v", pat, err)
					}
				} else if pat == "" {
					p.add(fmt.Sprintf("%s[%d]", fp, i), "is empty")
				}
			}
		}},
		{"thresholdHours", true, func(fp string, v any) {
			if hasHours = p.number(fp, v, &hours); hasHours && hours <= 0 {
				p.add(fp, "must be more than 0")
			}
		}},
		{"label", false, func(fp string, v any) { p.str(fp, v, &label) }},
	})
	if !ok {
		return nil
	}
	if rules > 1 {
		p.add(path, "has more than one of startsWith, contains and equals; a queue test covers one family")
	}
	q.ThresholdSeconds = int(hours * 3600)
	q.Label = label
	if q.Label == "" {
		q.Label = scripts.DefaultLabel(q.Match, q.Value, q.Exclude)
	}
	return q
}
