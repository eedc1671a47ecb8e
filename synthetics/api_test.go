package synthetics_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddfake"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
	"github.com/pytorch-fdn/pytorch-datadog/scripts"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
)

// prodChannels are production's notification channels by key, as the
// stack has them: its channels, its Slack channel and its webhook.
var prodChannels = map[string]string{
	"infra-alerts":         "@slack-pytorch-infra-alerts",
	"lf-slack":             "@slack-Linux_Foundation-pytorch-infra",
	"pytorch-infra-alerts": "@slack-PyTorch-pytorch-infra-alerts",
	"lf-incident-io":       "@webhook-lf-incident-io",
}

// answer is a test as Datadog's API answers for it once the stack manages
// it: tagged and messaged by the stack, with the options Datadog and the
// provider add (min_location_failed 1, monitor_options, httpVersion any,
// a timeout of 60 s). Fields are JSON.
type answer struct {
	id, name, subtype, service, text string
	request, assertions, options     string
	// queue, when set, is the one assertion: the queue check's script.
	queue *scripts.Queue
}

// stackOptions are the stack's default options as Datadog answers them.
const stackOptions = `"tick_every": 300, "retry": {"count": 3, "interval": 300000}, "min_failure_duration": 0`

// datadogOptions are the options Datadog adds at their defaults; an
// answer's own options come after them, and win.
const datadogOptions = `"min_location_failed": 1, "httpVersion": "any", "monitor_options": {"renotify_interval": 0, "notification_preset_name": "show_all"}`

func (a answer) read(t *testing.T) datadogV1.SyntheticsTestDetailsWithoutSteps {
	t.Helper()
	subtype := a.subtype
	if subtype == "" {
		subtype = "http"
	}
	message := a.text + "\n\n" + synthetics.FailureMessage + "\n\n@slack-pytorch-infra-alerts"
	assertions := a.assertions
	if assertions == "" {
		assertions = "[]"
	}
	body := fmt.Sprintf(`{"public_id": %q, "name": %q, "type": "api", "subtype": %q, "status": "live", "monitor_id": 12345,
		"locations": ["aws:us-west-2"], "tags": ["env:project", "project:pytorch", "service:%s"], "message": %q,
		"created_at": "2025-02-03T10:00:00.000000+00:00", "creator": {"email": "tha@example.org"},
		"config": {"request": %s, "assertions": %s}, "options": {%s, %s}}`,
		a.id, a.name, subtype, a.service, message, a.request, assertions, datadogOptions, a.options)
	var out datadogV1.SyntheticsTestDetailsWithoutSteps
	require.NoError(t, json.Unmarshal([]byte(body), &out), body)
	require.Nil(t, out.UnparsedObject, "the client reads the answer")
	if a.queue != nil {
		out.Config.Assertions = []datadogV1.SyntheticsAssertion{{SyntheticsAssertionJavascript: &datadogV1.SyntheticsAssertionJavascript{
			Type: "javascript", Code: scripts.QueueCheck(*a.queue),
		}}}
	}
	return out
}

func get(url string) string { return fmt.Sprintf(`{"method": "GET", "url": %q, "timeout": 60}`, url) }

const (
	status200 = `{"type": "statusCode", "operator": "is", "target": 200}`
	hudQueue  = `{"method": "GET", "url": "https://hud.pytorch.org/api/clickhouse/queued_jobs_by_label?parameters=%7B%7D", "timeout": 60}`
)

func contains(s string) string {
	return fmt.Sprintf(`[%s, {"type": "body", "operator": "contains", "target": %q}]`, status200, s)
}

func queueOptions(retryCount, intervalMs, minFailure int) string {
	return fmt.Sprintf(`"tick_every": 900, "retry": {"count": %d, "interval": %d}, "min_failure_duration": %d`, retryCount, intervalMs, minFailure)
}

