package plan

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/internal/jsrun"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
	"github.com/pytorch-fdn/pytorch-datadog/monitors"
	"github.com/pytorch-fdn/pytorch-datadog/program"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
	"github.com/pytorch-fdn/pytorch-datadog/scripts"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

// Behaviour tests on the fixture stack testdata/stacks/Pulumi.full.yaml: the
// production stack as it was when it was frozen, so that what it registers
// can be pinned without Pulumi.prod.yaml ever failing a test.

// full is the fixture stack read and planned once; the tests only read it.
var full = sync.OnceValues(func() (*built, error) {
	s, err := stackfile.Load(repoRoot, "prod", fullFile)
	if err != nil {
		return nil, err
	}
	return build(s)
})

// fullResources are the fixture's registrations by type and name.
func fullResources(t *testing.T) map[string]Resource {
	t.Helper()
	b, err := full()
	require.NoError(t, err)
	out := map[string]Resource{}
	for _, r := range b.plan.Resources {
		out[r.Type+"::"+r.Name] = r
	}
	return out
}

// count is how many resources of a type there are.
func count(res map[string]Resource, token string, match func(Resource) bool) int {
	n := 0
	for _, r := range res {
		if r.Type == token && (match == nil || match(r)) {
			n++
		}
	}
	return n
}

const (
	lfIncident = "@webhook-lf-incident-io"
	infraSlack = "@slack-PyTorch-pytorch-infra-alerts"
	lfSlack    = "@slack-Linux_Foundation-pytorch-alerts"
	fullURN    = "urn:pulumi:prod::pytorch-datadog::"
)

func TestFullProviderRolesAndUsers(t *testing.T) {
	t.Parallel()
	res := fullResources(t)
	b, err := full()
	require.NoError(t, err)

	assert.Equal(t, map[string]any{"apiUrl": "https://api.us3.datadoghq.com/"},
		res[program.ProviderToken+"::"+program.ProviderName].Inputs, "no keys in the stack: the provider reads them from the environment")

	assert.Equal(t, 1, count(res, roles.Token, nil))
	perms := []any{}
	for _, p := range []string{"logs_read_data", "logs_read_index_data", "logs_read_archives", "synthetics_read", "cases_read",
		"audit_logs_read", "dashboards_write", "dashboards_public_share", "monitors_write", "synthetics_write", "cases_write",
		"notebooks_write", "incident_write"} {
		perms = append(perms, map[string]any{"id": ddmock.PermissionID(p)})
	}
	assert.Equal(t, map[string]any{"name": "Limited Read Write", "permissions": perms, "defaultPermissionsOptOut": false},
		res[roles.Token+"::limited-read-write"].Inputs, "permission names resolve to ids, in the config's order")

	managed := ddmock.ResourceID(roles.Token, "limited-read-write")
	assert.Equal(t, 3, count(res, users.Token, nil))
	for key, want := range map[string]map[string]any{
		"infra-admin": {"email": "infra-admin@example.org", "roles": []any{ddmock.DatadogRoleID("Datadog Admin Role")}, "disabled": false},
		"jane-smith":  {"email": "jane.smith@example.org", "name": "Jane Smith", "roles": []any{managed}, "disabled": false},
		"john-doe": {"email": "john.doe@example.org", "roles": []any{managed}, "disabled": true,
			"sendUserInvitation": false}, // disabled: never invited, though the provider creates it enabled
	} {
		assert.Equal(t, want, res[users.Token+"::"+key].Inputs, key)
	}
	assert.Equal(t, []string{fullURN + roles.Token + "::limited-read-write"}, res[users.Token+"::jane-smith"].DependsOn,
		"a user depends on the managed role it has")
	assert.Empty(t, res[users.Token+"::infra-admin"].DependsOn, "a Datadog role is looked up, not depended on")

	assert.Equal(t, []Invoke{
		{Token: ddmock.GetPermissions, Args: map[string]any{"includeRestricted": false}},
		{Token: ddmock.GetRole, Args: map[string]any{"filter": "Datadog Admin Role"}},
	}, b.plan.Invokes)
	assert.Empty(t, b.plan.Notes, "every Datadog role named is built in")
}

