package synthetics_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/jsrun"
	"github.com/pytorch-fdn/pytorch-datadog/scripts"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
)

// queueTest is a queue test's config with the given queue parameters.
func queueTest(queue string) string {
	return `{"q": {"name": "Q", "kind": "queue", "message": "Queue high.", "queue": ` + queue + `}}`
}

func TestDecodeQueue(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		queue string
		want  scripts.Queue
	}{
		"starts with": {`{"startsWith": "lf.", "thresholdHours": 2.5}`,
			scripts.Queue{Match: scripts.StartsWith, Value: "lf.", Exclude: []string{}, ThresholdSeconds: 9000, Label: "starting with lf."}},
		"contains": {`{"contains": ".dgx.", "thresholdHours": 3}`,
			scripts.Queue{Match: scripts.Contains, Value: ".dgx.", Exclude: []string{}, ThresholdSeconds: 10800, Label: "containing .dgx."}},
		"equals": {`{"equals": "linux.aws.h100", "thresholdHours": 6}`,
			scripts.Queue{Match: scripts.Equals, Value: "linux.aws.h100", Exclude: []string{}, ThresholdSeconds: 21600, Label: "equal to linux.aws.h100"}},
		"rule and exclusions": {`{"contains": ".rocm.", "exclude": ["^linux\\.rocm\\.gpu\\.mi250", ".nightly"], "thresholdHours": 4}`,
			scripts.Queue{Match: scripts.Contains, Value: ".rocm.", Exclude: []string{`^linux\.rocm\.gpu\.mi250`, ".nightly"}, ThresholdSeconds: 14400, Label: "containing .rocm."}},
		"no rule: every type not excluded": {`{"exclude": [".dgx.", "^lf\\."], "thresholdHours": 0.25}`,
			scripts.Queue{Match: scripts.Any, Exclude: []string{".dgx.", `^lf\.`}, ThresholdSeconds: 900, Label: `not matching .dgx., ^lf\.`}},
		"no rule, no exclusion": {`{"thresholdHours": 1}`,
			scripts.Queue{Match: scripts.Any, Exclude: []string{}, ThresholdSeconds: 3600, Label: "of any family"}},
		"own label": {`{"exclude": [".dgx."], "thresholdHours": 3, "label": "of other families (Meta's runners)"}`,
			scripts.Queue{Match: scripts.Any, Exclude: []string{".dgx."}, ThresholdSeconds: 10800, Label: "of other families (Meta's runners)"}},
		"empty label is the default": {`{"contains": ".s390x", "thresholdHours": 2, "label": ""}`,
			scripts.Queue{Match: scripts.Contains, Value: ".s390x", Exclude: []string{}, ThresholdSeconds: 7200, Label: "containing .s390x"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := decodeOK(t, queueTest(tc.queue))["q"]
			require.NotNil(t, got.QueueCheck)
			assert.Equal(t, tc.want, *got.QueueCheck)
			assert.Equal(t, []synthetics.Assertion{{Type: "javascript", Code: scripts.QueueCheck(tc.want)}}, got.Assertions,
				"the one assertion is the queue script with these parameters")
			assert.True(t, strings.HasPrefix(got.Assertions[0].Code, "const params = {"), "parameters first")
		})
	}
}

func TestDecodeQueueRequest(t *testing.T) {
	t.Parallel()
	got := decodeOK(t, `{
		"q": {"name": "Q", "kind": "queue", "message": "m", "notify": ["infra"], "queue": {"contains": ".s390x", "thresholdHours": 2}},
		"r": {"name": "R", "kind": "queue", "message": "m", "url": "https://hud.example.org/queue", "timeoutSeconds": 15,
			"queue": {"equals": "linux.aws.h100", "thresholdHours": 6}}
	}`)
	q := got["q"]
	assert.Equal(t, synthetics.Queue, q.Kind)
	assert.Equal(t, synthetics.HUDQueueURL, q.URL, "queue tests read HUD unless told otherwise")
	assert.Equal(t, "https://hud.pytorch.org/api/clickhouse/queued_jobs_by_label?parameters=%7B%7D", synthetics.HUDQueueURL)
	assert.Equal(t, "GET", q.Method)
	assert.Zero(t, q.TimeoutSeconds)
	assert.False(t, q.FollowRedirects)
	assert.Equal(t, "q", q.Service)
	assert.Equal(t, []string{"@slack-infra"}, q.Notify)
	assert.Equal(t, synthetics.DefaultTickEvery, q.TickEvery)
	assert.Equal(t, synthetics.DefaultRetryCount, q.RetryCount)

	r := got["r"]
	assert.Equal(t, "https://hud.example.org/queue", r.URL)
	assert.Equal(t, 15, r.TimeoutSeconds)
}

