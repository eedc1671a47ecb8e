package synthetics

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/jsrun"
	"github.com/pytorch-fdn/pytorch-datadog/scripts"
)

// Section is the config key of the tests: `pytorch-datadog:synthetics`.
const Section = "synthetics"

// ImportID is the form of a test's import id: its public id.
var ImportID = kit.IDForm{Pattern: regexp.MustCompile(`^[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{3}$`), Example: "abc-123-xyz"}

// Test kinds.
const (
	HTTP  = "http"
	SSL   = "ssl"
	Queue = "queue"
)

var kinds = []string{HTTP, SSL, Queue}

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
	// DatadogTimeoutSeconds is the request timeout Datadog applies to a
	// test that sets none (synthetics.md §1.4): the program leaves it
	// unset, and ddstack check applies it.
	DatadogTimeoutSeconds = 60
	// FailureMessage is Datadog's template variable for why a test failed;
	// every test's message carries it, so the alert says what failed.
	FailureMessage = "{{{synthetics.attributes.result.failure.message}}}"
)

// DefaultLocations: one AWS location near the services checked.
var DefaultLocations = []string{"aws:us-west-2"}

// DefaultTags are every test's tags; service:<service> is added to them.
var DefaultTags = []string{"env:project", "project:pytorch"}

// Test is a Datadog synthetics API test managed here, its defaults
// applied.
type Test struct {
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
	// TimeoutSeconds; 0 leaves Datadog's (DatadogTimeoutSeconds).
	TimeoutSeconds int
	// SSL tests.
	Host string
	Port int

	// Assertions of HTTP and SSL tests; a queue test's one JavaScript
	// assertion is generated from Queue.
	Assertions []Assertion
	QueueCheck *scripts.Queue
	// ImportID adopts an existing Datadog test (its public id).
	ImportID string
	// Secrets are the secrets the test refers to as {{ NAME }}, sorted
	// (secrets.go).
	Secrets []string
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
		HTTP: {"statusCode", "body", "header", "responseTime", "javascript"},
		SSL:  {"certificate"},
	}
	methods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
)

// maxAssertions is Datadog's limit for one API test.
const maxAssertions = 20

