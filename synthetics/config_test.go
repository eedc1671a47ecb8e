package synthetics_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit/kittest"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
)

// channels are the notification channels every case decodes against.
var channels = map[string]string{"infra": "@slack-infra", "lf": "@webhook-lf"}

// decode decodes a synthetics section as present and returns the tests and
// every problem found, each a *configkit.PathError.
func decode(t *testing.T, raw string) (map[string]synthetics.Test, []*configkit.PathError) {
	t.Helper()
	p := &configkit.Problems{}
	out := synthetics.Decode(p, raw, true, channels)
	return out, kittest.Problems(t, p)
}

// decodeOK decodes a section that must be valid.
func decodeOK(t *testing.T, raw string) map[string]synthetics.Test {
	t.Helper()
	out, problems := decode(t, raw)
	require.Empty(t, problems, "problems: %v", problems)
	return out
}

// requireOnly checks that list is exactly one problem, at path, whose
// message contains fragment.
func requireOnly(t *testing.T, list []*configkit.PathError, path, fragment string) {
	t.Helper()
	require.Len(t, list, 1, "problems: %v", list)
	assert.Equal(t, path, list[0].Path)
	assert.Contains(t, list[0].Msg, fragment)
}

// requireExactly checks that list holds one problem at each path of want,
// and none elsewhere, each message containing its fragment.
func requireExactly(t *testing.T, list []*configkit.PathError, want map[string]string) {
	t.Helper()
	wantPaths := make([]string, 0, len(want))
	for p := range want {
		wantPaths = append(wantPaths, p)
	}
	sort.Strings(wantPaths)
	require.Equal(t, wantPaths, kittest.SortedPaths(list), "every problem, each once: %v", list)
	for _, pe := range list {
		assert.Contains(t, pe.Msg, want[pe.Path], pe.Path)
	}
}

const statusOK = `{"type": "statusCode", "operator": "is", "target": 200}`

func httpTest(extra string) string {
	return `{"t": {"name": "T", "url": "https://pytorch.org", "message": "m", "assertions": [` + statusOK + `]` + extra + `}}`
}

func withAssertion(a string) string {
	return `{"t": {"name": "T", "url": "https://pytorch.org", "message": "m", "assertions": [` + a + `]}}`
}

func sslTest(extra string) string {
	return `{"c": {"name": "C", "kind": "ssl", "host": "discuss.pytorch.org", "message": "m", "assertions": [{"type": "certificate", "operator": "isInMoreThan", "target": 14}]` + extra + `}}`
}