// prodTests are the production tests with the entries FromAPI writes for
// them, in YAML: those of Pulumi.prod.yaml with their importId, without
// what equals a default there (the certificate test's port 443).
var prodTests = map[string]struct {
	answer answer
	want   string
}{
	"pytorch-org": {answer{id: "tst-000-001", name: "pytorch.org Check", service: "www",
		text: "pytorch.org is down or no longer shows its install page.", request: get("https://pytorch.org"),
		assertions: contains("Install PyTorch"), options: stackOptions}, `
name: pytorch.org Check
url: https://pytorch.org
service: www
assertions:
  - {type: statusCode, operator: is, target: 200}
  - {type: body, operator: contains, target: Install PyTorch}
message: pytorch.org is down or no longer shows its install page.
notify: [infra-alerts]
importId: tst-000-001`},
	"pytorch-docs": {answer{id: "tst-000-002", name: "docs.pytorch.org Check", service: "docs",
		text: "The PyTorch documentation at docs.pytorch.org is down or broken.", request: get("https://docs.pytorch.org/docs/stable/index.html"),
		assertions: contains("PyTorch documentation"), options: stackOptions}, `
name: docs.pytorch.org Check
url: https://docs.pytorch.org/docs/stable/index.html
service: docs
assertions:
  - {type: statusCode, operator: is, target: 200}
  - {type: body, operator: contains, target: PyTorch documentation}
message: The PyTorch documentation at docs.pytorch.org is down or broken.
notify: [infra-alerts]
importId: tst-000-002`},
	"pytorch-docs-redirect": {answer{id: "tst-000-003", name: "pytorch.org/docs Redirect Check", service: "docs",
		text: "pytorch.org/docs no longer redirects to docs.pytorch.org.", request: get("https://pytorch.org/docs"),
		assertions: `[{"type": "statusCode", "operator": "is", "target": 301},
			{"type": "header", "property": "location", "operator": "is", "target": "https://docs.pytorch.org/docs"},
			{"type": "header", "property": "server", "operator": "is", "target": "nginx"}]`,
		options: stackOptions + `, "follow_redirects": false`}, `
name: pytorch.org/docs Redirect Check
url: https://pytorch.org/docs
service: docs
assertions:
  - {type: statusCode, operator: is, target: 301}
  - {type: header, property: location, operator: is, target: "https://docs.pytorch.org/docs"}
  - {type: header, property: server, operator: is, target: nginx}
message: pytorch.org/docs no longer redirects to docs.pytorch.org.
notify: [infra-alerts]
importId: tst-000-003`},
	"pytorch-download": {answer{id: "tst-000-004", name: "download.pytorch.org CDN Check", service: "download",
		text: "The download.pytorch.org CDN does not serve the wheel index.", request: get("https://download.pytorch.org/whl"),
		assertions: contains("pytorch"), options: stackOptions + `, "follow_redirects": true`}, `
name: download.pytorch.org CDN Check
url: https://download.pytorch.org/whl
service: download
followRedirects: true
assertions:
  - {type: statusCode, operator: is, target: 200}
  - {type: body, operator: contains, target: pytorch}
message: The download.pytorch.org CDN does not serve the wheel index.
notify: [infra-alerts]
importId: tst-000-004`},
	"pytorch-hud": {answer{id: "tst-000-005", name: "hud.pytorch.org Check", service: "hud",
		text: "The PyTorch HUD at hud.pytorch.org is down or broken.", request: get("https://hud.pytorch.org"),
		assertions: contains("pytorch/pytorch"), options: stackOptions}, `
name: hud.pytorch.org Check
url: https://hud.pytorch.org
service: hud
assertions:
  - {type: statusCode, operator: is, target: 200}
  - {type: body, operator: contains, target: pytorch/pytorch}
message: The PyTorch HUD at hud.pytorch.org is down or broken.
notify: [infra-alerts]
importId: tst-000-005`},
	"pytorch-github-ci-sev": {answer{id: "tst-000-006", name: "Github PyTorch ci:sev Check", service: "github",
		text:       "pytorch/pytorch has an open ci: sev issue: https://github.com/pytorch/pytorch/issues?q=state%3Aopen%20label%3A%22ci%3A%20sev%22",
		request:    get("https://github.com/pytorch/pytorch/issues?q=state%3Aopen%20label%3A%22ci%3A%20sev%22"),
		assertions: contains("No results"), options: stackOptions}, `
name: Github PyTorch ci:sev Check
url: https://github.com/pytorch/pytorch/issues?q=state%3Aopen%20label%3A%22ci%3A%20sev%22
service: github
assertions:
  - {type: statusCode, operator: is, target: 200}
  - {type: body, operator: contains, target: No results}
message: "pytorch/pytorch has an open ci: sev issue: https://github.com/pytorch/pytorch/issues?q=state%3Aopen%20label%3A%22ci%3A%20sev%22"
notify: [infra-alerts]
importId: tst-000-006`},
	"pytorch-landscape": {answer{id: "tst-000-007", name: "landscape.pytorch.org Check", service: "landscape",
		text: "The PyTorch landscape at landscape.pytorch.org is down or broken.", request: get("https://landscape.pytorch.org"),
		assertions: contains("landscape"), options: stackOptions}, `
name: landscape.pytorch.org Check
url: https://landscape.pytorch.org
service: landscape
assertions:
  - {type: statusCode, operator: is, target: 200}
  - {type: body, operator: contains, target: landscape}
message: The PyTorch landscape at landscape.pytorch.org is down or broken.
notify: [infra-alerts]
importId: tst-000-007`},
	"pytorch-discuss": {answer{id: "tst-000-008", name: "discuss.pytorch.org Check", service: "discuss",
		text: "The PyTorch forums at discuss.pytorch.org are down or do not answer 200.", request: get("https://discuss.pytorch.org"),
		assertions: contains("PyTorch Forums"), options: stackOptions}, `
name: discuss.pytorch.org Check
url: https://discuss.pytorch.org
service: discuss
assertions:
  - {type: statusCode, operator: is, target: 200}
  - {type: body, operator: contains, target: PyTorch Forums}
message: The PyTorch forums at discuss.pytorch.org are down or do not answer 200.
notify: [infra-alerts]
importId: tst-000-008`},
	"pytorch-discourse-certificate": {answer{id: "tst-000-009", name: "SSL Certificate Validity - discuss.pytorch.org", subtype: "ssl", service: "discourse",
		text:       "The TLS certificate of discuss.pytorch.org expires within two weeks.",
		request:    `{"host": "discuss.pytorch.org", "port": 443, "timeout": 60}`,
		assertions: `[{"type": "certificate", "operator": "isInMoreThan", "target": 14}]`,
		options:    `"tick_every": 86400, "retry": {"count": 0, "interval": 300}, "accept_self_signed": false`}, `
name: SSL Certificate Validity - discuss.pytorch.org
kind: ssl
host: discuss.pytorch.org
service: discourse
tickEvery: 86400
retry: {count: 0, intervalMs: 300}
assertions:
  - {type: certificate, operator: isInMoreThan, target: 14}
message: The TLS certificate of discuss.pytorch.org expires within two weeks.
notify: [infra-alerts]
importId: tst-000-009`},
	"pytorch-dev-discuss": {answer{id: "tst-000-010", name: "dev-discuss.pytorch.org Check", service: "dev-discuss",
		text: "The developer forums at dev-discuss.pytorch.org are down or broken.", request: get("https://dev-discuss.pytorch.org"),
		assertions: contains("PyTorch releases"), options: stackOptions}, `
name: dev-discuss.pytorch.org Check
url: https://dev-discuss.pytorch.org
service: dev-discuss
assertions:
  - {type: statusCode, operator: is, target: 200}
  - {type: body, operator: contains, target: PyTorch releases}
message: The developer forums at dev-discuss.pytorch.org are down or broken.
notify: [infra-alerts]
importId: tst-000-010`},

	"gha-queue-lf": {answer{id: "que-000-001", name: "GHA Runner Queue Check - Linux Foundation Runners", service: "gha-runners",
		text: "Jobs for Linux Foundation runners are waiting too long. See https://hud.pytorch.org/metrics.", request: hudQueue,
		queue: &scripts.Queue{Match: scripts.StartsWith, Value: "lf.", Exclude: []string{`^lf\.linux\.12xlarge\.memory\.ephemeral$`},
			ThresholdSeconds: 3 * 3600, Label: "starting with lf."},
		options: queueOptions(3, 60000, 3600)}, `
name: GHA Runner Queue Check - Linux Foundation Runners
kind: queue
queue:
  startsWith: lf.
  exclude: ['^lf\.linux\.12xlarge\.memory\.ephemeral$']
  thresholdHours: 3
service: gha-runners
tickEvery: 900
retry: {count: 3, intervalMs: 60000}
minFailureDuration: 3600
message: Jobs for Linux Foundation runners are waiting too long. See https://hud.pytorch.org/metrics.
notify: [infra-alerts]
importId: que-000-001`},
	"gha-queue-lf-memory": {answer{id: "que-000-002", name: "GHA Runner Queue Check - LF Memory Runners", service: "gha-runners",
		text: "Jobs for the Linux Foundation's memory runners are waiting too long. See https://hud.pytorch.org/metrics.", request: hudQueue,
		queue: &scripts.Queue{Match: scripts.Equals, Value: "lf.linux.12xlarge.memory.ephemeral", Exclude: []string{},
			ThresholdSeconds: 16 * 3600, Label: "equal to lf.linux.12xlarge.memory.ephemeral"},
		options: queueOptions(2, 300000, 1800)}, `
name: GHA Runner Queue Check - LF Memory Runners
kind: queue
queue: {equals: lf.linux.12xlarge.memory.ephemeral, thresholdHours: 16}
service: gha-runners
tickEvery: 900
retry: {count: 2, intervalMs: 300000}
minFailureDuration: 1800
message: Jobs for the Linux Foundation's memory runners are waiting too long. See https://hud.pytorch.org/metrics.
notify: [infra-alerts]
importId: que-000-002`},
	"gha-queue-nvidia": {answer{id: "que-000-003", name: "GHA Runner Queue Check - Nvidia Runners", service: "gha-runners",
		text: "Jobs for Nvidia (DGX) runners are waiting too long. See https://hud.pytorch.org/metrics.", request: hudQueue,
		queue:   &scripts.Queue{Match: scripts.Contains, Value: ".dgx.", ThresholdSeconds: 8 * 3600, Label: "containing .dgx."},
		options: queueOptions(3, 60000, 3600)}, `
name: GHA Runner Queue Check - Nvidia Runners
kind: queue
queue: {contains: .dgx., thresholdHours: 8}
service: gha-runners
tickEvery: 900
retry: {count: 3, intervalMs: 60000}
minFailureDuration: 3600
message: Jobs for Nvidia (DGX) runners are waiting too long. See https://hud.pytorch.org/metrics.
notify: [infra-alerts]
importId: que-000-003`},
	"gha-queue-amd": {answer{id: "que-000-004", name: "GHA Runner Queue Check - AMD Runners", service: "gha-runners",
		text: "Jobs for AMD (ROCm) runners are waiting too long. See https://hud.pytorch.org/metrics.", request: hudQueue,
		queue:   &scripts.Queue{Match: scripts.Contains, Value: ".rocm.", ThresholdSeconds: 24 * 3600, Label: "containing .rocm."},
		options: queueOptions(3, 60000, 1800)}, `
name: GHA Runner Queue Check - AMD Runners
kind: queue
queue: {contains: .rocm., thresholdHours: 24}
service: gha-runners
tickEvery: 900
retry: {count: 3, intervalMs: 60000}
minFailureDuration: 1800
message: Jobs for AMD (ROCm) runners are waiting too long. See https://hud.pytorch.org/metrics.
notify: [infra-alerts]
importId: que-000-004`},
	"gha-queue-ibm": {answer{id: "que-000-005", name: "GHA Runner Queue Check - IBM Runners", service: "gha-runners",
		text: "Jobs for IBM (s390x) runners are waiting too long. See https://hud.pytorch.org/metrics.", request: hudQueue,
		queue:   &scripts.Queue{Match: scripts.Contains, Value: ".s390x", ThresholdSeconds: 8 * 3600, Label: "containing .s390x"},
		options: queueOptions(3, 60000, 1800)}, `
name: GHA Runner Queue Check - IBM Runners
kind: queue
queue: {contains: .s390x, thresholdHours: 8}
service: gha-runners
tickEvery: 900
retry: {count: 3, intervalMs: 60000}
minFailureDuration: 1800
message: Jobs for IBM (s390x) runners are waiting too long. See https://hud.pytorch.org/metrics.
notify: [infra-alerts]
importId: que-000-005`},
	"gha-queue-intel": {answer{id: "que-000-006", name: "GHA Runner Queue Check - Intel Runners", service: "gha-runners",
		text: "Jobs for Intel (IDC) runners are waiting too long. See https://hud.pytorch.org/metrics.", request: hudQueue,
		queue:   &scripts.Queue{Match: scripts.Contains, Value: ".idc.", ThresholdSeconds: 6 * 3600, Label: "containing .idc."},
		options: queueOptions(3, 60000, 1800)}, `
name: GHA Runner Queue Check - Intel Runners
kind: queue
queue: {contains: .idc., thresholdHours: 6}
service: gha-runners
tickEvery: 900
retry: {count: 3, intervalMs: 60000}
minFailureDuration: 1800
message: Jobs for Intel (IDC) runners are waiting too long. See https://hud.pytorch.org/metrics.
notify: [infra-alerts]
importId: que-000-006`},
	"gha-queue-meta-h100": {answer{id: "que-000-007", name: "GHA Runner Queue Check - Meta Runners - AWS H100", service: "gha-runners",
		text: "Jobs for Meta's AWS H100 runners are waiting too long. See https://hud.pytorch.org/metrics.", request: hudQueue,
		queue:   &scripts.Queue{Match: scripts.Equals, Value: "linux.aws.h100", ThresholdSeconds: 8 * 3600, Label: "equal to linux.aws.h100"},
		options: queueOptions(3, 60000, 1800)}, `
name: GHA Runner Queue Check - Meta Runners - AWS H100
kind: queue
queue: {equals: linux.aws.h100, thresholdHours: 8}
service: gha-runners
tickEvery: 900
retry: {count: 3, intervalMs: 60000}
minFailureDuration: 1800
message: Jobs for Meta's AWS H100 runners are waiting too long. See https://hud.pytorch.org/metrics.
notify: [infra-alerts]
importId: que-000-007`},
	"gha-queue-meta": {answer{id: "que-000-008", name: "GHA Runner Queue Check - Meta Runners", service: "gha-runners",
		text: "Jobs for Meta's runners are waiting too long. See https://hud.pytorch.org/metrics.", request: hudQueue,
		queue: &scripts.Queue{Match: scripts.Any, Exclude: []string{".dgx.", ".idc.", ".rocm.", ".s390x", `^lf\.`, "^linux.aws.h100"},
			ThresholdSeconds: 8 * 3600, Label: "of Meta's runners (no other family)"},
		options: queueOptions(3, 60000, 2700)}, `
name: GHA Runner Queue Check - Meta Runners
kind: queue
queue:
  exclude: [.dgx., .idc., .rocm., .s390x, '^lf\.', ^linux.aws.h100]
  thresholdHours: 8
  label: of Meta's runners (no other family)
service: gha-runners
tickEvery: 900
retry: {count: 3, intervalMs: 60000}
minFailureDuration: 2700
message: Jobs for Meta's runners are waiting too long. See https://hud.pytorch.org/metrics.
notify: [infra-alerts]
importId: que-000-008`},
}