// Decode decodes and validates the synthetics section, resolving `notify`
// against the channels and rendering each queue test's script, and reports
// every problem to p. An absent section is no tests.
func Decode(p *kit.Problems, raw string, present bool, channels map[string]string) map[string]Test {
	out := map[string]Test{}
	names := map[string]string{}
	for _, e := range p.Entries(Section, raw, present, "test key to synthetics test") {
		key, path := e.Key, e.Path
		tm, isMap := e.Value.(map[string]any)
		if !isMap {
			p.Add(path, "must be a synthetics test ({name, kind, url or host, assertions, message, notify, ...}), got %s", kit.Describe(e.Value))
			continue
		}
		t := Test{
			Kind: HTTP, Service: key, Locations: DefaultLocations, TickEvery: DefaultTickEvery,
			RetryCount: DefaultRetryCount, RetryIntervalMs: DefaultRetryIntervalMs, Status: DefaultStatus,
			Method: "GET",
		}
		if k, set := tm["kind"]; set {
			p.Enum(path+".kind", k, kinds, &t.Kind)
		}
		if t.Kind == Queue {
			t.URL = HUDQueueURL
		}
		if t.Kind == SSL {
			t.Port = 443
		}
		var assertions []any
		fields := []kit.Field{
			{Name: "name", Required: true, Decode: func(fp string, v any) {
				if p.String(fp, v, &t.Name) && p.Printable(fp, t.Name, false) {
					p.NonEmpty(fp, t.Name)
				}
			}},
			{Name: "kind", Decode: func(string, any) {}},
			{Name: "message", Required: true, Decode: func(fp string, v any) {
				if p.String(fp, v, &t.Message) && p.Printable(fp, t.Message, true) {
					p.NonEmpty(fp, t.Message)
				}
			}},
			{Name: "notify", Decode: func(fp string, v any) { t.Notify = p.Notify(fp, v, channels) }},
			{Name: "service", Decode: func(fp string, v any) {
				if p.String(fp, v, &t.Service) {
					p.NonEmpty(fp, t.Service)
				}
			}},
			{Name: "tags", Decode: func(fp string, v any) { p.StringList(fp, v, "tags", &t.Tags) }},
			{Name: "locations", Decode: func(fp string, v any) {
				if p.StringList(fp, v, "Datadog locations such as aws:us-west-2", &t.Locations); len(t.Locations) == 0 {
					p.Add(fp, "is empty; a test runs from at least one location")
				}
			}},
			// Datadog accepts 30 s to a week.
			{Name: "tickEvery", Decode: func(fp string, v any) { p.Int(fp, v, 30, 604800, &t.TickEvery) }},
			{Name: "retry", Decode: func(fp string, v any) {
				p.Object(fp, v, "{count, intervalMs}", []kit.Field{
					// Datadog allows at most 3 fast retries for API tests.
					{Name: "count", Decode: func(fp string, v any) { p.Int(fp, v, 0, 3, &t.RetryCount) }},
					{Name: "intervalMs", Decode: func(fp string, v any) { p.Int(fp, v, 0, 3600000, &t.RetryIntervalMs) }},
				})
			}},
			{Name: "minFailureDuration", Decode: func(fp string, v any) { p.Int(fp, v, 0, 7200, &t.MinFailureDuration) }},
			{Name: "status", Decode: func(fp string, v any) { p.Enum(fp, v, []string{"live", "paused"}, &t.Status) }},
			ImportID.Field(p, &t.ImportID),
		}
		switch t.Kind {
		case HTTP, Queue:
			fields = append(fields,
				kit.Field{Name: "url", Required: t.Kind == HTTP, Decode: func(fp string, v any) {
					if p.String(fp, v, &t.URL) {
						checkURL(p, fp, t.URL)
					}
				}},
				kit.Field{Name: "timeoutSeconds", Decode: func(fp string, v any) { p.Int(fp, v, 1, 60, &t.TimeoutSeconds) }},
			)
		}
		switch t.Kind {
		case HTTP:
			fields = append(fields,
				kit.Field{Name: "method", Decode: func(fp string, v any) { p.Enum(fp, v, methods, &t.Method) }},
				kit.Field{Name: "headers", Decode: func(fp string, v any) { p.StringMap(fp, v, &t.Headers); checkHeaders(p, fp, t.Headers) }},
				kit.Field{Name: "body", Decode: func(fp string, v any) { p.String(fp, v, &t.Body) }},
				kit.Field{Name: "followRedirects", Decode: func(fp string, v any) { p.Bool(fp, v, &t.FollowRedirects) }},
				kit.Field{Name: "assertions", Required: true, Decode: func(fp string, v any) { assertions = p.List(fp, v) }},
			)
		case SSL:
			fields = append(fields,
				kit.Field{Name: "host", Required: true, Decode: func(fp string, v any) {
					if p.String(fp, v, &t.Host) {
						checkHost(p, fp, t.Host)
					}
				}},
				kit.Field{Name: "port", Decode: func(fp string, v any) { p.Int(fp, v, 1, 65535, &t.Port) }},
				kit.Field{Name: "assertions", Required: true, Decode: func(fp string, v any) { assertions = p.List(fp, v) }},
			)
		case Queue:
			fields = append(fields, kit.Field{Name: "queue", Required: true, Decode: func(fp string, v any) { t.QueueCheck = decodeQueue(p, fp, v) }})
		}
		p.Object(path, tm, "a synthetics test", fields)
		decodeSecrets(p, path, &t)
		if assertions != nil {
			if len(assertions) == 0 {
				p.Add(path+".assertions", "is empty; a test needs at least one assertion")
			}
			if len(assertions) > maxAssertions {
				p.Add(path+".assertions", "has %d assertions; Datadog allows at most %d", len(assertions), maxAssertions)
			}
			for i, a := range assertions {
				if as, ok := decodeAssertion(p, fmt.Sprintf("%s.assertions[%d]", path, i), a, t.Kind); ok {
					t.Assertions = append(t.Assertions, as)
				}
			}
		}
		if t.QueueCheck != nil {
			t.Assertions = []Assertion{{Type: "javascript", Code: scripts.QueueCheck(*t.QueueCheck)}}
		}
		if t.Name != "" {
			if other, dup := names[t.Name]; dup {
				p.Add(path+".name", "%q is also the name of synthetics.%s; test names must be unique", t.Name, other)
			}
			names[t.Name] = key
		}
		out[key] = t
	}
	return out
}

// checkURL reports an address a test cannot request (kit.URL: scheme,
// host, port, characters, no user:password part), its {{ NAME }}
// variables standing for plain text.
func checkURL(p *kit.Problems, path, s string) {
	p.URL(path, s, urlRule)
}

func checkHost(p *kit.Problems, path, s string) { checkSSLHost(p, path, s) }