func TestDecodeQueueProblems(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw  string
		want map[string]string // path: message fragment
	}{
		"two rules": {queueTest(`{"contains": ".dgx.", "startsWith": "lf.", "thresholdHours": 3}`), map[string]string{
			"synthetics.q.queue": "has more than one of startsWith, contains and equals; a queue test covers one family"}},
		"three rules": {queueTest(`{"contains": "a", "startsWith": "b", "equals": "c", "thresholdHours": 3}`), map[string]string{
			"synthetics.q.queue": "has more than one of startsWith, contains and equals"}},
		"no threshold": {queueTest(`{"contains": ".dgx."}`), map[string]string{
			"synthetics.q.queue.thresholdHours": "missing; it is required"}},
		"threshold of zero": {queueTest(`{"contains": ".dgx.", "thresholdHours": 0}`), map[string]string{
			"synthetics.q.queue.thresholdHours": "must be from 0.25 to 24 hours"}},
		"negative threshold": {queueTest(`{"contains": ".dgx.", "thresholdHours": -1}`), map[string]string{
			"synthetics.q.queue.thresholdHours": "must be from 0.25 to 24 hours"}},
		"threshold as a string": {queueTest(`{"contains": ".dgx.", "thresholdHours": "3h"}`), map[string]string{
			"synthetics.q.queue.thresholdHours": `must be a number, got the string "3h"`}},
		"threshold in seconds": {queueTest(`{"contains": ".dgx.", "thresholdSeconds": 10800}`), map[string]string{
			"synthetics.q.queue.thresholdSeconds": `unknown field (did you mean "thresholdHours"?)`,
			"synthetics.q.queue.thresholdHours":   "missing; it is required"}},
		"rule in the wrong case": {queueTest(`{"startswith": "lf.", "thresholdHours": 3}`), map[string]string{
			"synthetics.q.queue.startswith": `unknown field (did you mean "startsWith"?)`}},
		"blank rule": {queueTest(`{"equals": " ", "thresholdHours": 3}`), map[string]string{
			"synthetics.q.queue.equals": "is empty"}},
		"bad anchored pattern": {queueTest(`{"exclude": ["^lf\\.(", ".dgx."], "thresholdHours": 3}`), map[string]string{
			"synthetics.q.queue.exclude[0]": `"^lf\\.(" is not a JavaScript regular expression`}},
		"unanchored pattern is a substring, not a regex": {queueTest(`{"exclude": ["lf.(", ""], "thresholdHours": 3}`), map[string]string{
			"synthetics.q.queue.exclude[1]": "is empty"}},
		"exclude as a string": {queueTest(`{"exclude": ".dgx.", "thresholdHours": 3}`), map[string]string{
			"synthetics.q.queue.exclude": `(write it as a list: [".dgx."])`}},
		"label not a string": {queueTest(`{"contains": ".dgx.", "thresholdHours": 3, "label": 7}`), map[string]string{
			"synthetics.q.queue.label": "must be a string, got the number 7"}},
		"queue not a map": {queueTest(`"lf."`), map[string]string{
			"synthetics.q.queue": `must be {startsWith | contains | equals, exclude, thresholdHours, label}, got the string "lf."`}},
		"missing queue": {`{"q": {"name": "Q", "kind": "queue", "message": "m"}}`, map[string]string{
			"synthetics.q.queue": "missing; it is required"}},
		"queue test with assertions": {`{"q": {"name": "Q", "kind": "queue", "message": "m", "queue": {"contains": ".dgx.", "thresholdHours": 3}, "assertions": []}}`, map[string]string{
			"synthetics.q.assertions": "unknown field"}},
		"queue test with a method and headers": {`{"q": {"name": "Q", "kind": "queue", "message": "m", "queue": {"contains": ".dgx.", "thresholdHours": 3}, "method": "GET", "headers": {}}}`, map[string]string{
			"synthetics.q.method":  "unknown field",
			"synthetics.q.headers": "unknown field"}},
		"queue parameters on an HTTP test": {httpTest(`, "queue": {"contains": ".dgx.", "thresholdHours": 3}`), map[string]string{
			"synthetics.t.queue": "unknown field"}},
		"every problem of a queue at once": {queueTest(`{"contains": "a", "equals": "b", "exclude": ["^("], "thresholdHours": -2, "colour": "red"}`), map[string]string{
			"synthetics.q.queue.colour":         "unknown field",
			"synthetics.q.queue.exclude[0]":     "is not a JavaScript regular expression",
			"synthetics.q.queue.thresholdHours": "must be from 0.25 to 24 hours",
			"synthetics.q.queue":                "has more than one of"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, got := decode(t, tc.raw)
			requireExactly(t, got, tc.want)
		})
	}
}