func TestDecodeReportsOneProblem(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw, path, fragment string
	}{
		// Channels.
		"unknown channel": {httpTest(`, "notify": ["ifra"]`),
			"synthetics.t.notify[0]", `no channel "ifra" in channels (did you mean "infra"?)`},
		"channel listed twice": {httpTest(`, "notify": ["infra", "infra"]`),
			"synthetics.t.notify[1]", `"infra" is listed twice (also at [0])`},

		// Fields every test has.
		"unknown kind": {httpTest(`, "kind": "htttp"`),
			"synthetics.t.kind", `"htttp" is not one of http, ssl, queue (did you mean "http"?)`},
		"missing message": {`{"t": {"name": "T", "url": "https://pytorch.org", "assertions": [` + statusOK + `]}}`,
			"synthetics.t.message", "missing; it is required"},
		"blank message": {`{"t": {"name": "T", "url": "https://pytorch.org", "message": "  ", "assertions": [` + statusOK + `]}}`,
			"synthetics.t.message", "is empty"},
		"blank service": {httpTest(`, "service": ""`),
			"synthetics.t.service", "is empty"},
		"empty locations": {httpTest(`, "locations": []`),
			"synthetics.t.locations", "is empty; a test runs from at least one location"},
		"location as a string": {httpTest(`, "locations": "aws:us-east-1"`),
			"synthetics.t.locations", `(write it as a list: ["aws:us-east-1"])`},
		"tickEvery too often": {httpTest(`, "tickEvery": 10`),
			"synthetics.t.tickEvery", "must be from 30 to 604800, got 10"},
		"tickEvery over a week": {httpTest(`, "tickEvery": 604801`),
			"synthetics.t.tickEvery", "must be from 30 to 604800"},
		"too many retries": {httpTest(`, "retry": {"count": 5}`),
			"synthetics.t.retry.count", "must be from 0 to 3, got 5"},
		"retry interval over an hour": {httpTest(`, "retry": {"intervalMs": 3600001}`),
			"synthetics.t.retry.intervalMs", "must be from 0 to 3600000"},
		"retry interval typo": {httpTest(`, "retry": {"interval": 1000}`),
			"synthetics.t.retry.interval", `unknown field (did you mean "intervalMs"?)`},
		"retry as a number": {httpTest(`, "retry": 3`),
			"synthetics.t.retry", "must be {count, intervalMs}, got the number 3"},
		"minFailureDuration over two hours": {httpTest(`, "minFailureDuration": 7201`),
			"synthetics.t.minFailureDuration", "must be from 0 to 7200"},
		"unknown status": {httpTest(`, "status": "pause"`),
			"synthetics.t.status", `"pause" is not one of live, paused (did you mean "paused"?)`},
		"unknown field": {httpTest(`, "locked": true`),
			"synthetics.t.locked", "unknown field"},
		"importId not a public id": {httpTest(`, "importId": "12345678"`),
			"synthetics.t.importId", `"12345678" is not an id of this type, such as abc-123-xyz`},
		"importId as a number": {httpTest(`, "importId": 123`),
			"synthetics.t.importId", "must be a string, got the number 123"},
		"duplicate names": {`{"a": {"name": "T", "url": "https://a.org", "message": "m", "assertions": [` + statusOK + `]}, "b": {"name": "T", "kind": "ssl", "host": "b.org", "message": "m", "assertions": [{"type": "certificate", "operator": "isInLessThan", "target": 30}]}}`,
			"synthetics.b.name", `"T" is also the name of synthetics.a; test names must be unique`},
		"key not kebab-case": {`{"Site": {"name": "T", "url": "https://pytorch.org", "message": "m", "assertions": [` + statusOK + `]}}`,
			"synthetics.Site", `key "Site" must be lowercase letters and digits joined by '-'`},
		"test not a map": {`{"t": "https://pytorch.org"}`,
			"synthetics.t", `must be a synthetics test ({name, kind, url or host, assertions, message, notify, ...}), got the string "https://pytorch.org"`},
		"section a list": {`[]`,
			"synthetics", "must be a map of test key to synthetics test, got a list"},

		// HTTP tests.
		"missing url": {`{"t": {"name": "T", "message": "m", "assertions": [` + statusOK + `]}}`,
			"synthetics.t.url", "missing; it is required"},
		"url without a scheme": {httpTest(`, "url": "pytorch.org"`),
			"synthetics.t.url", `"pytorch.org" has no scheme; write it as http:// or https://`},
		"ftp url": {httpTest(`, "url": "ftp://pytorch.org/"`),
			"synthetics.t.url", `"ftp://pytorch.org/" must be an http or https URL`},
		"url with a space": {httpTest(`, "url": "https://pytorch.org/a b"`),
			"synthetics.t.url", "holds a space at byte 21; a URL has none"},
		"unknown method": {httpTest(`, "method": "get"`),
			"synthetics.t.method", `"get" is not one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS`},
		"header value not a string": {httpTest(`, "headers": {"x-retries": 3}`),
			"synthetics.t.headers.x-retries", "must be a string, got the number 3"},
		"headers as a list": {httpTest(`, "headers": ["accept: */*"]`),
			"synthetics.t.headers", "must be a map of names to strings, got a list"},
		"followRedirects as a string": {httpTest(`, "followRedirects": "true"`),
			"synthetics.t.followRedirects", `must be true or false, got the string "true"`},
		"timeout over Datadog's": {httpTest(`, "timeoutSeconds": 61`),
			"synthetics.t.timeoutSeconds", "must be from 1 to 60, got 61"},
		"timeout of zero": {httpTest(`, "timeoutSeconds": 0`),
			"synthetics.t.timeoutSeconds", "must be from 1 to 60, got 0"},
		"missing assertions": {`{"t": {"name": "T", "url": "https://pytorch.org", "message": "m"}}`,
			"synthetics.t.assertions", "missing; it is required"},
		"no assertions": {`{"t": {"name": "T", "url": "https://pytorch.org", "message": "m", "assertions": []}}`,
			"synthetics.t.assertions", "is empty; a test needs at least one assertion"},
		"assertions as a map": {`{"t": {"name": "T", "url": "https://pytorch.org", "message": "m", "assertions": {"type": "statusCode"}}}`,
			"synthetics.t.assertions", "must be a list, got a map"},
		"too many assertions": {withAssertion(strings.Repeat(statusOK+",", 20) + statusOK),
			"synthetics.t.assertions", "has 21 assertions; Datadog allows at most 20"},
		"host in an HTTP test": {httpTest(`, "host": "pytorch.org"`),
			"synthetics.t.host", "unknown field"},

		// Assertions.
		"assertion not a map": {withAssertion(`"statusCode is 200"`),
			"synthetics.t.assertions[0]", `must be an assertion ({type, operator, target}), got the string "statusCode is 200"`},
		"unknown operator": {withAssertion(`{"type": "body", "operator": "contain", "target": "x"}`),
			"synthetics.t.assertions[0].operator", `"contain" is not one of contains, doesNotContain, is, isNot, matches, doesNotMatch (did you mean "contains"?)`},
		"operator of another type": {withAssertion(`{"type": "statusCode", "operator": "contains", "target": "20"}`),
			"synthetics.t.assertions[0].operator", "is not one of is, isNot, matches, doesNotMatch"},
		"missing operator": {withAssertion(`{"type": "body", "target": "x"}`),
			"synthetics.t.assertions[0].operator", "missing; it is required"},
		"unknown assertion type": {withAssertion(`{"type": "status", "operator": "is", "target": 200}`),
			"synthetics.t.assertions[0].type", `(did you mean "statusCode"?)`},
		"certificate assertion in an HTTP test": {withAssertion(`{"type": "certificate", "operator": "isInMoreThan", "target": 14}`),
			"synthetics.t.assertions[0].type", `"certificate" is not one of statusCode, body, header, responseTime, javascript`},
		"status code not a number": {withAssertion(`{"type": "statusCode", "operator": "is", "target": "OK"}`),
			"synthetics.t.assertions[0].target", `must be a whole number, got the string "OK"`},
		"status code out of range": {withAssertion(`{"type": "statusCode", "operator": "isNot", "target": 2000}`),
			"synthetics.t.assertions[0].target", "must be from 100 to 599, got 2000"},
		"response time of zero": {withAssertion(`{"type": "responseTime", "operator": "lessThan", "target": 0}`),
			"synthetics.t.assertions[0].target", "must be from 1 to 60000"},
		"unknown timings scope": {withAssertion(`{"type": "responseTime", "operator": "lessThan", "target": 500, "timingsScope": "withoutDns"}`),
			"synthetics.t.assertions[0].timingsScope", `(did you mean "withoutDNS"?)`},
		"timings scope on a body assertion": {withAssertion(`{"type": "body", "operator": "contains", "target": "x", "timingsScope": "all"}`),
			"synthetics.t.assertions[0].timingsScope", "unknown field"},
		"invalid regular expression": {withAssertion(`{"type": "body", "operator": "matches", "target": "(unclosed"}`),
			"synthetics.t.assertions[0].target", `"(unclosed" is not a JavaScript regular expression`},
		"invalid regular expression, negated": {withAssertion(`{"type": "statusCode", "operator": "doesNotMatch", "target": "5[0-9"}`),
			"synthetics.t.assertions[0].target", "is not a JavaScript regular expression"},
		"header name in upper case": {withAssertion(`{"type": "header", "property": "Location", "operator": "is", "target": "x"}`),
			"synthetics.t.assertions[0].property", `"Location": write the header name in lower case`},
		"header assertion without property": {withAssertion(`{"type": "header", "operator": "is", "target": "x"}`),
			"synthetics.t.assertions[0].property", "missing; it is required"},
		"header number target not a number": {withAssertion(`{"type": "header", "property": "content-length", "operator": "moreThan", "target": "big"}`),
			"synthetics.t.assertions[0].target", `must be a number, got the string "big"`},
		"body target a number": {withAssertion(`{"type": "body", "operator": "contains", "target": 42}`),
			"synthetics.t.assertions[0].target", "must be a string, got the number 42"},
		"missing target": {withAssertion(`{"type": "body", "operator": "contains"}`),
			"synthetics.t.assertions[0].target", "missing; body contains needs a target"},
		"target with doesNotExist": {withAssertion(`{"type": "header", "property": "x-cache", "operator": "doesNotExist", "target": "y"}`),
			"synthetics.t.assertions[0].target", "takes no target with doesNotExist"},
		"property on a body assertion": {withAssertion(`{"type": "body", "operator": "contains", "target": "x", "property": "y"}`),
			"synthetics.t.assertions[0].property", "unknown field"},
		"javascript with a top-level return": {withAssertion(`{"type": "javascript", "code": "return;"}`),
			"synthetics.t.assertions[0].code", "is not a script Datadog can run"},
		"javascript without code": {withAssertion(`{"type": "javascript"}`),
			"synthetics.t.assertions[0].code", "missing; it is required"},
		"javascript with an operator": {withAssertion(`{"type": "javascript", "code": "dd.expect(true).to.be.true;", "operator": "is"}`),
			"synthetics.t.assertions[0].operator", "unknown field"},

		// SSL tests.
		"ssl test without host": {`{"c": {"name": "C", "kind": "ssl", "message": "m", "assertions": [{"type": "certificate", "operator": "isInMoreThan", "target": 14}]}}`,
			"synthetics.c.host", "missing; it is required"},
		"ssl host with a scheme": {sslTest(`, "host": "https://discuss.pytorch.org"`),
			"synthetics.c.host", `"https://discuss.pytorch.org" is not a host name such as discuss.pytorch.org`},
		"ssl host with a port": {sslTest(`, "host": "discuss.pytorch.org:443"`),
			"synthetics.c.host", "is not a host name"},
		"ssl port out of range": {sslTest(`, "port": 70000`),
			"synthetics.c.port", "must be from 1 to 65535"},
		"ssl test with a URL": {sslTest(`, "url": "https://x.org"`),
			"synthetics.c.url", "unknown field"},
		"ssl test with a timeout": {sslTest(`, "timeoutSeconds": 5`),
			"synthetics.c.timeoutSeconds", "unknown field"},
		"status assertion in an SSL test": {`{"c": {"name": "C", "kind": "ssl", "host": "x.org", "message": "m", "assertions": [` + statusOK + `]}}`,
			"synthetics.c.assertions[0].type", `"statusCode" is not one of certificate`},
		"certificate days over ten years": {`{"c": {"name": "C", "kind": "ssl", "host": "x.org", "message": "m", "assertions": [{"type": "certificate", "operator": "isInMoreThan", "target": 3651}]}}`,
			"synthetics.c.assertions[0].target", "must be from 0 to 3650"},
		"unknown certificate operator": {`{"c": {"name": "C", "kind": "ssl", "host": "x.org", "message": "m", "assertions": [{"type": "certificate", "operator": "isInMoreThen", "target": 14}]}}`,
			"synthetics.c.assertions[0].operator", `(did you mean "isInMoreThan"?)`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, got := decode(t, tc.raw)
			requireOnly(t, got, tc.path, tc.fragment)
		})
	}
}

