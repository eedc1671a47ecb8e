package plan

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/jsrun"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
)

const (
	monitorType = "datadog:index/monitor:Monitor"
	testType    = "datadog:index/syntheticsTest:SyntheticsTest"
)

func prodPlan(t *testing.T) map[string]Resource {
	t.Helper()
	s, err := stackfile.Load("../..", "prod", "")
	require.NoError(t, err)
	assert.Equal(t, `["datadog"]`, s.Raw.Values["pulumi:disable-default-providers"],
		"the production stack disables default providers, so a forgotten provider fails loudly")
	p, err := Build(s, false)
	require.NoError(t, err)
	out := map[string]Resource{}
	for _, r := range p.Resources {
		out[r.Type+"::"+r.Name] = r
	}
	return out
}

const (
	lfIncident = "@webhook-lf-incident-io"
	infraSlack = "@slack-PyTorch-pytorch-infra-alerts"
	lfSlack    = "@slack-Linux_Foundation-pytorch-alerts"
)

func TestProdMonitors(t *testing.T) {
	res := prodPlan(t)
	want := map[string]struct {
		typ, query string
		thresholds map[string]any
		handles    []string
	}{
		"ali-dead-letter-queue": {"query alert",
			"sum(last_5m):max:aws.sqs.number_of_messages_sent{queuename:ghci-lf-queued-builds-dead-letter}.as_count() > 5000",
			map[string]any{"critical": "5000", "warning": "1000"}, []string{lfIncident, infraSlack, lfSlack}},
		"ali-validation-exception": {"event-v2 alert",
			`events("source:amazon_sns @title:\"ALI ValidationException Detected\"").rollup("count").last("5m") > 0`,
			map[string]any{"critical": "0"}, []string{lfIncident, infraSlack, lfSlack}},
		"github-api-usage-high": {"event-v2 alert",
			`events("source:amazon_sns @title:\"GitHub API usage unusually high\"").rollup("count").last("5m") > 0`,
			map[string]any{"critical": "0"}, []string{lfIncident, infraSlack, lfSlack}},
		"download-whl-499-spike": {"log alert",
			`logs("service:cloudflare_pytorch_org @EdgeRequestHost:download*.pytorch.org @ClientRequestPath:/whl* @EdgeResponseStatus:499").rollup("count").last("5m") > 250`,
			map[string]any{"critical": "250", "criticalRecovery": "100"}, []string{infraSlack}},
	}
	count := 0
	for _, r := range res {
		if r.Type == monitorType {
			count++
			_, known := want[r.Name]
			assert.True(t, known, "unexpected monitor %s", r.Name)
		}
	}
	assert.Equal(t, len(want), count)
	for key, w := range want {
		in := res[monitorType+"::"+key].Inputs
		require.NotNil(t, in, key)
		assert.Equal(t, w.typ, in["type"], key)
		assert.Equal(t, w.query, in["query"], key)
		assert.Equal(t, w.thresholds, in["monitorThresholds"], key)
		msg := in["message"].(string)
		assert.True(t, strings.HasSuffix(msg, "\n\n"+strings.Join(w.handles, "\n")), "%s notifies %v:\n%s", key, w.handles, msg)
		assert.NotContains(t, in, "locked", key)
		assert.NotContains(t, in, "restrictedRoles", key)
	}
	assert.Contains(t, res[monitorType+"::ali-dead-letter-queue"].Inputs["message"], "scale-up Lambda logs")
	assert.Contains(t, res[monitorType+"::ali-validation-exception"].Inputs["message"], "Revert the test-infra release")
	assert.Contains(t, res[monitorType+"::github-api-usage-high"].Inputs["message"], "rate limit metrics")
}

