package synthetics

import (
	_ "embed"
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
	// assertionTypes are every type, in the reference's order.
	assertionTypes = []string{"statusCode", "body", "header", "responseTime", "certificate", "javascript"}
	typesByKind    = map[string][]string{
		HTTP: {"statusCode", "body", "header", "responseTime", "javascript"},
		SSL:  {"certificate"},
	}
	// allOperators are every type's operators, each once, in the order of
	// assertionTypes.
	allOperators = func() []string {
		var out []string
		for _, t := range assertionTypes {
			for _, op := range operators[t] {
				if !slices.Contains(out, op) {
					out = append(out, op)
				}
			}
		}
		return out
	}()
	methods       = []string{DefaultMethod, "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
	statuses      = []string{DefaultStatus, "paused"}
	timingsScopes = []string{"all", "withoutDNS"}
)

// A test's own defaults.
const (
	// DefaultMethod: a test reads.
	DefaultMethod = "GET"
	// DefaultSSLPort is HTTPS's.
	DefaultSSLPort = 443
)

// The bounds of a test's options, as Datadog takes them.
const (
	// Datadog runs a test from every 30 seconds to once a week.
	minTickEvery = 30
	maxTickEvery = 604800
	// Datadog allows at most 3 fast retries for API tests, at most an hour
	// apart.
	maxRetryCount      = 3
	maxRetryIntervalMs = 3600000
	// maxMinFailureDuration is two hours, in seconds.
	maxMinFailureDuration = 7200
	// A request times out after 1 second at the least, and at the most
	// after DatadogTimeoutSeconds.
	minTimeoutSeconds = 1
	// maxAssertions is Datadog's limit for one API test.
	maxAssertions = 20
	// An SSL test's port is a TCP port.
	minPort = 1
	maxPort = 65535
)

// The bounds of assertion targets: an HTTP status code; a response time
// in milliseconds, up to a minute; a certificate's days to expiry, up to
// ten years.
const (
	minStatusCode      = 100
	maxStatusCode      = 599
	maxResponseTimeMs  = 60000
	maxCertificateDays = 3650
)

// notEmpty is what the schema says of a text the decoder refuses when it
// is empty or only spaces.
const notEmpty = `\S`

// urlPattern is what the schema says of a test's address: an http or
// https one (the scheme in any case, as URLs have it); checkURL says the
// rest.
var urlPattern = kit.URLPattern("http", "https")

// headerNamePattern is an HTTP header name, as kit.IsHeaderName takes it:
// a token (RFC 9110, 5.6.2).
const headerNamePattern = "^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$"

// assertionSpec declares an assertion: which fields it takes, and which it
// needs, depend on its type (When), and the decoder checks an assertion
// against the declaration of its type (assertionSpecs).
var assertionSpec = &kit.Spec{Title: "an assertion", Kind: kit.Object,
	Fields: []*kit.Spec{
		{Name: "type", Kind: kit.String, Required: true, Enum: assertionTypes,
			Doc: "What is checked. An `http` test takes `" + strings.Join(typesByKind[HTTP], "`, `") + "`; an `ssl` test takes `" + strings.Join(typesByKind[SSL], "`, `") + "`. " +
				"A `header` assertion names its header in `property`; a `javascript` one is a script, `{type: javascript, code}`, with no operator or target."},
		{Name: "operator", Kind: kit.String, Enum: allOperators, DefaultDoc: "none (required but for `javascript`)",
			Doc: "How the response is compared with the target; each type has its own: " + operatorsDoc() + ". `doesNotExist` takes no target. " +
				"Every type but `javascript` needs one; an unknown operator is an error with a \"did you mean\"."},
		{Name: "target", AnyOf: []*kit.Spec{{Kind: kit.String}, {Kind: kit.Number}}, DefaultDoc: "none (required but with `doesNotExist`)",
			Doc: fmt.Sprintf("What the response is compared with: a `statusCode` with `is` or `isNot`, a status code (%d–%d: `200`); "+
				"with `matches` or `doesNotMatch`, a JavaScript regular expression, as in Datadog (`\"20[04]\"`), checked when the config is loaded; "+
				"a `responseTime`, milliseconds (1–%d); a `certificate`, days before it expires (0–%d); "+
				"a `header` with `lessThan`, `lessThanOrEqual`, `moreThan` or `moreThanOrEqual`, a number; otherwise a string. None with `doesNotExist`.",
				minStatusCode, maxStatusCode, maxResponseTimeMs, maxCertificateDays)},
		{Name: "property", Kind: kit.String, Pattern: `^[^A-Z]+$`, PatternDoc: "a header name in lower case", DefaultDoc: "none (required for `header`)",
			Doc: "The header a `header` assertion checks, in lower case as Datadog requires (`content-type`). Header assertions only, and required there."},
		{Name: "timingsScope", Kind: kit.String, Enum: timingsScopes, DefaultDoc: "left to Datadog",
			Doc: "Which timings a `responseTime` assertion counts: `all`, or `withoutDNS`, leaving the DNS lookup out. `responseTime` assertions only."},
		{Name: "code", Kind: kit.String, Pattern: notEmpty, PatternDoc: "not empty", DefaultDoc: "none (required for `javascript`)",
			Doc: "A `javascript` assertion's script: it reads `dd.response` and fails through `dd.expect`, as `dd.expect(dd.response.statusCode).to.equal(200)`. " +
				"No top-level `return`, and at least one statement (a script that does nothing passes whatever the response); checked when the config is loaded. " +
				"`javascript` assertions only, and required there."},
	},
	When: append([]kit.When{
		{Field: "type", Is: []string{"statusCode", "body", "certificate"}, Require: []string{"operator"}, Forbid: []string{"property", "timingsScope", "code"}},
		{Field: "type", Is: []string{"header"}, Require: []string{"operator", "property"}, Forbid: []string{"timingsScope", "code"}},
		{Field: "type", Is: []string{"responseTime"}, Require: []string{"operator"}, Forbid: []string{"property", "code"}},
		{Field: "type", Is: []string{"javascript"}, Require: []string{"code"}, Forbid: []string{"operator", "target", "property", "timingsScope"}},
		{Field: "operator", Is: slices.DeleteFunc(slices.Clone(allOperators), func(op string) bool { return op == "doesNotExist" }), Require: []string{"target"}},
		{Field: "operator", Is: []string{"doesNotExist"}, Forbid: []string{"target"}},
	}, narrowByType()...),
}

// assertionTypesOf narrows a test's assertions to the types of its kind.
func assertionTypesOf(kind string) []*kit.Spec {
	return []*kit.Spec{{Name: "assertions", Kind: kit.List, Items: &kit.Spec{Kind: kit.Object,
		Fields: []*kit.Spec{{Name: "type", Kind: kit.String, Enum: typesByKind[kind]}}}}}
}

// narrowByType are the rules of each assertion type's operators, and of
// the targets that are numbers whatever the operator.
func narrowByType() []kit.When {
	var out []kit.When
	for _, t := range assertionTypes {
		if ops := operators[t]; len(ops) > 0 {
			w := kit.When{Field: "type", Is: []string{t}, Narrow: []*kit.Spec{{Name: "operator", Kind: kit.String, Enum: ops}}}
			switch t {
			case "responseTime":
				w.Narrow = append(w.Narrow, &kit.Spec{Name: "target", Kind: kit.Integer, Min: kit.Bound(1), Max: kit.Bound(maxResponseTimeMs)})
			case "certificate":
				w.Narrow = append(w.Narrow, &kit.Spec{Name: "target", Kind: kit.Integer, Min: kit.Bound(0), Max: kit.Bound(maxCertificateDays)})
			}
			out = append(out, w)
		}
	}
	return out
}

// operatorsDoc lists each type's operators, for the reference.
func operatorsDoc() string {
	var parts []string
	for _, t := range assertionTypes {
		if ops := operators[t]; len(ops) > 0 {
			parts = append(parts, "`"+t+"`: `"+strings.Join(ops, "`, `")+"`")
		}
	}
	return strings.Join(parts, "; ")
}

// retrySpec declares a test's fast retries.
var retrySpec = &kit.Spec{Name: "retry", Kind: kit.Object, Default: map[string]any{"count": DefaultRetryCount, "intervalMs": DefaultRetryIntervalMs},
	Doc: "Fast retries of a failed run before it counts as failed: by default three, five minutes apart, so that a CDN or origin blip of a few minutes pages no one.",
	Fields: []*kit.Spec{
		{Name: "count", Kind: kit.Integer, Min: kit.Bound(0), Max: kit.Bound(maxRetryCount), Default: DefaultRetryCount,
			Doc: "How many times a failed run is retried: Datadog allows at most 3 for an API test."},
		{Name: "intervalMs", Kind: kit.Integer, Min: kit.Bound(0), Max: kit.Bound(maxRetryIntervalMs), Default: DefaultRetryIntervalMs,
			Doc: "Milliseconds between retries, at most an hour."},
	},
}

// queueSpec declares a queue test's parameters.
var queueSpec = &kit.Spec{Name: "queue", Kind: kit.Object, DefaultDoc: "none (required for `queue`)",
	Doc: "A queue test's runner family and threshold. The test reads PyTorch HUD's `/api/clickhouse/queued_jobs_by_label` and fails when a machine type of the family has waited longer than `thresholdHours`. " +
		"Every queue test runs one script, `scripts/queue-check.js`, with these parameters put before it (`const params = {...};`), so the program, the tests and a local run read the same bytes; " +
		"it passes quietly when HUD answers with an error, a body that is not JSON, or JSON of another shape, which HUD's own uptime test reports. `queue` tests only, and required there.",
	AtMostOne: []string{scripts.StartsWith, scripts.Contains, scripts.Equals},
	Fields: []*kit.Spec{
		{Name: scripts.StartsWith, Kind: kit.String, Pattern: notEmpty, PatternDoc: "not empty", DefaultDoc: "none",
			Doc: "The family is the machine types starting with this (`lf.`). At most one of `startsWith`, `contains` and `equals`; with none, the family is every machine type not excluded."},
		{Name: scripts.Contains, Kind: kit.String, Pattern: notEmpty, PatternDoc: "not empty", DefaultDoc: "none",
			Doc: "The family is the machine types containing this (`.s390x`). At most one of `startsWith`, `contains` and `equals`."},
		{Name: scripts.Equals, Kind: kit.String, Pattern: notEmpty, PatternDoc: "not empty", DefaultDoc: "none",
			Doc: "The family is the one machine type equal to this (`linux.aws.h100`). At most one of `startsWith`, `contains` and `equals`."},
		{Name: "exclude", Kind: kit.List, Default: []any{}, Items: &kit.Spec{Kind: kit.String, MinLength: 1},
			Doc: "Machine types left out of the family: a pattern starting with `^` is an anchored JavaScript regular expression, checked when the config is loaded; any other, a substring."},
		{Name: "thresholdHours", Kind: kit.Number, Required: true, Min: kit.Bound(minThresholdHours), Max: kit.Bound(maxThresholdHours),
			Doc: fmt.Sprintf("A machine type of the family that has waited longer than this many hours fails the test; exactly at it passes. "+
				"From %s (a shorter wait is routine while an autoscaled runner boots) to %s (GitHub cancels a job that has waited a day for a runner); rounded to the second.",
				kit.FormatNumber(minThresholdHours), kit.FormatNumber(maxThresholdHours))},
		{Name: "label", Kind: kit.String, DefaultDoc: "from the rule, such as `containing .s390x`",
			Doc: "Names the family in the failure: `High queue detected for machine types containing .s390x: linux.s390x (2.0h)`. Empty, it is made from the rule."},
	},
}

// notes are what the reference says of the section beyond its fields.
//
//go:embed notes.md
var notes string

// Spec declares the synthetics section: the decoder, the stack file's
// JSON Schema and the reference (docs/configuration.md) are made from it.
// Which fields a test takes, and which it needs, depend on its kind
// (When): the decoder checks a test against the declaration of its kind
// (testSpecs).
var Spec = &kit.Spec{
	Notes: notes,
	Title: "Synthetics tests", Kind: kit.Map, KeyPattern: kit.KeyPattern, Default: map[string]any{},
	Doc: fmt.Sprintf("Datadog synthetics API tests by key; the key is the test's logical name. Stack-wide defaults, which any test may override: "+
		"every %d s, %d retries %d ms apart, from `%s`, status `%s`, tags `%s` and `service:<service>`.",
		DefaultTickEvery, DefaultRetryCount, DefaultRetryIntervalMs, strings.Join(DefaultLocations, "`, `"), DefaultStatus, strings.Join(DefaultTags, "`, `")),
	Values: &kit.Spec{Title: "a synthetics test", Kind: kit.Object,
		Fields: []*kit.Spec{
			{Name: "name", Kind: kit.String, Required: true, Pattern: notEmpty, PatternDoc: "not empty",
				Doc: "The test's title in Datadog. Unique."},
			{Name: "kind", Kind: kit.String, Enum: kinds, Default: HTTP,
				Doc: "`http` requests `url` and checks the response with `assertions`; `ssl` checks the TLS certificate of `host` with `assertions`; " +
					"`queue` reads PyTorch HUD's queued jobs and fails when a machine type of a runner family (`queue`) has waited too long. Which fields a test takes depends on it."},
			{Name: "message", Kind: kit.String, Required: true, Pattern: notEmpty, PatternDoc: "not empty",
				Doc: "What the responder reads. Datadog's `" + FailureMessage + "` and then the handles of the `notify` channels are appended, so the alert says what failed."},
			{Name: "notify", Kind: kit.List, Unique: true, Default: []any{}, Items: &kit.Spec{Kind: kit.String, Pattern: kit.KeyPattern, PatternDoc: "a channel key"},
				Doc: "Who is notified: keys of `channels`, `slackChannels` or `webhooks`, each once, in the order their handles are written."},
			{Name: "service", Kind: kit.String, Pattern: notEmpty, PatternDoc: "not empty", DefaultDoc: "the key",
				Doc: "The test's `service:<service>` tag."},
			{Name: "tags", Kind: kit.List, Default: []any{}, Items: &kit.Spec{Kind: kit.String},
				Doc: "Tags added to every test's `" + strings.Join(DefaultTags, "`, `") + "` and `service:<service>`."},
			{Name: "locations", Kind: kit.List, MinItems: 1, Default: DefaultLocations, Items: &kit.Spec{Kind: kit.String},
				Doc: "The Datadog locations the test runs from, such as `aws:us-west-2`; at least one."},
			{Name: "tickEvery", Kind: kit.Integer, Min: kit.Bound(minTickEvery), Max: kit.Bound(maxTickEvery), Default: DefaultTickEvery,
				Doc: "How often the test runs, in seconds: Datadog takes 30 seconds to a week. Every five minutes by default, as the checks of the Terraform configuration did."},
			retrySpec,
			{Name: "minFailureDuration", Kind: kit.Integer, Min: kit.Bound(0), Max: kit.Bound(maxMinFailureDuration), Default: 0,
				Doc: "Seconds the test must keep failing before it alerts, at most two hours; `0` alerts at the first failed run (after its retries), and is not sent."},
			{Name: "status", Kind: kit.String, Enum: statuses, Default: DefaultStatus,
				Doc: "`live` runs the test and alerts; `paused` stops it."},
			{Name: "url", Kind: kit.String, Pattern: urlPattern, PatternDoc: "an http:// or https:// address", DefaultDoc: "none (required for `http`; `queue`: HUD's queued jobs endpoint)",
				Doc: "What is requested: an http or https address with a host, and no user:password part (a credential goes in a `{{ NAME }}` variable from `secrets`). " +
					"`http` tests, where it is required, and `queue` tests, which read `" + HUDQueueURL + "` unless given another."},
			{Name: "timeoutSeconds", Kind: kit.Integer, Min: kit.Bound(minTimeoutSeconds), Max: kit.Bound(DatadogTimeoutSeconds), DefaultDoc: fmt.Sprintf("Datadog's (%d)", DatadogTimeoutSeconds),
				Doc: "The request's timeout, in seconds. `http` and `queue` tests."},
			{Name: "method", Kind: kit.String, Enum: methods, Default: DefaultMethod,
				Doc: "The request's method. `http` tests only."},
			{Name: "headers", Kind: kit.Map, Default: map[string]any{}, KeyPattern: headerNamePattern, Values: &kit.Spec{Kind: kit.String},
				Doc: "The request's headers by name. A header carrying a credential (`Authorization`, `Cookie`, a name ending in `token`, `api-key`, `secret` or `password`) must take it from a `{{ NAME }}` variable of `secrets`. `http` tests only."},
			{Name: "body", Kind: kit.String, Default: "",
				Doc: "The request's body; it may hold `{{ NAME }}` variables of `secrets`. `http` tests only."},
			{Name: "followRedirects", Kind: kit.Bool, Default: false,
				Doc: "Follow up to 10 redirects. Only `true` reaches Datadog: the provider drops `false`, and Datadog treats the unset option as \"do not follow\", so a new test does not follow. " +
					"Turning it off on a test that has it on does not reach Datadog: turn it off in the Datadog UI too. `http` tests only."},
			{Name: "host", Kind: kit.String, Pattern: `^[^/: ]+$`, PatternDoc: "a host name alone, without scheme, port or path", DefaultDoc: "none (required for `ssl`)",
				Doc: "The host whose TLS certificate is checked, alone: no scheme, port or path (`discuss.pytorch.org`). `ssl` tests only, and required there."},
			{Name: "port", Kind: kit.Integer, Min: kit.Bound(minPort), Max: kit.Bound(maxPort), Default: DefaultSSLPort,
				Doc: "The TLS port. `ssl` tests only."},
			{Name: "assertions", Kind: kit.List, MinItems: 1, MaxItems: maxAssertions, Items: assertionSpec, DefaultDoc: "none (required for `http` and `ssl`)",
				Doc: fmt.Sprintf("What the response must satisfy: 1 to %d assertions, `{type, operator, target}` (with `property` for a header), or `{type: javascript, code}`. "+
					"Unknown types and operators are errors with a \"did you mean\". `http` and `ssl` tests, where they are required; a `queue` test's one assertion is its script.", maxAssertions)},
			queueSpec,
			ImportID.Spec("the test's public id (`abc-123-xyz`)"),
		},
		When: []kit.When{
			{Field: "kind", Is: []string{HTTP}, Require: []string{"url", "assertions"}, Forbid: []string{"host", "port", "queue"}, Narrow: assertionTypesOf(HTTP)},
			{Field: "kind", Is: []string{SSL}, Require: []string{"host", "assertions"}, Forbid: []string{"url", "timeoutSeconds", "method", "headers", "body", "followRedirects", "queue"}, Narrow: assertionTypesOf(SSL)},
			{Field: "kind", Is: []string{Queue}, Require: []string{"queue"}, Forbid: []string{"method", "headers", "body", "followRedirects", "host", "port", "assertions"}},
		},
	},
}

// testSpecs and assertionSpecs are the declarations of a test of each
// kind and of an assertion of each type, as their rules make them: the
// decoder checks each against its own, so that a field of another kind
// is an unknown field and a field the kind needs is missing, as the
// schema says.
var (
	testSpecs      = narrowAll(Spec.Values, "kind", kinds)
	assertionSpecs = narrowAll(assertionSpec, "type", assertionTypes)
)

// narrowAll narrows an object's declaration for each value of a field.
func narrowAll(spec *kit.Spec, field string, values []string) map[string]*kit.Spec {
	out := map[string]*kit.Spec{}
	for _, v := range values {
		out[v] = narrow(spec, field, v)
	}
	return out
}

// narrow is an object's declaration when field is value: the fields its
// rules then forbid left out, those they require required.
func narrow(spec *kit.Spec, field, value string) *kit.Spec {
	forbid, require := map[string]bool{}, map[string]bool{}
	for _, w := range spec.When {
		if w.Field != field || !slices.Contains(w.Is, value) {
			continue
		}
		for _, f := range w.Forbid {
			forbid[f] = true
		}
		for _, f := range w.Require {
			require[f] = true
		}
	}
	out := *spec
	out.Fields = nil
	for _, f := range spec.Fields {
		if forbid[f.Name] {
			continue
		}
		if require[f.Name] && !f.Required {
			c := *f
			c.Required = true
			f = &c
		}
		out.Fields = append(out.Fields, f)
	}
	return &out
}

// declared are the decoders of the fields narrowed declares: a decoder of
// a field the full declaration has but narrowed leaves out is dropped (the
// field is unknown there); any other stays, so that a decoder of no
// declared field is still reported.
func declared(full, narrowed *kit.Spec, fields []kit.Field) []kit.Field {
	return slices.DeleteFunc(fields, func(f kit.Field) bool {
		return full.Field(f.Name) != nil && narrowed.Field(f.Name) == nil
	})
}

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
			Method: DefaultMethod,
		}
		if k, set := tm["kind"]; set {
			p.Enum(path+".kind", k, kinds, &t.Kind)
		}
		if t.Kind == Queue {
			t.URL = HUDQueueURL
		}
		if t.Kind == SSL {
			t.Port = DefaultSSLPort
		}
		var assertions []any
		fields := []kit.Field{
			{Name: "name", Decode: func(fp string, v any) {
				if p.String(fp, v, &t.Name) && p.Printable(fp, t.Name, false) {
					p.NonEmpty(fp, t.Name)
				}
			}},
			{Name: "kind", Decode: func(string, any) {}},
			{Name: "message", Decode: func(fp string, v any) {
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
			{Name: "tickEvery", Decode: func(fp string, v any) { p.Int(fp, v, minTickEvery, maxTickEvery, &t.TickEvery) }},
			{Name: "retry", Decode: func(fp string, v any) {
				p.Object(fp, v, retrySpec, []kit.Field{
					{Name: "count", Decode: func(fp string, v any) { p.Int(fp, v, 0, maxRetryCount, &t.RetryCount) }},
					{Name: "intervalMs", Decode: func(fp string, v any) { p.Int(fp, v, 0, maxRetryIntervalMs, &t.RetryIntervalMs) }},
				})
			}},
			{Name: "minFailureDuration", Decode: func(fp string, v any) { p.Int(fp, v, 0, maxMinFailureDuration, &t.MinFailureDuration) }},
			{Name: "status", Decode: func(fp string, v any) { p.Enum(fp, v, statuses, &t.Status) }},
			{Name: "url", Decode: func(fp string, v any) {
				if p.String(fp, v, &t.URL) {
					checkURL(p, fp, t.URL)
				}
			}},
			{Name: "timeoutSeconds", Decode: func(fp string, v any) {
				p.Int(fp, v, minTimeoutSeconds, DatadogTimeoutSeconds, &t.TimeoutSeconds)
			}},
			{Name: "method", Decode: func(fp string, v any) { p.Enum(fp, v, methods, &t.Method) }},
			{Name: "headers", Decode: func(fp string, v any) { p.StringMap(fp, v, &t.Headers); checkHeaders(p, fp, t.Headers) }},
			{Name: "body", Decode: func(fp string, v any) { p.String(fp, v, &t.Body) }},
			{Name: "followRedirects", Decode: func(fp string, v any) { p.Bool(fp, v, &t.FollowRedirects) }},
			{Name: "host", Decode: func(fp string, v any) {
				if p.String(fp, v, &t.Host) {
					checkHost(p, fp, t.Host)
				}
			}},
			{Name: "port", Decode: func(fp string, v any) { p.Int(fp, v, minPort, maxPort, &t.Port) }},
			{Name: "assertions", Decode: func(fp string, v any) { assertions = p.List(fp, v) }},
			{Name: "queue", Decode: func(fp string, v any) { t.QueueCheck = decodeQueue(p, fp, v) }},
			ImportID.Field(p, &t.ImportID),
		}
		spec := testSpecs[t.Kind]
		p.Object(path, tm, spec, declared(Spec.Values, spec, fields))
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
// or {type: javascript, code}, against the declaration of its type.
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
	fields := []kit.Field{
		{Name: "type", Decode: func(string, any) {}},
		{Name: "operator", Decode: func(fp string, v any) { p.Enum(fp, v, operators[a.Type], &a.Operator) }},
		{Name: "target", Decode: func(_ string, v any) { target, hasTarget = v, true }},
		{Name: "property", Decode: func(fp string, v any) {
			p.String(fp, v, &a.Property)
			if a.Property == "" || a.Property != strings.ToLower(a.Property) {
				p.Add(fp, "%q: write the header name in lower case, as Datadog requires", a.Property)
			}
		}},
		{Name: "timingsScope", Decode: func(fp string, v any) { p.Enum(fp, v, timingsScopes, &a.TimingsScope) }},
		{Name: "code", Decode: func(fp string, v any) {
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
		}},
	}
	spec := assertionSpecs[a.Type]
	if !p.Object(path, v, spec, declared(assertionSpec, spec, fields)) {
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
		return whole(minStatusCode, maxStatusCode)
	case a.Type == "responseTime":
		return whole(1, maxResponseTimeMs)
	case a.Type == "certificate":
		return whole(0, maxCertificateDays)
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
	if _, isMap := v.(map[string]any); !isMap {
		p.Add(path, "must be {startsWith | contains | equals, exclude, thresholdHours, label}, got %s", kit.Describe(v))
		return nil
	}
	q := &scripts.Queue{Match: scripts.Any, Exclude: []string{}}
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
	p.Object(path, v, queueSpec, []kit.Field{
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
		{Name: "thresholdHours", Decode: func(fp string, v any) { q.ThresholdSeconds, _ = thresholdSeconds(p, fp, v) }},
		{Name: "label", Decode: func(fp string, v any) { p.String(fp, v, &label) }},
	})
	if rules > 1 {
		p.Add(path, "has more than one of startsWith, contains and equals; a queue test covers one family")
	}
	q.Label = label
	if q.Label == "" {
		q.Label = scripts.DefaultLabel(q.Match, q.Value, q.Exclude)
	}
	return q
}