// decodeAssertion decodes {type, operator, target, property, timingsScope}
// or {type: javascript, code}.
func decodeAssertion(p *kit.Problems, path string, v any, kind string) (Assertion, bool) {
	var a Assertion
	m, ok := v.(map[string]any)
	if !ok {
		p.Add(path, "must be an assertion ({type, operator, target}), got %s", kit.Describe(v))
		return a, false
	}
	before := p.Len()
	allowed := typesByKind[kind]
	if t, set := m["type"]; !set {
		// One message: without its type, which fields an assertion takes
		// is unknown.
		p.Add(path+".type", "missing; one of %s", strings.Join(allowed, ", "))
		return a, false
	} else if !p.Enum(path+".type", t, allowed, &a.Type) {
		return a, false
	}
	var target any
	hasTarget := false
	fields := []kit.Field{{Name: "type", Required: true, Decode: func(string, any) {}}}
	if a.Type == "javascript" {
		fields = append(fields, kit.Field{Name: "code", Required: true, Decode: func(fp string, v any) {
			if !p.String(fp, v, &a.Code) {
				return
			}
			if strings.TrimSpace(a.Code) == "" {
				p.Add(fp, "is empty; write the script that checks dd.response, such as dd.expect(dd.response.statusCode).to.equal(200)")
				return
			}
			if !checkScript(p, fp, a.Code) {
				return
			}
			if err := jsrun.Compile(a.Code); err != nil {
				p.Add(fp, "is not a script Datadog can run: %v", err)
			}
		}})
	} else {
		fields = append(fields,
			kit.Field{Name: "operator", Required: true, Decode: func(fp string, v any) { p.Enum(fp, v, operators[a.Type], &a.Operator) }},
			kit.Field{Name: "target", Decode: func(_ string, v any) { target, hasTarget = v, true }},
		)
		if a.Type == "header" {
			fields = append(fields, kit.Field{Name: "property", Required: true, Decode: func(fp string, v any) {
				p.String(fp, v, &a.Property)
				if a.Property == "" || a.Property != strings.ToLower(a.Property) {
					p.Add(fp, "%q: write the header name in lower case, as Datadog requires", a.Property)
				}
			}})
		}
		if a.Type == "responseTime" {
			fields = append(fields, kit.Field{Name: "timingsScope", Decode: func(fp string, v any) { p.Enum(fp, v, []string{"all", "withoutDNS"}, &a.TimingsScope) }})
		}
	}
	if !p.Object(path, v, "an assertion", fields) {
		return a, false
	}
	if a.Type != "javascript" && a.Operator != "" {
		a.Target, a.HasTarget = decodeTarget(p, path+".target", a, target, hasTarget)
	}
	return a, p.Len() == before
}

// decodeTarget checks a target against its type and operator and renders it
// as the string Datadog holds.
func decodeTarget(p *kit.Problems, path string, a Assertion, v any, set bool) (string, bool) {
	if a.Operator == "doesNotExist" {
		if set {
			p.Add(path, "takes no target with doesNotExist")
		}
		return "", false
	}
	if !set {
		p.Add(path, "missing; %s %s needs a target", a.Type, a.Operator)
		return "", false
	}
	whole := func(lo, hi int) (string, bool) {
		var n int
		if p.Int(path, v, lo, hi, &n) {
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
			p.String(path, v, &s)
		}
		if err := jsrun.CompileRegExp(s); err != nil {
			p.Add(path, "%q is not a JavaScript regular expression: %v", s, err)
			return "", false
		}
		return s, true
	case slices.Contains(numericOps, a.Operator):
		var f float64
		if p.Number(path, v, &f) {
			return kit.FormatNumber(f), true
		}
		return "", false
	default:
		var s string
		before := p.Len()
		p.String(path, v, &s)
		return s, p.Len() == before
	}
}

// decodeQueue decodes a queue test's parameters: at most one of
// startsWith, contains and equals (none: every machine type not excluded),
// exclude, thresholdHours and an optional label.
func decodeQueue(p *kit.Problems, path string, v any) *scripts.Queue {
	q := &scripts.Queue{Match: scripts.Any, Exclude: []string{}}
	var hours float64
	rules := 0
	rule := func(match string) func(string, any) {
		return func(fp string, v any) {
			rules++
			q.Match = match
			if p.String(fp, v, &q.Value) {
				p.NonEmpty(fp, q.Value)
			}
		}
	}
	label := ""
	ok := p.Object(path, v, "{startsWith | contains | equals, exclude, thresholdHours, label}", []kit.Field{
		{Name: scripts.StartsWith, Decode: rule(scripts.StartsWith)},
		{Name: scripts.Contains, Decode: rule(scripts.Contains)},
		{Name: scripts.Equals, Decode: rule(scripts.Equals)},
		{Name: "exclude", Decode: func(fp string, v any) {
			p.StringList(fp, v, "machine type patterns", &q.Exclude)
			items := indexedStrings(v)
			for _, i := range slices.Sorted(maps.Keys(items)) {
				pat := items[i]
				if strings.HasPrefix(pat, "^") {
					if err := jsrun.CompileRegExp(pat); err != nil {
						p.Add(fmt.Sprintf("%s[%d]", fp, i), "%q is not a JavaScript regular expression: %v", pat, err)
					}
				} else if pat == "" {
					p.Add(fmt.Sprintf("%s[%d]", fp, i), "is empty")
				}
			}
		}},
		{Name: "thresholdHours", Required: true, Decode: func(fp string, v any) {
			if p.Number(fp, v, &hours) {
				q.ThresholdSeconds, _ = thresholdSeconds(p, fp, hours)
			}
		}},
		{Name: "label", Decode: func(fp string, v any) { p.String(fp, v, &label) }},
	})
	if !ok {
		return nil
	}
	if rules > 1 {
		p.Add(path, "has more than one of startsWith, contains and equals; a queue test covers one family")
	}
	q.Label = label
	if q.Label == "" {
		q.Label = scripts.DefaultLabel(q.Match, q.Value, q.Exclude)
	}
	return q
}