// entryYAML reads an expected entry as the stack file would hold it.
func entryYAML(t *testing.T, text string) map[string]any {
	t.Helper()
	var out map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(text), &out))
	return out
}

// object is a test as synthetics.List makes it.
func object(a datadogV1.SyntheticsTestDetailsWithoutSteps, key string) live.Object {
	return live.Object{ID: a.GetPublicId(), On: a.GetName(), Name: a.GetName(), Key: key, Data: a}
}

func TestFromAPIWritesProductionTests(t *testing.T) {
	t.Parallel()
	for key, tc := range prodTests {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			entry, err := synthetics.FromAPI(object(tc.answer.read(t), key), prodChannels)
			require.NoError(t, err)
			assert.Equal(t, entryYAML(t, tc.want), entry)
		})
	}
}

// decodeEntry decodes one entry as the stack does.
func decodeEntry(t *testing.T, key string, entry map[string]any, channels map[string]string) synthetics.Test {
	t.Helper()
	raw, err := json.Marshal(map[string]any{key: entry})
	require.NoError(t, err)
	p := &configkit.Problems{}
	out := synthetics.Decode(p, string(raw), true, channels)
	require.NoError(t, p.Err())
	return out[key]
}

// assertAdoptsWithoutChange registers the entry with New under the mock
// and checks that it sends what Datadog has: the test's message, tags,
// locations, status, request, assertions and options. The provider fills
// a request's timeout with Datadog's 60 s when the stack sends none.
func assertAdoptsWithoutChange(t *testing.T, key string, api datadogV1.SyntheticsTestDetailsWithoutSteps, entry map[string]any, channels map[string]string) {
	t.Helper()
	got := register(t, map[string]synthetics.Test{key: decodeEntry(t, key, entry, channels)})
	in := got.Inputs[key]
	assert.Equal(t, api.GetPublicId(), got.ByName[key].ImportID, "adopted by its public id")

	assert.Equal(t, "api", in["type"])
	assert.Equal(t, string(api.GetSubtype()), in["subtype"])
	assert.Equal(t, api.GetName(), in["name"])
	assert.Equal(t, api.GetMessage(), in["message"])
	assert.Equal(t, string(api.GetStatus()), in["status"])
	assert.Equal(t, strings2any(api.Tags), in["tags"])
	assert.Equal(t, strings2any(api.Locations), in["locations"])

	opts := api.GetOptions()
	retry := opts.GetRetry()
	wantOpts := map[string]any{
		"tickEvery": opts.GetTickEvery(),
		"retry":     map[string]any{"count": retry.GetCount(), "interval": int64(retry.GetInterval())},
	}
	if n := opts.GetMinFailureDuration(); n != 0 {
		wantOpts["minFailureDuration"] = n
	}
	cfg := api.GetConfig()
	req := cfg.GetRequest()
	var wantReq map[string]any
	if api.GetSubtype() == "ssl" {
		port := req.GetPort()
		wantReq = map[string]any{"host": req.GetHost(), "port": strconv.FormatInt(*port.SyntheticsTestRequestNumericalPort, 10)}
	} else {
		wantOpts["followRedirects"] = opts.GetFollowRedirects()
		wantReq = map[string]any{"method": req.GetMethod(), "url": req.GetUrl()}
		if b := req.GetBody(); b != "" {
			wantReq["body"] = b
		}
		if n := req.GetTimeout(); n != 60 {
			wantReq["timeout"] = int64(n)
		}
		if len(req.Headers) > 0 {
			headers := map[string]any{}
			for k, v := range req.Headers {
				headers[k] = v
			}
			assert.Equal(t, headers, in["requestHeaders"])
		}
	}
	assert.Equal(t, wantOpts, in["optionsList"])
	assert.Equal(t, wantReq, in["requestDefinition"])

	var wantAssertions []any
	for _, a := range cfg.Assertions {
		if js := a.SyntheticsAssertionJavascript; js != nil {
			wantAssertions = append(wantAssertions, map[string]any{"type": "javascript", "code": js.Code})
			continue
		}
		at := a.SyntheticsAssertionTarget
		require.NotNil(t, at)
		w := map[string]any{"type": string(at.Type), "operator": string(at.Operator)}
		if p := at.GetProperty(); p != "" {
			w["property"] = p
		}
		if s, ok := at.GetTimingsScopeOk(); ok {
			w["timingsScope"] = string(*s)
		}
		switch v := at.Target; {
		case v.SyntheticsAssertionTargetValueNumber != nil:
			w["target"] = configkit.FormatNumber(*v.SyntheticsAssertionTargetValueNumber)
		case v.SyntheticsAssertionTargetValueString != nil && *v.SyntheticsAssertionTargetValueString != "":
			w["target"] = *v.SyntheticsAssertionTargetValueString
		}
		wantAssertions = append(wantAssertions, w)
	}
	assert.Equal(t, wantAssertions, in["assertions"])
}