func TestFullMonitors(t *testing.T) {
	t.Parallel()
	res := fullResources(t)
	all := []string{lfIncident, infraSlack, lfSlack}
	tests := map[string]struct {
		typ, query string
		thresholds map[string]any
		handles    []string
		// more are inputs beside the ones every monitor has.
		more map[string]any
		// says is in the message's text.
		says string
	}{
		"ali-dead-letter-queue": {"query alert",
			"sum(last_5m):max:aws.sqs.number_of_messages_sent{queuename:ghci-lf-queued-builds-dead-letter}.as_count() > 5000",
			map[string]any{"critical": "5000", "warning": "1000"}, all,
			map[string]any{"includeTags": false}, "scale-up Lambda logs"},
		"ali-validation-exception": {"event-v2 alert",
			`events("source:amazon_sns @title:\"ALI ValidationException Detected\"").rollup("count").last("5m") > 0`,
			map[string]any{"critical": "0"}, all,
			map[string]any{"includeTags": false, "renotifyInterval": int64(60)}, "Revert the test-infra release"},
		"github-api-usage-high": {"event-v2 alert",
			`events("source:amazon_sns @title:\"GitHub API usage unusually high\"").rollup("count").last("5m") > 0`,
			map[string]any{"critical": "0"}, all,
			map[string]any{"includeTags": false, "renotifyInterval": int64(60)}, "rate limit metrics"},
		"download-whl-499-spike": {"log alert",
			`logs("service:cloudflare_pytorch_org @EdgeRequestHost:download*.pytorch.org @ClientRequestPath:/whl* @EdgeResponseStatus:499").rollup("count").last("5m") > 250`,
			map[string]any{"critical": "250", "criticalRecovery": "100"}, []string{infraSlack},
			map[string]any{"includeTags": true, "evaluationDelay": int64(60)}, "status 499"},
	}
	assert.Equal(t, len(tests), count(res, monitors.Token, nil), "the fixture's monitors")
	for key, w := range tests {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			in := res[monitors.Token+"::"+key].Inputs
			require.NotNil(t, in)
			assert.Equal(t, w.typ, in["type"])
			assert.Equal(t, w.query, in["query"], "the comparison is rendered from comparator and critical")
			assert.Equal(t, w.thresholds, in["monitorThresholds"], "thresholds are strings on the wire")
			msg, _ := in["message"].(string)
			assert.True(t, strings.HasSuffix(msg, "\n\n"+strings.Join(w.handles, "\n")), "notifies %v:\n%s", w.handles, msg)
			assert.Contains(t, msg, w.says)
			assert.Equal(t, false, in["requireFullWindow"], "sparse data still evaluates")
			for k, v := range w.more {
				assert.Equal(t, v, in[k], k)
			}
			assert.NotContains(t, in, "locked", "deprecated")
			assert.NotContains(t, in, "restrictedRoles", "deprecated")
		})
	}
}