// family is a queue test built here, and what its script must make of
// HUD's rows.
type family struct {
	queue     string // the test's queue parameters
	threshold int    // seconds
	label     string
	members   []string // machine types of the family
	outsiders []string // machine types that look close but are not in it
}

var families = map[string]family{
	"starts with": {`{"startsWith": "lf.", "thresholdHours": 3}`, 3 * 3600, "starting with lf.",
		[]string{"lf.linux.4xlarge", "lf."}, []string{"linux.lf.2xlarge", "lf", "LF.linux"}},
	"contains": {`{"contains": ".dgx.", "thresholdHours": 3}`, 3 * 3600, "containing .dgx.",
		[]string{"linux.dgx.b200", ".dgx."}, []string{"linux.dgx", "dgx.b200", "linux.dgxb200"}},
	"equals": {`{"equals": "linux.aws.h100", "thresholdHours": 6}`, 6 * 3600, "equal to linux.aws.h100",
		[]string{"linux.aws.h100"}, []string{"linux.aws.h100.4", "x.linux.aws.h100", "linux.aws.h10"}},
	"fractional hours": {`{"contains": ".s390x", "thresholdHours": 1.5}`, 5400, "containing .s390x",
		[]string{"linux.s390x"}, []string{"s390x.linux"}},
	"rule with an anchored exclusion": {`{"contains": ".rocm.", "exclude": ["^linux\\.rocm\\.gpu\\.mi250"], "thresholdHours": 4}`, 4 * 3600, "containing .rocm.",
		[]string{"linux.rocm.gpu.mi300.2", "x.linux.rocm.gpu.mi250"}, []string{"linux.rocm.gpu.mi250.1", "linux.rocm"}},
	"every other family": {`{"exclude": [".dgx.", ".rocm.", ".s390x", "^lf\\.", "^linux\\.aws\\.h100$"], "thresholdHours": 3, "label": "of other families (Meta's runners)"}`,
		3 * 3600, "of other families (Meta's runners)",
		[]string{"linux.2xlarge", "linux.lf.thing", "x.lf.linux", "linux.aws.h100.4", "windows.4xlarge"},
		[]string{"lf.linux.4xlarge", "linux.dgx.b200", "linux.rocm.gpu.mi300.2", "linux.s390x", "linux.aws.h100"}},
}

// queueScript decodes a queue test with the given parameters and returns
// the script Decode rendered for it.
func queueScript(t *testing.T, queue string) string {
	t.Helper()
	q := decodeOK(t, queueTest(queue))["q"]
	require.Len(t, q.Assertions, 1)
	require.Equal(t, "javascript", q.Assertions[0].Type)
	require.NoError(t, jsrun.Compile(q.Assertions[0].Code))
	return q.Assertions[0].Code
}

// row is one row of HUD's queued_jobs_by_label answer.
func row(machine string, seconds int) string {
	return fmt.Sprintf(`{"count":4,"avg_queue_s":%d,"machine_type":%q,"time":"2026-08-21T15:30:02Z"}`, seconds, machine)
}

func rows(r ...string) string { return "[" + strings.Join(r, ",") + "]" }

// verdict is what a queue script must make of one HUD answer: pass, or
// fail with exactly this message.
type verdict struct {
	status int
	body   string
	fails  string
}

func runScript(t *testing.T, code string, v verdict) {
	t.Helper()
	r, err := jsrun.Run(code, jsrun.Response{StatusCode: v.status, Body: v.body, Headers: map[string]string{"Content-Type": "application/json"}}, 5*time.Second)
	require.NoError(t, err)
	if v.fails == "" {
		assert.True(t, r.Passed, r.Failure)
		assert.Empty(t, r.Errors, "a pass writes no error")
		return
	}
	assert.False(t, r.Passed)
	assert.Equal(t, []string{v.fails}, r.Errors, "the failure message goes to console.error, once")
	assert.Contains(t, r.Failure, v.fails, "and is the assertion's message")
}