func strings2any(list []string) []any {
	out := []any{}
	for _, s := range list {
		out = append(out, s)
	}
	return out
}

// TestFromAPIAdoptsWithoutChange: each production test's entry, registered
// by New, sends what Datadog has; a queue test's script is the very
// script it runs. That is what makes its adoption change nothing.
func TestFromAPIAdoptsWithoutChange(t *testing.T) {
	t.Parallel()
	for key, tc := range prodTests {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			api := tc.answer.read(t)
			entry, err := synthetics.FromAPI(object(api, key), prodChannels)
			require.NoError(t, err)
			assertAdoptsWithoutChange(t, key, api, entry, prodChannels)
		})
	}
}

// every is an HTTP test with every field the config writes away from its
// default, each assertion type, and the entry written for it.
const every = `{"public_id": "abc-123-xyz", "name": "API", "type": "api", "subtype": "http", "status": "paused",
	"locations": ["aws:eu-west-1", "aws:us-east-1"], "tags": ["env:project", "project:pytorch", "service:api", "team:infra"],
	"message": "API down.\n\n{{{synthetics.attributes.result.failure.message}}}\n\n@webhook-lf\n@slack-infra",
	"config": {
		"request": {"method": "POST", "url": "http://example.org/api", "body": "{}", "timeout": 10,
			"headers": {"content-type": "application/json"}},
		"assertions": [
			{"type": "statusCode", "operator": "is", "target": 200},
			{"type": "statusCode", "operator": "matches", "target": "20[04]"},
			{"type": "body", "operator": "doesNotContain", "target": "error"},
			{"type": "header", "property": "content-length", "operator": "moreThan", "target": 74000},
			{"type": "header", "property": "x-cache", "operator": "doesNotExist"},
			{"type": "header", "property": "x-served-by", "operator": "doesNotExist", "target": ""},
			{"type": "responseTime", "operator": "lessThan", "target": 2000, "timingsScope": "withoutDNS"},
			{"type": "responseTime", "operator": "lessThanOrEqual", "target": "1500"},
			{"type": "javascript", "code": "dd.expect(dd.response.statusCode).to.equal(200);"}
		]},
	"options": {"tick_every": 60, "retry": {"count": 1, "interval": 1000}, "min_failure_duration": 600,
		"follow_redirects": true, "min_location_failed": 1}}`

