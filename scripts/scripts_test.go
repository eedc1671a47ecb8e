package scripts_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/jsrun"
	"github.com/pytorch-fdn/pytorch-datadog/scripts"
)

func run(t *testing.T, q scripts.Queue, status int, body string) jsrun.Result {
	t.Helper()
	res, err := jsrun.Run(scripts.QueueCheck(q), jsrun.Response{StatusCode: status, Body: body}, 5*time.Second)
	require.NoError(t, err)
	return res
}

var s390x = scripts.Queue{Match: scripts.Contains, Value: ".s390x", ThresholdSeconds: 7200, Label: "containing .s390x"}

func TestQueueCheck(t *testing.T) {
	t.Parallel()
	others := scripts.Queue{
		Match:            scripts.Any,
		Exclude:          []string{".dgx.", ".rocm.", ".s390x", `^lf\.`, "^linux.aws.h100"},
		ThresholdSeconds: 10800,
		Label:            "of other families",
	}
	lf := scripts.Queue{Match: scripts.StartsWith, Value: "lf.", ThresholdSeconds: 10800, Label: "starting with lf."}
	h100 := scripts.Queue{Match: scripts.Equals, Value: "linux.aws.h100", ThresholdSeconds: 21600, Label: "equal to linux.aws.h100"}
	row := func(machine string, seconds int) string {
		return `{"count":3,"avg_queue_s":` + itoa(seconds) + `,"machine_type":"` + machine + `","time":"2026-08-21T15:30:02Z"}`
	}
	list := func(rows ...string) string { return "[" + strings.Join(rows, ",") + "]" }

	tests := map[string]struct {
		q       scripts.Queue
		status  int
		body    string
		failure string // "" when the check passes
	}{
		"under the threshold":      {s390x, 200, list(row("linux.s390x", 7199)), ""},
		"exactly at the threshold": {s390x, 200, list(row("linux.s390x", 7200)), ""},
		"over the threshold": {s390x, 200, list(row("linux.s390x", 7201)),
			"High queue detected for machine types containing .s390x: linux.s390x (2.0h)"},
		"every machine type over, in HUD's order": {s390x, 200,
			list(row("linux.s390x.large", 9000), row("linux.2xlarge", 99999), row("linux.s390x", 7300)),
			"High queue detected for machine types containing .s390x: linux.s390x.large (2.5h), linux.s390x (2.0h)"},
		"prefix rule is anchored": {lf, 200, list(row("linux.lf.big", 99999)), ""},
		"prefix rule matches":     {lf, 200, list(row("lf.linux.4xlarge", 12600)), "High queue detected for machine types starting with lf.: lf.linux.4xlarge (3.5h)"},
		"equality rule is exact":  {h100, 200, list(row("linux.aws.h100.4", 99999)), ""},
		"equality rule matches":   {h100, 200, list(row("linux.aws.h100", 30100)), "High queue detected for machine types equal to linux.aws.h100: linux.aws.h100 (8.4h)"},
		"excluded by substring":   {others, 200, list(row("linux.rocm.gpu.mi300.2", 91800), row("linux.dgx.b200", 30100)), ""},
		"excluded by anchored pattern": {others, 200,
			list(row("lf.linux.4xlarge", 99999), row("linux.aws.h100", 99999)), ""},
		"anchored exclusion leaves the rest": {others, 200,
			list(row("linux.lf.thing", 10900), row("x.linux.aws.h100", 10900)),
			"High queue detected for machine types of other families: linux.lf.thing (3.0h), x.linux.aws.h100 (3.0h)"},
		"empty queue":         {s390x, 200, `[]`, ""},
		"non-200 passes":      {s390x, 502, `<html>Bad Gateway</html>`, ""},
		"invalid JSON passes": {s390x, 200, `[{"machine_type": "linux.s390x",`, ""},
		"an object, not rows": {s390x, 200, `{"error": "query failed"}`, ""},
		"JSON null":           {s390x, 200, `null`, ""},
		"rows missing fields": {s390x, 200, `[{"machine_type":"linux.s390x"},{"avg_queue_s":99999},null,7,{"machine_type":"linux.s390x","avg_queue_s":"x"}]`, ""},
		"a wait in a string counts": {s390x, 200, `[{"machine_type":"linux.s390x","avg_queue_s":"99999"}]`,
			"High queue detected for machine types containing .s390x: linux.s390x (27.8h)"},
		"bad rows beside a good one": {s390x, 200, `[{"avg_queue_s":99999},` + row("linux.s390x", 14400) + `]`,
			"High queue detected for machine types containing .s390x: linux.s390x (4.0h)"},
		"extra keys are fine": {s390x, 200, `[{"count":1,"avg_queue_s":7300,"machine_type":"linux.s390x","time":"t","stale_count":4,"oldest_stale_s":1}]`,
			"High queue detected for machine types containing .s390x: linux.s390x (2.0h)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res := run(t, tc.q, tc.status, tc.body)
			if tc.failure == "" {
				assert.True(t, res.Passed, "failed: %s", res.Failure)
				assert.Empty(t, res.Errors, "nothing written to console.error when the check passes")
				return
			}
			assert.False(t, res.Passed)
			assert.Equal(t, []string{tc.failure}, res.Errors, "the message, through console.error")
			assert.Equal(t, "AssertionError: "+tc.failure+": expected false to be true", res.Failure,
				"the message reaches the failure, and the alert through {{synthetics.attributes.result.failure.message}}")
		})
	}
}

func TestQueueCheckScriptShape(t *testing.T) {
	t.Parallel()
	code := scripts.QueueCheck(s390x)
	assert.True(t, strings.HasPrefix(code, `const params = {"match":"contains","value":".s390x","exclude":[],"thresholdSeconds":7200,"label":"containing .s390x"};`+"\n"))
	assert.NoError(t, jsrun.Compile(code))
	assert.Equal(t, code, scripts.QueueCheck(s390x), "the same parameters give the same bytes")
}

func TestTopLevelReturnIsRejected(t *testing.T) {
	t.Parallel()
	// Datadog runs assertions as modules, where a top-level return is a
	// syntax error; the runner must reject it as Datadog would.
	_, err := jsrun.Run("if (dd.response.statusCode !== 200) { return; }\ndd.expect(true).to.be.true;", jsrun.Response{StatusCode: 500}, time.Second)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "return")
}

func TestDefaultLabel(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "starting with lf.", scripts.DefaultLabel(scripts.StartsWith, "lf.", nil))
	assert.Equal(t, "containing .dgx.", scripts.DefaultLabel(scripts.Contains, ".dgx.", nil))
	assert.Equal(t, "equal to linux.aws.h100", scripts.DefaultLabel(scripts.Equals, "linux.aws.h100", nil))
	assert.Equal(t, `not matching .dgx., ^lf\.`, scripts.DefaultLabel(scripts.Any, "", []string{".dgx.", `^lf\.`}))
}

func itoa(n int) string { return strconv.Itoa(n) }