func TestProdHTTPAndSSLTests(t *testing.T) {
	res := prodPlan(t)
	type check struct {
		url        string
		assertions []any
		follow     bool
		handle     string
	}
	status := func(code int) any {
		return map[string]any{"type": "statusCode", "operator": "is", "target": fmt.Sprint(code)}
	}
	body := func(s string) any { return map[string]any{"type": "body", "operator": "contains", "target": s} }
	want := map[string]check{
		"pytorch-org":  {"https://pytorch.org", []any{status(200), body("Install PyTorch")}, false, infraSlack},
		"pytorch-docs": {"https://docs.pytorch.org/docs/stable/index.html", []any{status(200), body("PyTorch documentation")}, false, infraSlack},
		"pytorch-docs-redirect": {"https://pytorch.org/docs", []any{status(301),
			map[string]any{"type": "header", "property": "location", "operator": "is", "target": "https://docs.pytorch.org/docs"},
			map[string]any{"type": "header", "property": "server", "operator": "is", "target": "nginx"}}, false, infraSlack},
		"pytorch-download":    {"https://download.pytorch.org/whl/", []any{status(200), body("pytorch")}, false, infraSlack},
		"pytorch-hud":         {"https://hud.pytorch.org", []any{status(200), body("pytorch/pytorch")}, false, infraSlack},
		"pytorch-landscape":   {"https://landscape.pytorch.org", []any{status(200), body("landscape")}, false, infraSlack},
		"pytorch-discuss":     {"https://discuss.pytorch.org", []any{status(200), body("PyTorch Forums")}, false, lfIncident},
		"pytorch-dev-discuss": {"https://dev-discuss.pytorch.org", []any{status(200), body("PyTorch releases")}, false, infraSlack},
		"github-ci-sev": {"https://github.com/pytorch/pytorch/issues?q=state%3Aopen%20label%3A%22ci%3A%20sev%22",
			[]any{status(200), body("No results")}, false, infraSlack},
	}
	http, ssl, queue := 0, 0, 0
	for _, r := range res {
		if r.Type != testType {
			continue
		}
		switch {
		case r.Inputs["subtype"] == "ssl":
			ssl++
		case strings.HasPrefix(r.Name, "gha-queue-"):
			queue++
		default:
			http++
		}
	}
	assert.Equal(t, 9, http)
	assert.Equal(t, 1, ssl)
	assert.Equal(t, 7, queue)

	for key, w := range want {
		in := res[testType+"::"+key].Inputs
		require.NotNil(t, in, key)
		assert.Equal(t, "http", in["subtype"], key)
		assert.Equal(t, w.url, in["requestDefinition"].(map[string]any)["url"], key)
		assert.Equal(t, w.assertions, in["assertions"], key)
		opts := in["optionsList"].(map[string]any)
		assert.Equal(t, w.follow, opts["followRedirects"], key)
		assert.Equal(t, int64(300), opts["tickEvery"], key)
		assert.Equal(t, map[string]any{"count": int64(3), "interval": int64(300000)}, opts["retry"], key)
		assert.Equal(t, []any{"aws:us-west-2"}, in["locations"], key)
		assert.Equal(t, "live", in["status"], key)
		assert.True(t, strings.HasSuffix(in["message"].(string), "{{{synthetics.attributes.result.failure.message}}}\n\n"+w.handle), key)
		tags := in["tags"].([]any)
		assert.Equal(t, []any{"env:project", "project:pytorch"}, tags[:2], key)
		assert.True(t, strings.HasPrefix(tags[2].(string), "service:"), key)
	}

	cert := res[testType+"::discuss-certificate"].Inputs
	assert.Equal(t, map[string]any{"host": "discuss.pytorch.org", "port": "443"}, cert["requestDefinition"])
	assert.Equal(t, []any{map[string]any{"type": "certificate", "operator": "isInMoreThan", "target": "14"}}, cert["assertions"])
	assert.Equal(t, int64(86400), cert["optionsList"].(map[string]any)["tickEvery"], "checked daily")
}

// family is what the issue asks of each queue test.
type family struct {
	thresholdSeconds int
	label            string
	member           string   // a machine type of the family
	outsiders        []string // machine types that look close but are not in it
}