const everyEntry = `
name: API
url: http://example.org/api
method: POST
headers: {content-type: application/json}
body: "{}"
timeoutSeconds: 10
followRedirects: true
service: api
tags: [team:infra]
locations: [aws:eu-west-1, aws:us-east-1]
status: paused
tickEvery: 60
retry: {count: 1, intervalMs: 1000}
minFailureDuration: 600
assertions:
  - {type: statusCode, operator: is, target: 200}
  - {type: statusCode, operator: matches, target: "20[04]"}
  - {type: body, operator: doesNotContain, target: error}
  - {type: header, property: content-length, operator: moreThan, target: 74000}
  - {type: header, property: x-cache, operator: doesNotExist}
  - {type: header, property: x-served-by, operator: doesNotExist}
  - {type: responseTime, operator: lessThan, target: 2000, timingsScope: withoutDNS}
  - {type: responseTime, operator: lessThanOrEqual, target: 1500}
  - {type: javascript, code: dd.expect(dd.response.statusCode).to.equal(200);}
message: API down.
notify: [lf, infra]
importId: abc-123-xyz`

func readAnswer(t *testing.T, body string) datadogV1.SyntheticsTestDetailsWithoutSteps {
	t.Helper()
	var out datadogV1.SyntheticsTestDetailsWithoutSteps
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	require.Nil(t, out.UnparsedObject, "the client reads the answer")
	return out
}

func TestFromAPIWritesEveryField(t *testing.T) {
	t.Parallel()
	api := readAnswer(t, every)
	entry, err := synthetics.FromAPI(object(api, "api"), channels)
	require.NoError(t, err)
	assert.Equal(t, entryYAML(t, everyEntry), entry)

	got := register(t, map[string]synthetics.Test{"api": decodeEntry(t, "api", entry, channels)})
	in := got.Inputs["api"]
	assert.Equal(t, api.GetMessage(), in["message"])
	assert.Equal(t, []any{"env:project", "project:pytorch", "service:api", "team:infra"}, in["tags"])
	assert.Equal(t, map[string]any{"method": "POST", "url": "http://example.org/api", "body": "{}", "timeout": int64(10)}, in["requestDefinition"])
	assert.Equal(t, map[string]any{"content-type": "application/json"}, in["requestHeaders"])
	assert.Equal(t, map[string]any{
		"tickEvery": int64(60), "retry": map[string]any{"count": int64(1), "interval": int64(1000)},
		"followRedirects": true, "minFailureDuration": int64(600),
	}, in["optionsList"])
	assert.Equal(t, []any{
		map[string]any{"type": "statusCode", "operator": "is", "target": "200"},
		map[string]any{"type": "statusCode", "operator": "matches", "target": "20[04]"},
		map[string]any{"type": "body", "operator": "doesNotContain", "target": "error"},
		map[string]any{"type": "header", "property": "content-length", "operator": "moreThan", "target": "74000"},
		map[string]any{"type": "header", "property": "x-cache", "operator": "doesNotExist"},
		map[string]any{"type": "header", "property": "x-served-by", "operator": "doesNotExist"},
		map[string]any{"type": "responseTime", "operator": "lessThan", "target": "2000", "timingsScope": "withoutDNS"},
		map[string]any{"type": "responseTime", "operator": "lessThanOrEqual", "target": "1500"},
		map[string]any{"type": "javascript", "code": "dd.expect(dd.response.statusCode).to.equal(200);"},
	}, in["assertions"])
}

// An SSL test on another port, its server name its host.
func TestFromAPIWritesSSLPort(t *testing.T) {
	t.Parallel()
	api := prodTests["pytorch-discourse-certificate"].answer
	api.request = `{"host": "discuss.pytorch.org", "port": 8443, "servername": "discuss.pytorch.org"}`
	entry, err := synthetics.FromAPI(object(api.read(t), "cert"), prodChannels)
	require.NoError(t, err)
	assert.Equal(t, 8443, entry["port"])
	assertAdoptsWithoutChange(t, "cert", api.read(t), entry, prodChannels)
}