// TestDecodeReportsEveryProblemAtOnce checks that one pass finds all the
// problems of an input, across fields, assertions and tests.
func TestDecodeReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw  string
		want map[string]string // path: message fragment
	}{
		"empty HTTP test": {`{"t": {}}`, map[string]string{
			"synthetics.t.name":       "missing; it is required",
			"synthetics.t.message":    "missing; it is required",
			"synthetics.t.url":        "missing; it is required",
			"synthetics.t.assertions": "missing; it is required",
		}},
		"empty SSL test": {`{"c": {"kind": "ssl"}}`, map[string]string{
			"synthetics.c.name":       "missing; it is required",
			"synthetics.c.message":    "missing; it is required",
			"synthetics.c.host":       "missing; it is required",
			"synthetics.c.assertions": "missing; it is required",
		}},
		"every assertion checked": {withAssertion(
			`{"type": "statusCode", "operator": "is", "target": 99},` +
				statusOK + `,` +
				`{"type": "body", "operator": "matches", "target": "["},` +
				`{"type": "header", "property": "Server", "operator": "is", "target": "nginx"},` +
				`{"type": "responseTime", "operator": "moreThan", "target": 100000}`), map[string]string{
			"synthetics.t.assertions[0].target":   "must be from 100 to 599",
			"synthetics.t.assertions[2].target":   "is not a JavaScript regular expression",
			"synthetics.t.assertions[3].property": "lower case",
			"synthetics.t.assertions[4].target":   "must be from 1 to 60000",
		}},
		"several tests": {`{
			"b": {"name": "B", "url": "https://b.org", "message": "m", "assertions": [` + statusOK + `], "retry": {"count": 4, "intervalMs": -1}, "notify": ["pager"]},
			"a": {"name": "A", "kind": "ssl", "host": "a.org", "port": 0, "message": "m", "assertions": [{"type": "certificate", "operator": "isInMoreThan", "target": -1}], "tickEvery": 5}
		}`, map[string]string{
			"synthetics.a.port":                 "must be from 1 to 65535",
			"synthetics.a.tickEvery":            "must be from 30 to 604800",
			"synthetics.a.assertions[0].target": "must be from 0 to 3650",
			"synthetics.b.retry.count":          "must be from 0 to 3",
			"synthetics.b.retry.intervalMs":     "must be from 0 to 3600000",
			"synthetics.b.notify[0]":            `no channel "pager"`,
		}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, got := decode(t, tc.raw)
			requireExactly(t, got, tc.want)
		})
	}
}