func TestFullHTTPAndSSLTests(t *testing.T) {
	t.Parallel()
	res := fullResources(t)
	status := func(code int) any {
		return map[string]any{"type": "statusCode", "operator": "is", "target": fmt.Sprint(code)}
	}
	body := func(s string) any { return map[string]any{"type": "body", "operator": "contains", "target": s} }
	tests := map[string]struct {
		url        string
		assertions []any
		handle     string
		service    string
	}{
		"pytorch-org":  {"https://pytorch.org", []any{status(200), body("Install PyTorch")}, infraSlack, "www"},
		"pytorch-docs": {"https://docs.pytorch.org/docs/stable/index.html", []any{status(200), body("PyTorch documentation")}, infraSlack, "docs"},
		"pytorch-docs-redirect": {"https://pytorch.org/docs", []any{status(301),
			map[string]any{"type": "header", "property": "location", "operator": "is", "target": "https://docs.pytorch.org/docs"},
			map[string]any{"type": "header", "property": "server", "operator": "is", "target": "nginx"}}, infraSlack, "docs"},
		"pytorch-download":    {"https://download.pytorch.org/whl/", []any{status(200), body("pytorch")}, infraSlack, "download"},
		"pytorch-hud":         {"https://hud.pytorch.org", []any{status(200), body("pytorch/pytorch")}, infraSlack, "hud"},
		"pytorch-landscape":   {"https://landscape.pytorch.org", []any{status(200), body("landscape")}, infraSlack, "landscape"},
		"pytorch-discuss":     {"https://discuss.pytorch.org", []any{status(200), body("PyTorch Forums")}, lfIncident, "discuss"},
		"pytorch-dev-discuss": {"https://dev-discuss.pytorch.org", []any{status(200), body("PyTorch releases")}, infraSlack, "dev-discuss"},
		"github-ci-sev": {"https://github.com/pytorch/pytorch/issues?q=state%3Aopen%20label%3A%22ci%3A%20sev%22",
			[]any{status(200), body("No results")}, infraSlack, "github"},
	}
	isSSL := func(r Resource) bool { return r.Inputs["subtype"] == "ssl" }
	isQueue := func(r Resource) bool { return strings.HasPrefix(r.Name, "gha-queue-") }
	assert.Equal(t, len(tests), count(res, synthetics.Token, func(r Resource) bool { return !isSSL(r) && !isQueue(r) }), "HTTP tests")
	assert.Equal(t, 1, count(res, synthetics.Token, isSSL), "SSL tests")

	for key, w := range tests {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			in := res[synthetics.Token+"::"+key].Inputs
			require.NotNil(t, in)
			assert.Equal(t, "api", in["type"])
			assert.Equal(t, "http", in["subtype"])
			assert.Equal(t, map[string]any{"method": "GET", "url": w.url}, in["requestDefinition"])
			assert.Equal(t, w.assertions, in["assertions"], "targets are strings on the wire")
			assert.Equal(t, map[string]any{
				"followRedirects": false, "tickEvery": int64(300),
				"retry": map[string]any{"count": int64(3), "interval": int64(300000)},
			}, in["optionsList"], "the stack-wide defaults; following redirects is explicit")
			assert.Equal(t, []any{"aws:us-west-2"}, in["locations"])
			assert.Equal(t, "live", in["status"])
			assert.True(t, strings.HasSuffix(in["message"].(string), "\n\n{{{synthetics.attributes.result.failure.message}}}\n\n"+w.handle),
				"the failure, then the channel:\n%s", in["message"])
			assert.Equal(t, []any{"env:project", "project:pytorch", "service:" + w.service}, in["tags"])
			assert.NotContains(t, in, "requestHeaders")
		})
	}

	t.Run("discuss-certificate", func(t *testing.T) {
		t.Parallel()
		cert := res[synthetics.Token+"::discuss-certificate"].Inputs
		require.NotNil(t, cert)
		assert.Equal(t, "ssl", cert["subtype"])
		assert.Equal(t, map[string]any{"host": "discuss.pytorch.org", "port": "443"}, cert["requestDefinition"])
		assert.Equal(t, []any{map[string]any{"type": "certificate", "operator": "isInMoreThan", "target": "14"}}, cert["assertions"])
		opts := cert["optionsList"].(map[string]any)
		assert.Equal(t, int64(86400), opts["tickEvery"], "checked daily")
		assert.NotContains(t, opts, "followRedirects", "an SSL test follows nothing")
		assert.True(t, strings.HasSuffix(cert["message"].(string), "\n\n"+infraSlack))
	})
}

// family is what the issue asks of each queue test: its parameters, and
// machine types in and out of it.
type family struct {
	queue     scripts.Queue
	member    string   // a machine type of the family
	outsiders []string // machine types that look close but are not in it
}