// A test that refers to a secret declares it as a secure text variable,
// as New does: it is adopted with the same reference, its value from
// secrets.<name>.
func TestFromAPIKeepsSecretReferences(t *testing.T) {
	t.Parallel()
	api := prodTests["pytorch-hud"].answer
	api.request = `{"method": "GET", "url": "https://hud.pytorch.org/api", "headers": {"Authorization": "Bearer {{ HUD_TOKEN }}"}}`
	read := api.read(t)
	read.Config.ConfigVariables = []datadogV1.SyntheticsConfigVariable{{Name: "HUD_TOKEN", Type: "text", Secure: ptrTo(true)}}
	entry, err := synthetics.FromAPI(object(read, "hud"), prodChannels)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"Authorization": "Bearer {{ HUD_TOKEN }}"}, entry["headers"])
	assert.Equal(t, []string{"hud-token"}, decodeEntry(t, "hud", entry, prodChannels).Secrets)
}

func ptrTo[T any](v T) *T { return &v }

// variant is a production answer changed by f.
func variant(key string, f func(*answer)) answer {
	a := prodTests[key].answer
	if f != nil {
		f(&a)
	}
	return a
}

// TestFromAPIRefuses: a test the config cannot express exactly is an error
// that names the test and says why; no entry is written.
func TestFromAPIRefuses(t *testing.T) {
	t.Parallel()
	http := func(f func(*answer)) answer { return variant("pytorch-org", f) }
	queue := func(f func(*answer)) answer { return variant("gha-queue-nvidia", f) }
	ssl := func(f func(*answer)) answer { return variant("pytorch-discourse-certificate", f) }
	edited := scripts.Queue{Match: scripts.Contains, Value: ".dgx.", ThresholdSeconds: 8 * 3600, Label: "containing .dgx."}
	tests := map[string]struct {
		answer   answer
		change   func(*datadogV1.SyntheticsTestDetailsWithoutSteps)
		fragment string
	}{
		"a browser test": {http(nil), func(d *datadogV1.SyntheticsTestDetailsWithoutSteps) { d.SetType("browser") },
			"it is a browser test; the config writes API tests only"},
		"a DNS test": {http(func(a *answer) { a.subtype = "dns" }), nil,
			`it is an API test of subtype "dns"; the config writes http tests (kinds http and queue) and ssl tests`},
		"a multistep test": {http(func(a *answer) { a.subtype = "multi" }), nil, `subtype "multi"`},
		"a gRPC test":      {http(func(a *answer) { a.subtype = "grpc" }), nil, `subtype "grpc"`},
		"no request":       {http(nil), func(d *datadogV1.SyntheticsTestDetailsWithoutSteps) { d.Config.Request = nil }, "it has no request"},
		"basic auth": {http(func(a *answer) {
			a.request = `{"method": "GET", "url": "https://pytorch.org", "basicAuth": {"type": "web", "username": "u", "password": "hunter2"}}`
		}), nil, "it sets request.basicAuth, which the config has no field for"},
		"a proxy": {http(func(a *answer) {
			a.request = `{"method": "GET", "url": "https://pytorch.org", "proxy": {"url": "http://proxy:3128"}}`
		}), nil, "it sets request.proxy"},
		"a client certificate": {http(func(a *answer) {
			a.request = `{"method": "GET", "url": "https://pytorch.org", "certificate": {"cert": {"filename": "c.pem"}, "key": {"filename": "k.pem"}}}`
		}), nil, "it sets request.certificate"},
		"a body type": {http(func(a *answer) {
			a.request = `{"method": "POST", "url": "https://pytorch.org", "body": "{}", "bodyType": "application/json"}`
		}), nil, "it sets request.bodyType"},
		"HTTP/2 only": {http(func(a *answer) {
			a.request = `{"method": "GET", "url": "https://pytorch.org", "httpVersion": "http2"}`
		}), nil, "it sets request.httpVersion"},
		"a field the client does not know": {http(func(a *answer) {
			a.request = `{"method": "GET", "url": "https://pytorch.org", "retryOnRedirect": true}`
		}), nil, "it sets request.retryOnRedirect"},
		"a self-signed certificate": {ssl(func(a *answer) { a.options += `, "accept_self_signed": true` }), nil, "it sets options.accept_self_signed"},
		"a monitor priority":        {http(func(a *answer) { a.options += `, "monitor_priority": 2` }), nil, "it sets options.monitor_priority"},
		"a monitor renotification": {http(func(a *answer) { a.options = stackOptions }), func(d *datadogV1.SyntheticsTestDetailsWithoutSteps) {
			d.Options.MonitorOptions.SetRenotifyInterval(60)
		}, "it sets options.monitor_options"},
		"two failing locations": {http(func(a *answer) { a.options += `, "min_location_failed": 2` }), nil, "it sets options.min_location_failed"},
		"a monitor name":        {http(func(a *answer) { a.options += `, "monitor_name": "Other"` }), nil, "it sets options.monitor_name"},
		"restricted roles":      {http(func(a *answer) { a.options += `, "restricted_roles": ["r"]` }), nil, "it sets options.restricted_roles"},
		"scheduled": {http(func(a *answer) {
			a.options += `, "scheduling": {"timeframes": [{"day": 1, "from": "07:00", "to": "16:00"}], "timezone": "UTC"}`
		}), nil, "it sets options.scheduling"},
		"follow redirects on ssl": {ssl(func(a *answer) { a.options += `, "follow_redirects": true` }), nil, "it sets options.follow_redirects"},
		"config variables": {http(nil), func(d *datadogV1.SyntheticsTestDetailsWithoutSteps) {
			d.Config.ConfigVariables = []datadogV1.SyntheticsConfigVariable{{Name: "TOKEN", Type: "text", Pattern: ptrTo("abc")}}
		}, "its config variable TOKEN is not a secure text variable"},
		"a global variable": {http(nil), func(d *datadogV1.SyntheticsTestDetailsWithoutSteps) {
			d.Config.ConfigVariables = []datadogV1.SyntheticsConfigVariable{{Name: "TOKEN", Type: "global", Id: ptrTo("v-1")}}
		}, "its config variable TOKEN is not a secure text variable"},
		"a secret it does not use": {http(nil), func(d *datadogV1.SyntheticsTestDetailsWithoutSteps) {
			d.Config.ConfigVariables = []datadogV1.SyntheticsConfigVariable{{Name: "TOKEN", Type: "text", Secure: ptrTo(true)}}
		}, "its config variables (TOKEN) are not the secrets its request refers to as {{ NAME }} ()"},
		"a credential in plaintext": {http(func(a *answer) {
			a.request = `{"method": "GET", "url": "https://pytorch.org", "headers": {"Authorization": "Bearer abc"}}`
		}), nil, "synthetics.pytorch-org.headers.Authorization: carries a credential in plaintext"},
		"a JSONPath assertion": {http(func(a *answer) {
			a.assertions = `[` + status200 + `, {"type": "body", "operator": "validatesJSONPath", "target": {"jsonPath": "$.ok", "operator": "is", "targetValue": "true"}}]`
		}), nil, "assertion 2 is a JSONPath assertion, which the config cannot write"},
		"a body hash": {http(func(a *answer) {
			a.assertions = `[{"type": "bodyHash", "operator": "md5", "target": "abc"}]`
		}), nil, "assertion 1 is a body hash assertion"},
		"an XPath assertion": {http(func(a *answer) {
			a.assertions = `[{"type": "body", "operator": "validatesXPath", "target": {"xPath": "//a", "operator": "is", "targetValue": "x"}}]`
		}), nil, "assertion 1 is an XPath assertion"},
		"a TLS version in an http test": {http(func(a *answer) {
			a.assertions = `[{"type": "tlsVersion", "operator": "moreThan", "target": 1.2}]`
		}), nil, `synthetics.pytorch-org.assertions[0].type: "tlsVersion" is not one of`},
		"a header in capitals": {http(func(a *answer) {
			a.assertions = `[{"type": "header", "property": "Location", "operator": "is", "target": "x"}]`
		}), nil, "write the header name in lower case"},
		"no assertion": {http(func(a *answer) { a.assertions = `[]` }), nil, "synthetics.pytorch-org.assertions: is empty"},
		"no failure message": {http(nil), func(d *datadogV1.SyntheticsTestDetailsWithoutSteps) {
			d.SetMessage("pytorch.org is down.\n\n@slack-pytorch-infra-alerts")
		}, "its message does not end with a blank line and {{{synthetics.attributes.result.failure.message}}} (before the channels' handles)"},
		"the failure message on the text's line": {http(nil), func(d *datadogV1.SyntheticsTestDetailsWithoutSteps) {
			d.SetMessage("pytorch.org is down: {{{synthetics.attributes.result.failure.message}}}")
		}, "its message does not end with a blank line and"},
		"text after the failure message": {http(nil), func(d *datadogV1.SyntheticsTestDetailsWithoutSteps) {
			d.SetMessage("Down.\n\n{{{synthetics.attributes.result.failure.message}}}\n\nSee the runbook.")
		}, "its message has text after"},
		"a handle of no channel after it": {http(nil), func(d *datadogV1.SyntheticsTestDetailsWithoutSteps) {
			d.SetMessage("Down.\n\n{{{synthetics.attributes.result.failure.message}}}\n\n@slack-pytorch-infra-alerts\n@pagerduty-infra")
		}, "its message has text after {{{synthetics.attributes.result.failure.message}}} that is not the handles of the stack's channels"},
		"only the failure message": {http(nil), func(d *datadogV1.SyntheticsTestDetailsWithoutSteps) {
			d.SetMessage(" \n\n" + synthetics.FailureMessage)
		}, "does not end with a blank line"},
		"no default tags": {http(nil), func(d *datadogV1.SyntheticsTestDetailsWithoutSteps) { d.Tags = []string{"team:infra"} },
			"its tags do not begin with env:project, project:pytorch, service:<service>, as the stack tags every test (they are team:infra)"},
		"no tags": {http(nil), func(d *datadogV1.SyntheticsTestDetailsWithoutSteps) { d.Tags = nil }, "(they are none)"},
		"the default tags in another order": {http(nil), func(d *datadogV1.SyntheticsTestDetailsWithoutSteps) {
			d.Tags = []string{"service:www", "env:project", "project:pytorch"}
		}, "its tags do not begin with"},
		"an empty service": {http(nil), func(d *datadogV1.SyntheticsTestDetailsWithoutSteps) {
			d.Tags = []string{"env:project", "project:pytorch", "service:"}
		}, "its tags do not begin with"},
		"no tick": {http(func(a *answer) { a.options = `"retry": {"count": 3, "interval": 300000}` }), nil, "it has no tick_every"},
		"four retries": {http(func(a *answer) { a.options = `"tick_every": 300, "retry": {"count": 4, "interval": 300000}` }), nil,
			"synthetics.pytorch-org.retry.count"},
		"a fractional retry interval": {http(func(a *answer) { a.options = `"tick_every": 300, "retry": {"count": 1, "interval": 0.5}` }), nil,
			"its retry interval (0.5 ms) is not a whole number of milliseconds"},
		"a fractional timeout": {http(func(a *answer) { a.request = `{"method": "GET", "url": "https://pytorch.org", "timeout": 2.5}` }), nil,
			"its request timeout (2.5 s) is not a whole number of seconds"},
		"a variable port": {ssl(func(a *answer) { a.request = `{"host": "discuss.pytorch.org", "port": "{{ PORT }}"}` }), nil,
			`its port is "{{ PORT }}", not a number`},
		"another server name": {ssl(func(a *answer) { a.request = `{"host": "discuss.pytorch.org", "port": 443, "servername": "x.org"}` }), nil,
			"it sets request.servername"},
		"an edited queue script": {queue(nil), func(d *datadogV1.SyntheticsTestDetailsWithoutSteps) {
			d.Config.Assertions[0].SyntheticsAssertionJavascript.Code = strings.Replace(scripts.QueueCheck(edited), "console.error", "console.warn", 1)
		}, "its assertion is a queue-check script that differs from this version's scripts/queue-check.js (older or edited): adopting it would change the script"},
		"a queue script with headers": {queue(func(a *answer) {
			a.request = `{"method": "GET", "url": "https://hud.pytorch.org/x", "headers": {"x-a": "b"}}`
		}), nil,
			"it runs the queue-check script with request headers, which a queue test does not take"},
		"a queue script by POST": {queue(func(a *answer) { a.request = `{"method": "POST", "url": "https://hud.pytorch.org/x"}` }), nil,
			"it runs the queue-check script with a method other than GET"},
		"a queue script following redirects": {queue(func(a *answer) { a.options += `, "follow_redirects": true` }), nil,
			"it runs the queue-check script with follow_redirects"},
		"a queue script in an ssl test": {ssl(func(a *answer) { a.queue = &edited }), nil,
			"its assertion is the queue-check script, but it is an ssl test"},
		"a queue threshold out of range": {queue(func(a *answer) { q := edited; q.ThresholdSeconds = 60; a.queue = &q }), nil,
			"synthetics.gha-queue-nvidia.queue.thresholdHours: must be from 0.25 to 24 hours"},
		"a queue rule the config does not have": {queue(func(a *answer) { q := edited; q.Match = "endsWith"; a.queue = &q }), nil,
			`its queue-check script matches by "endsWith", which is not a rule of the config`},
		"no public id": {http(func(a *answer) { a.id = "" }), nil, "it has no public id to adopt it by"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			api := tc.answer.read(t)
			if tc.change != nil {
				tc.change(&api)
			}
			key := "pytorch-org"
			if strings.HasPrefix(api.GetName(), "GHA") {
				key = "gha-queue-nvidia"
			}
			entry, err := synthetics.FromAPI(object(api, key), prodChannels)
			require.Error(t, err)
			assert.Nil(t, entry)
			assert.Contains(t, err.Error(), fmt.Sprintf("synthetics test %s %q cannot be written as config: ", api.GetPublicId(), api.GetName()))
			assert.Contains(t, err.Error(), tc.fragment)
			assert.NotContains(t, err.Error(), "hunter2", "a credential is never shown")
		})
	}
}