func TestDecodeAbsentSection(t *testing.T) {
	t.Parallel()
	p := &configkit.Problems{}
	got := synthetics.Decode(p, "", false, channels)
	assert.NotNil(t, got)
	assert.Empty(t, got)
	assert.NoError(t, p.Err())

	assert.Empty(t, decodeOK(t, `{}`), "an empty section is no tests")
}

func TestDecodeDefaults(t *testing.T) {
	t.Parallel()
	got := decodeOK(t, `{
		"site": {"name": "Site", "url": "https://pytorch.org", "message": "m", "assertions": [`+statusOK+`]},
		"cert": {"name": "Cert", "kind": "ssl", "host": "discuss.pytorch.org", "message": "m", "assertions": [{"type": "certificate", "operator": "isInMoreThan", "target": 14}]}
	}`)
	status := synthetics.Assertion{Type: "statusCode", Operator: "is", Target: "200", HasTarget: true}
	assert.Equal(t, synthetics.Test{
		Name: "Site", Kind: synthetics.HTTP, Message: "m", Service: "site",
		Locations: []string{"aws:us-west-2"}, TickEvery: 300, RetryCount: 3, RetryIntervalMs: 300000,
		Status: "live", Method: "GET", URL: "https://pytorch.org", Assertions: []synthetics.Assertion{status},
	}, got["site"], "an HTTP test's defaults")
	assert.Equal(t, synthetics.Test{
		Name: "Cert", Kind: synthetics.SSL, Message: "m", Service: "cert",
		Locations: synthetics.DefaultLocations, TickEvery: synthetics.DefaultTickEvery,
		RetryCount: synthetics.DefaultRetryCount, RetryIntervalMs: synthetics.DefaultRetryIntervalMs,
		Status: synthetics.DefaultStatus, Method: "GET", Host: "discuss.pytorch.org", Port: 443,
		Assertions: []synthetics.Assertion{{Type: "certificate", Operator: "isInMoreThan", Target: "14", HasTarget: true}},
	}, got["cert"], "an SSL test's defaults: port 443")

	// The stack-wide defaults themselves.
	assert.Equal(t, 300, synthetics.DefaultTickEvery)
	assert.Equal(t, 3, synthetics.DefaultRetryCount)
	assert.Equal(t, 300000, synthetics.DefaultRetryIntervalMs)
	assert.Equal(t, "live", synthetics.DefaultStatus)
	assert.Equal(t, 60, synthetics.DatadogTimeoutSeconds)
	assert.Equal(t, []string{"aws:us-west-2"}, synthetics.DefaultLocations)
	assert.Equal(t, []string{"env:project", "project:pytorch"}, synthetics.DefaultTags)
}