var families = map[string]family{
	"gha-queue-lf": {scripts.Queue{Match: scripts.StartsWith, Value: "lf.", Exclude: []string{}, ThresholdSeconds: 3 * 3600, Label: "starting with lf."},
		"lf.linux.4xlarge", []string{"linux.lf.2xlarge", "lf"}},
	"gha-queue-nvidia": {scripts.Queue{Match: scripts.Contains, Value: ".dgx.", Exclude: []string{}, ThresholdSeconds: 3 * 3600, Label: "containing .dgx."},
		"linux.dgx.b200", []string{"linux.dgx", "dgx.b200"}},
	"gha-queue-amd": {scripts.Queue{Match: scripts.Contains, Value: ".rocm.", Exclude: []string{}, ThresholdSeconds: 4 * 3600, Label: "containing .rocm."},
		"linux.rocm.gpu.mi300.2", []string{"linux.rocm"}},
	"gha-queue-ibm": {scripts.Queue{Match: scripts.Contains, Value: ".s390x", Exclude: []string{}, ThresholdSeconds: 2 * 3600, Label: "containing .s390x"},
		"linux.s390x", []string{"s390x.linux"}},
	"gha-queue-intel": {scripts.Queue{Match: scripts.Contains, Value: ".idc.", Exclude: []string{}, ThresholdSeconds: 3 * 3600, Label: "containing .idc."},
		"linux.idc.xeon", []string{"linux.idc"}},
	"gha-queue-meta-h100": {scripts.Queue{Match: scripts.Equals, Value: "linux.aws.h100", Exclude: []string{}, ThresholdSeconds: 6 * 3600, Label: "equal to linux.aws.h100"},
		"linux.aws.h100", []string{"linux.aws.h100.4", "x.linux.aws.h100"}},
	"gha-queue-meta": {scripts.Queue{Match: scripts.Any, Exclude: []string{".dgx.", ".rocm.", ".s390x", `^lf\.`, "^linux.aws.h100"},
		ThresholdSeconds: 3 * 3600, Label: "of other families (Meta's runners)"},
		"linux.2xlarge", []string{"lf.linux.4xlarge", "linux.dgx.b200", "linux.rocm.gpu.mi300.2", "linux.s390x", "linux.aws.h100"}},
}

func row(machine string, seconds int) string {
	return fmt.Sprintf(`{"count":4,"avg_queue_s":%d,"machine_type":%q,"time":"2026-08-21T15:30:02Z"}`, seconds, machine)
}

// TestFullQueueTests checks each queue test's request, options and script
// parameters, then runs its JavaScript, as the plan registers it, against
// HUD-shaped responses.
func TestFullQueueTests(t *testing.T) {
	t.Parallel()
	res := fullResources(t)
	assert.Equal(t, len(families), count(res, synthetics.Token, func(r Resource) bool { return strings.HasPrefix(r.Name, "gha-queue-") }))

	for key, f := range families {
		in := res[synthetics.Token+"::"+key].Inputs
		require.NotNil(t, in, key)
		assert.Equal(t, "http", in["subtype"], key)
		assert.Equal(t, map[string]any{"method": "GET", "url": synthetics.HUDQueueURL}, in["requestDefinition"], key)
		assert.Equal(t, map[string]any{
			"followRedirects": false, "tickEvery": int64(900), "minFailureDuration": int64(1800),
			"retry": map[string]any{"count": int64(3), "interval": int64(60000)},
		}, in["optionsList"], key)
		assert.Equal(t, []any{"env:project", "project:pytorch", "service:gha-runners"}, in["tags"], key)
		assert.True(t, strings.HasSuffix(in["message"].(string), "{{{synthetics.attributes.result.failure.message}}}\n\n"+infraSlack),
			"%s: the failure reaches the alert", key)

		asserts := in["assertions"].([]any)
		require.Len(t, asserts, 1, key)
		assert.Equal(t, "javascript", asserts[0].(map[string]any)["type"], key)
		code := asserts[0].(map[string]any)["code"].(string)

		// Parameterised: the shared script, its parameters first.
		params, err := json.Marshal(f.queue)
		require.NoError(t, err)
		assert.Equal(t, scripts.QueueCheck(f.queue), code, key)
		assert.True(t, strings.HasPrefix(code, "const params = "+string(params)+";\n"), "%s:\n%.300s", key, code)

		threshold := f.queue.ThresholdSeconds
		over := threshold + 1800
		overMsg := fmt.Sprintf("High queue detected for machine types %s: %s (%.1fh)", f.queue.Label, f.member, float64(over)/3600)
		type run struct {
			status int
			body   string
			fails  string
		}
		cases := map[string]run{
			"under":                {200, "[" + row(f.member, threshold-1) + "]", ""},
			"exactly at":           {200, "[" + row(f.member, threshold) + "]", ""},
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
			cases[fmt.Sprintf("outsider %d %s, over", i, o)] = run{200, "[" + row(o, threshold*10) + "]", ""}
		}
		for name, c := range cases {
			t.Run(key+"/"+name, func(t *testing.T) {
				t.Parallel()
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
}