func TestFromAPIRefusesAnotherObject(t *testing.T) {
	t.Parallel()
	_, err := synthetics.FromAPI(live.Object{ID: "abc-123-xyz", Data: 5}, nil)
	assert.EqualError(t, err, "synthetics test abc-123-xyz: holds int, not a Datadog synthetics test")

	api := prodTests["pytorch-org"].answer.read(t)
	entry, err := synthetics.FromAPI(object(api, "pytorch-org"), prodChannels)
	require.NoError(t, err)
	fromPtr, err := synthetics.FromAPI(live.Object{ID: api.GetPublicId(), Key: "pytorch-org", Data: &api}, prodChannels)
	require.NoError(t, err)
	assert.Equal(t, entry, fromPtr, "a pointer reads the same")
}

// fakeTests are n tests with public ids in order.
func fakeTests(n int) []datadogV1.SyntheticsTestDetailsWithoutSteps {
	out := []datadogV1.SyntheticsTestDetailsWithoutSteps{}
	for i := 0; i < n; i++ {
		t := datadogV1.SyntheticsTestDetailsWithoutSteps{}
		t.SetPublicId(fmt.Sprintf("tst-%03d-%03d", i/1000, i%1000))
		t.SetName(fmt.Sprintf("Site %d Check", i))
		t.SetType("api")
		out = append(out, t)
	}
	return out
}