// TestQueueScriptVerdicts runs the script of each family, as Decode renders
// it, on HUD-shaped answers.
func TestQueueScriptVerdicts(t *testing.T) {
	t.Parallel()
	for name, f := range families {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code := queueScript(t, f.queue)
			member := f.members[0]
			over := f.threshold + 1800
			overMsg := fmt.Sprintf("High queue detected for machine types %s: %s (%.1fh)", f.label, member, float64(over)/3600)

			cases := map[string]verdict{
				"under":                 {200, rows(row(member, f.threshold-1)), ""},
				"exactly at":            {200, rows(row(member, f.threshold)), ""},
				"one second over":       {200, rows(row(member, f.threshold+1)), fmt.Sprintf("High queue detected for machine types %s: %s (%.1fh)", f.label, member, float64(f.threshold+1)/3600)},
				"over":                  {200, rows(row(member, over)), overMsg},
				"no rows":               {200, "[]", ""},
				"non-200 with rows":     {503, rows(row(member, over)), ""},
				"not JSON":              {200, "<html>Bad gateway</html>", ""},
				"JSON, not a list":      {200, `{"rows": ` + rows(row(member, over)) + `}`, ""},
				"rows missing fields":   {200, `[{"machine_type":"` + member + `"},{"avg_queue_s":999999},{},null,7]`, ""},
				"avg as a string":       {200, `[{"machine_type":"` + member + `","avg_queue_s":"999999"}]`, fmt.Sprintf("High queue detected for machine types %s: %s (%.1fh)", f.label, member, 999999.0/3600)},
				"avg not a number":      {200, `[{"machine_type":"` + member + `","avg_queue_s":"soon"},{"machine_type":"` + member + `","avg_queue_s":""},{"machine_type":"` + member + `","avg_queue_s":true}]`, ""},
				"bad rows beside a row": {200, `[{"avg_queue_s":999999},null,` + row(member, over) + `]`, overMsg},
			}
			for i, m := range f.members {
				cases[fmt.Sprintf("member %d %s, over", i, m)] = verdict{200, rows(row(m, over)),
					fmt.Sprintf("High queue detected for machine types %s: %s (%.1fh)", f.label, m, float64(over)/3600)}
			}
			for i, o := range f.outsiders {
				cases[fmt.Sprintf("outsider %d %s, far over", i, o)] = verdict{200, rows(row(o, f.threshold*10)), ""}
			}
			for name, v := range cases {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					runScript(t, code, v)
				})
			}
		})
	}
}

// TestQueueScriptMessage: the failure lists every machine type over the
// threshold, in HUD's order, each with its wait in hours to a tenth, and
// none under it or outside the family.
func TestQueueScriptMessage(t *testing.T) {
	t.Parallel()
	code := queueScript(t, `{"contains": ".s390x", "thresholdHours": 2}`)
	tests := map[string]verdict{
		"several over, in HUD's order": {200,
			rows(row("linux.s390x.large", 9000), row("linux.2xlarge", 99999), row("linux.s390x", 7300), row("linux.s390x.small", 7000)),
			"High queue detected for machine types containing .s390x: linux.s390x.large (2.5h), linux.s390x (2.0h)"},
		"hours rounded to a tenth": {200,
			rows(row("linux.s390x", 30100), row("linux.s390x.huge", 360000)),
			"High queue detected for machine types containing .s390x: linux.s390x (8.4h), linux.s390x.huge (100.0h)"},
		"fractional seconds": {200,
			`[{"machine_type":"linux.s390x","avg_queue_s":7200.5}]`,
			"High queue detected for machine types containing .s390x: linux.s390x (2.0h)"},
	}
	for name, v := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runScript(t, code, v)
		})
	}
}

// TestQueueScriptQuietOnBadData: an unreachable or malformed HUD passes,
// saying why only in the log.
func TestQueueScriptQuietOnBadData(t *testing.T) {
	t.Parallel()
	code := queueScript(t, `{"thresholdHours": 1}`)
	tests := map[string]struct {
		status int
		body   string
		log    string
	}{
		"server error":  {500, rows(row("linux.2xlarge", 99999)), "HUD answered HTTP 500; no queue data to check"},
		"redirect":      {302, "", "HUD answered HTTP 302; no queue data to check"},
		"HTML":          {200, "<html>", "HUD answered with a body that is not JSON"},
		"empty body":    {200, "", "HUD answered with a body that is not JSON"},
		"JSON object":   {200, `{"error": "rate limited"}`, "HUD answered with JSON that is not a list of queue rows"},
		"JSON a string": {200, `"rows"`, "HUD answered with JSON that is not a list of queue rows"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, err := jsrun.Run(code, jsrun.Response{StatusCode: tc.status, Body: tc.body}, 5*time.Second)
			require.NoError(t, err)
			assert.True(t, r.Passed, r.Failure)
			assert.Empty(t, r.Errors)
			require.Len(t, r.Logs, 1)
			assert.Contains(t, r.Logs[0], tc.log)
		})
	}
}