var families = map[string]family{
	"gha-queue-lf":        {3 * 3600, "starting with lf.", "lf.linux.4xlarge", []string{"linux.lf.2xlarge", "lf"}},
	"gha-queue-nvidia":    {3 * 3600, "containing .dgx.", "linux.dgx.b200", []string{"linux.dgx", "dgx.b200"}},
	"gha-queue-amd":       {4 * 3600, "containing .rocm.", "linux.rocm.gpu.mi300.2", []string{"linux.rocm"}},
	"gha-queue-ibm":       {2 * 3600, "containing .s390x", "linux.s390x", []string{"s390x.linux"}},
	"gha-queue-intel":     {3 * 3600, "containing .idc.", "linux.idc.xeon", []string{"linux.idc"}},
	"gha-queue-meta-h100": {6 * 3600, "equal to linux.aws.h100", "linux.aws.h100", []string{"linux.aws.h100.4", "x.linux.aws.h100"}},
	"gha-queue-meta": {3 * 3600, "of other families (Meta's runners)", "linux.2xlarge",
		[]string{"lf.linux.4xlarge", "linux.dgx.b200", "linux.rocm.gpu.mi300.2", "linux.s390x", "linux.aws.h100"}},
}

func row(machine string, seconds int) string {
	return fmt.Sprintf(`{"count":4,"avg_queue_s":%d,"machine_type":%q,"time":"2026-08-21T15:30:02Z"}`, seconds, machine)
}

// TestProdQueueScripts runs the JavaScript of every queue test, as the plan
// registers it, against HUD-shaped fixtures.
func TestProdQueueScripts(t *testing.T) {
	res := prodPlan(t)
	for key, f := range families {
		in := res[testType+"::"+key].Inputs
		require.NotNil(t, in, key)
		asserts := in["assertions"].([]any)
		require.Len(t, asserts, 1, key)
		code := asserts[0].(map[string]any)["code"].(string)
		over := f.thresholdSeconds + 1800
		overMsg := fmt.Sprintf("High queue detected for machine types %s: %s (%.1fh)", f.label, f.member, float64(over)/3600)

		cases := map[string]struct {
			status int
			body   string
			fails  string
		}{
			"under":                {200, "[" + row(f.member, f.thresholdSeconds-1) + "]", ""},
			"exactly at":           {200, "[" + row(f.member, f.thresholdSeconds) + "]", ""},
			"over":                 {200, "[" + row(f.member, over) + "]", overMsg},
			"empty":                {200, "[]", ""},
			"non-200":              {503, `{"error":"unavailable"}`, ""},
			"invalid JSON":         {200, "<html>", ""},
			"object, not an array": {200, `{"rows": []}`, ""},
			"rows missing fields":  {200, `[{"machine_type":"` + f.member + `"},{"avg_queue_s":999999},{}]`, ""},
			"missing fields beside a row over": {200,
				`[{"avg_queue_s":999999},` + row(f.member, over) + `]`, overMsg},
		}
		for i, o := range f.outsiders {
			cases[fmt.Sprintf("outsider %d %s, over", i, o)] = struct {
				status int
				body   string
				fails  string
			}{200, "[" + row(o, f.thresholdSeconds*10) + "]", ""}
		}
		for name, c := range cases {
			t.Run(key+"/"+name, func(t *testing.T) {
				r, err := jsrun.Run(code, jsrun.Response{StatusCode: c.status, Body: c.body}, 5*time.Second)
				require.NoError(t, err)
				if c.fails == "" {
					assert.True(t, r.Passed, r.Failure)
					assert.Empty(t, r.Errors)
					return
				}
				assert.False(t, r.Passed)
				assert.Equal(t, []string{c.fails}, r.Errors)
				assert.Contains(t, r.Failure, c.fails)
			})
		}
	}
	queue := 0
	for _, r := range res {
		if r.Type == testType && strings.HasPrefix(r.Name, "gha-queue-") {
			queue++
			assert.Contains(t, families, r.Name)
			in := r.Inputs
			assert.Equal(t, "https://hud.pytorch.org/api/clickhouse/queued_jobs_by_label?parameters=%7B%7D", in["requestDefinition"].(map[string]any)["url"])
			assert.Contains(t, in["message"], "{{{synthetics.attributes.result.failure.message}}}", "the failure reaches the alert")
		}
	}
	assert.Equal(t, len(families), queue)
}