// TestListReadsEveryPage: List reads pages of 100 from page 0 until a
// short one, and returns every test once.
func TestListReadsEveryPage(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		tests int
		pages []string
	}{
		"none":                   {0, []string{"0"}},
		"one short page":         {18, []string{"0"}},
		"a page exactly":         {100, []string{"0", "1"}},
		"three pages":            {250, []string{"0", "1", "2"}},
		"full pages, then empty": {200, []string{"0", "1", "2"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := ddfake.New(t)
			f.Tests = fakeTests(tc.tests)
			l, err := synthetics.List(f.Reader(t))
			require.NoError(t, err)
			assert.Empty(t, l.Partial, "tests are all listed")
			require.Len(t, l.Objects, tc.tests)
			for i, o := range l.Objects {
				d, ok := o.Data.(datadogV1.SyntheticsTestDetailsWithoutSteps)
				require.True(t, ok, "Data is the client's test")
				assert.Equal(t, fmt.Sprintf("tst-%03d-%03d", i/1000, i%1000), o.ID, "in Datadog's order, each once")
				assert.Equal(t, d.GetName(), o.On, "matched on its name")
				assert.Equal(t, d.GetName(), o.Name)
				assert.Equal(t, fmt.Sprintf("site-%d-check", i), o.Key)
				assert.False(t, o.Quiet)
			}
			var pages []string
			for _, r := range f.Requests() {
				assert.Equal(t, "GET", r.Method)
				assert.Equal(t, "/api/v1/synthetics/tests", r.Path)
				assert.Equal(t, "100", r.Query.Get("page_size"))
				pages = append(pages, r.Query.Get("page_number"))
			}
			assert.Equal(t, tc.pages, pages)
		})
	}
}

func TestListTestsFails(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Tests = fakeTests(150)
	// The second page fails for good: a 500 on every attempt.
	f.Fault("/api/v1/synthetics/tests", ddfake.Fault{Header: map[string]string{}})
	for i := 0; i <= live.DefaultRetries; i++ {
		f.Fault("/api/v1/synthetics/tests", ddfake.Fault{Status: 500, Body: `{"errors": ["Internal"]}`})
	}
	l, err := synthetics.List(f.Reader(t))
	require.Error(t, err)
	assert.Empty(t, l.Objects)
	var ee *live.EndpointError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, "GET /api/v1/synthetics/tests", ee.Endpoint)
	assert.Contains(t, err.Error(), "500 Internal Server Error")
	assert.Len(t, f.Requests(), 2+live.DefaultRetries, "the first page, then every attempt at the second")
}

// A test of a subtype this client does not know is kept unread by the
// client, and refused as such.
func TestFromAPIRefusesWhatTheClientCannotRead(t *testing.T) {
	t.Parallel()
	var d datadogV1.SyntheticsTestDetailsWithoutSteps
	require.NoError(t, json.Unmarshal([]byte(`{"public_id": "abc-123-xyz", "name": "Q", "type": "api", "subtype": "quantum"}`), &d))
	require.NotNil(t, d.UnparsedObject)
	_, err := synthetics.FromAPI(live.Object{ID: "abc-123-xyz", Key: "q", Data: d}, nil)
	assert.EqualError(t, err, `synthetics test abc-123-xyz "Q" cannot be written as config: sent in a form this version of Datadog's client cannot read`)
}