func TestDecodeEveryField(t *testing.T) {
	t.Parallel()
	got := decodeOK(t, `{
		"post": {"name": "Post", "kind": "http", "url": "http://example.org/api?x=1", "method": "POST", "body": "{\"a\": 1}",
			"headers": {"content-type": "application/json", "x-trace": "t"}, "followRedirects": true, "timeoutSeconds": 10,
			"service": "api", "tags": ["team:infra"], "locations": ["aws:eu-west-1", "aws:us-east-1"],
			"tickEvery": 60, "retry": {"count": 0, "intervalMs": 1000}, "minFailureDuration": 600, "status": "paused",
			"message": "Post failed.", "notify": ["lf", "infra"], "importId": "abc-123-xyz",
			"assertions": [
				{"type": "statusCode", "operator": "is", "target": 200},
				{"type": "statusCode", "operator": "matches", "target": 204},
				{"type": "body", "operator": "doesNotMatch", "target": "error\\s+\\d+"},
				{"type": "body", "operator": "is", "target": ""},
				{"type": "header", "property": "content-length", "operator": "moreThanOrEqual", "target": 7.5},
				{"type": "header", "property": "x-cache", "operator": "doesNotExist"},
				{"type": "header", "property": "server", "operator": "isNot", "target": "apache"},
				{"type": "responseTime", "operator": "lessThan", "target": 2000, "timingsScope": "withoutDNS"},
				{"type": "responseTime", "operator": "lessThanOrEqual", "target": 1},
				{"type": "javascript", "code": "dd.expect(dd.response.statusCode).to.equal(200);"}
			]},
		"cert": {"name": "Cert", "kind": "ssl", "host": "discuss.pytorch.org", "port": 8443, "message": "Cert.",
			"assertions": [{"type": "certificate", "operator": "isInLessThan", "target": 0}]}
	}`)
	assert.Equal(t, synthetics.Test{
		Name: "Post", Kind: synthetics.HTTP, Message: "Post failed.", Notify: []string{"@webhook-lf", "@slack-infra"},
		Service: "api", Tags: []string{"team:infra"}, Locations: []string{"aws:eu-west-1", "aws:us-east-1"},
		TickEvery: 60, RetryCount: 0, RetryIntervalMs: 1000, MinFailureDuration: 600, Status: "paused",
		Method: "POST", URL: "http://example.org/api?x=1", Body: `{"a": 1}`,
		Headers:         map[string]string{"content-type": "application/json", "x-trace": "t"},
		FollowRedirects: true, TimeoutSeconds: 10, ImportID: "abc-123-xyz",
		Assertions: []synthetics.Assertion{
			{Type: "statusCode", Operator: "is", Target: "200", HasTarget: true},
			{Type: "statusCode", Operator: "matches", Target: "204", HasTarget: true},
			{Type: "body", Operator: "doesNotMatch", Target: `error\s+\d+`, HasTarget: true},
			{Type: "body", Operator: "is", Target: "", HasTarget: true},
			{Type: "header", Property: "content-length", Operator: "moreThanOrEqual", Target: "7.5", HasTarget: true},
			{Type: "header", Property: "x-cache", Operator: "doesNotExist"},
			{Type: "header", Property: "server", Operator: "isNot", Target: "apache", HasTarget: true},
			{Type: "responseTime", Operator: "lessThan", Target: "2000", HasTarget: true, TimingsScope: "withoutDNS"},
			{Type: "responseTime", Operator: "lessThanOrEqual", Target: "1", HasTarget: true},
			{Type: "javascript", Code: "dd.expect(dd.response.statusCode).to.equal(200);"},
		},
	}, got["post"])
	cert := got["cert"]
	assert.Equal(t, 8443, cert.Port)
	assert.Equal(t, []synthetics.Assertion{{Type: "certificate", Operator: "isInLessThan", Target: "0", HasTarget: true}}, cert.Assertions)
	assert.Empty(t, cert.URL)
}

// TestDecodeInvalidAssertionIsLeftOut: an assertion with a problem is not
// kept, its valid neighbours are, in order.
func TestDecodeInvalidAssertionIsLeftOut(t *testing.T) {
	t.Parallel()
	got, problems := decode(t, withAssertion(`{"type": "body", "operator": "contains", "target": "a"}, {"type": "body", "operator": "contains", "target": 1}, {"type": "body", "operator": "contains", "target": "c"}`))
	requireOnly(t, problems, "synthetics.t.assertions[1].target", "must be a string")
	var targets []string
	for _, a := range got["t"].Assertions {
		targets = append(targets, a.Target)
	}
	assert.Equal(t, []string{"a", "c"}, targets)
}

// TestDecodeAssertionLimit: Datadog's 20 assertions are allowed.
func TestDecodeAssertionLimit(t *testing.T) {
	t.Parallel()
	list := make([]string, 20)
	for i := range list {
		list[i] = fmt.Sprintf(`{"type": "body", "operator": "contains", "target": "%d"}`, i)
	}
	got := decodeOK(t, withAssertion(strings.Join(list, ",")))
	require.Len(t, got["t"].Assertions, 20)
	assert.Equal(t, "19", got["t"].Assertions[19].Target)
}
