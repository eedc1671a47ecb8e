package monitors_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddfake"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
	"github.com/pytorch-fdn/pytorch-datadog/monitors"
)

// prodChannels are production's notification channels by key, as the
// stack has them: its channels, its Slack channel and its webhook.
var prodChannels = map[string]string{
	"infra-alerts":         "@slack-pytorch-infra-alerts",
	"lf-slack":             "@slack-Linux_Foundation-pytorch-infra",
	"pytorch-infra-alerts": "@slack-PyTorch-pytorch-infra-alerts",
	"lf-incident-io":       "@webhook-lf-incident-io",
}

// answered reads a monitor as Datadog's API answers it.
func answered(t *testing.T, body string) datadogV1.Monitor {
	t.Helper()
	var m datadogV1.Monitor
	require.NoError(t, json.Unmarshal([]byte(body), &m))
	require.Nil(t, m.UnparsedObject, "the client reads the answer")
	return m
}

// object is a monitor as monitors.List makes it.
func object(m datadogV1.Monitor, key string) live.Object {
	return live.Object{ID: fmtID(m), On: m.GetName(), Name: m.GetName(), Key: key, Data: m}
}

// fmtID is a monitor's id as its importId takes it, "" for none.
func fmtID(m datadogV1.Monitor) string {
	if m.Id == nil {
		return ""
	}
	return strconv.FormatInt(*m.Id, 10)
}

// The four production monitors as Datadog answers for them once the stack
// manages them: their messages rendered by the stack, their options with
// what Datadog and the provider add (new_host_delay 300, no_data_timeframe
// 10, silenced, aggregation, the default renotify statuses, ...).
const (
	prodDeadLetter = `{
		"id": 1001, "type": "query alert", "name": "ALI AutoScaler Dead Letter Queue High Number Of Messages",
		"query": "sum(last_15m):max:aws.sqs.number_of_messages_sent{queuename:ghci-lf-queued-builds-dead-letter}.as_count() > 5000",
		"message": "Many messages have reached the ` + "`ghci-lf-queued-builds-dead-letter`" + ` queue: the autoscaler (ALI) may be down.\nCheck that it still scales up EC2 instances, in the scale-up Lambda's CloudWatch logs.\n\n@webhook-lf-incident-io\n@slack-PyTorch-pytorch-infra-alerts\n@slack-Linux_Foundation-pytorch-infra",
		"tags": [], "priority": null, "multi": false, "restricted_roles": null,
		"created": "2025-02-03T10:00:00.000000+00:00", "modified": "2026-03-01T10:00:00.000000+00:00",
		"creator": {"email": "jconway@linuxfoundation.org", "handle": "jconway@linuxfoundation.org", "name": "J"},
		"overall_state": "OK", "org_id": 123,
		"options": {
			"thresholds": {"critical": 5000.0, "warning": 1000.0},
			"include_tags": false, "on_missing_data": "resolve", "require_full_window": false,
			"new_host_delay": 300, "notify_audit": false, "notify_no_data": false,
			"silenced": {}, "escalation_message": "", "timeout_h": null, "new_group_delay": null,
			"aggregation": {"group_by": "host", "metric": "aws.sqs.number_of_messages_sent", "type": "sum"}
		}
	}`
	prodValidation = `{
		"id": 1002, "type": "event-v2 alert", "name": "ALI ValidationException Detected",
		"query": "events(\"source:amazon_sns @title:\\\"ALI ValidationException Detected\\\"\").rollup(\"count\").last(\"15m\") > 0",
		"message": "# ValidationException in the ALI\n\nThe autoscaler reported a ValidationException: it may be unable to scale up runners, perhaps since a recent test-infra release.\n\n## What to do\n\nRead the scale-up Lambda's CloudWatch logs to find the cause. If a test-infra release caused it, roll back to the last release that worked.\n\n@slack-PyTorch-pytorch-infra-alerts\n@slack-Linux_Foundation-pytorch-infra\n@webhook-lf-incident-io",
		"tags": [], "priority": null,
		"options": {
			"thresholds": {"critical": 0.0}, "include_tags": false, "require_full_window": false,
			"renotify_interval": 60, "renotify_statuses": ["no data", "alert"],
			"new_host_delay": 300, "notify_audit": false, "notify_no_data": false, "no_data_timeframe": 10,
			"groupby_simple_monitor": false, "silenced": {}
		}
	}`
	prodGitHub = `{
		"id": 1003, "type": "event-v2 alert", "name": "GitHub API usage unusually high",
		"query": "events(\"source:amazon_sns @title:\\\"GitHub API usage unusually high\\\"\").rollup(\"count\").last(\"15m\") > 0",
		"message": "# GitHub API usage is unusually high\n\nThe ALI is using more of the GitHub API rate limit than usual: it may be making more calls than it should.\n\n## What to do\n\nLook at the ALI's rate-limit metrics and at its count of calls per API for anything out of the ordinary.\n\n@slack-PyTorch-pytorch-infra-alerts\n@slack-Linux_Foundation-pytorch-infra\n@webhook-lf-incident-io",
		"tags": [],
		"options": {
			"thresholds": {"critical": 0}, "include_tags": false, "require_full_window": false,
			"renotify_interval": 60, "new_host_delay": 300, "notify_audit": false, "notify_no_data": false
		}
	}`
	prod499 = `{
		"id": 1004, "type": "log alert", "name": "download.pytorch.org 499 spike",
		"query": "logs(\"service:cloudflare_pytorch_org @EdgeRequestHost:download*.pytorch.org @ClientRequestPath:/whl* @EdgeResponseStatus:499\").rollup(\"count\").last(\"5m\") > 250",
		"message": "More than 250 requests for download.pytorch.org /whl paths ended in status 499 (the client gave up) within 5 minutes.\n\n@slack-PyTorch-pytorch-infra-alerts",
		"tags": [],
		"options": {
			"thresholds": {"critical": 250, "critical_recovery": 100},
			"include_tags": true, "require_full_window": false, "evaluation_delay": 60,
			"notify_no_data": false, "notify_audit": false, "renotify_interval": 0,
			"enable_logs_sample": false, "groupby_simple_monitor": false, "new_host_delay": 300,
			"no_data_timeframe": 10, "notification_preset_name": "show_all"
		}
	}`
)

// prodMonitors are the production monitors with the entries FromAPI
// writes for them: those of Pulumi.prod.yaml with their importId, without
// what equals a default there (window 5m, notifyNoData and notifyAudit
// false, renotifyInterval 0).
var prodMonitors = map[string]struct {
	answer string
	want   map[string]any
}{
	"ali-dead-letter-queue": {prodDeadLetter, map[string]any{
		"name":          "ALI AutoScaler Dead Letter Queue High Number Of Messages",
		"kind":          "metric",
		"query":         "sum(last_15m):max:aws.sqs.number_of_messages_sent{queuename:ghci-lf-queued-builds-dead-letter}.as_count()",
		"warning":       1000,
		"critical":      5000,
		"onMissingData": "resolve",
		"message":       "Many messages have reached the `ghci-lf-queued-builds-dead-letter` queue: the autoscaler (ALI) may be down.\nCheck that it still scales up EC2 instances, in the scale-up Lambda's CloudWatch logs.",
		"notify":        []any{"lf-incident-io", "pytorch-infra-alerts", "lf-slack"},
		"includeTags":   false,
		"importId":      "1001",
	}},
	"ali-validation-exception": {prodValidation, map[string]any{
		"name":             "ALI ValidationException Detected",
		"kind":             "event",
		"search":           `source:amazon_sns @title:"ALI ValidationException Detected"`,
		"window":           "15m",
		"critical":         0,
		"renotifyInterval": 60,
		"message":          "# ValidationException in the ALI\n\nThe autoscaler reported a ValidationException: it may be unable to scale up runners, perhaps since a recent test-infra release.\n\n## What to do\n\nRead the scale-up Lambda's CloudWatch logs to find the cause. If a test-infra release caused it, roll back to the last release that worked.",
		"notify":           []any{"pytorch-infra-alerts", "lf-slack", "lf-incident-io"},
		"includeTags":      false,
		"importId":         "1002",
	}},
	"github-api-usage-high": {prodGitHub, map[string]any{
		"name":             "GitHub API usage unusually high",
		"kind":             "event",
		"search":           `source:amazon_sns @title:"GitHub API usage unusually high"`,
		"window":           "15m",
		"critical":         0,
		"renotifyInterval": 60,
		"message":          "# GitHub API usage is unusually high\n\nThe ALI is using more of the GitHub API rate limit than usual: it may be making more calls than it should.\n\n## What to do\n\nLook at the ALI's rate-limit metrics and at its count of calls per API for anything out of the ordinary.",
		"notify":           []any{"pytorch-infra-alerts", "lf-slack", "lf-incident-io"},
		"includeTags":      false,
		"importId":         "1003",
	}},
	"download-whl-499-spike": {prod499, map[string]any{
		"name":             "download.pytorch.org 499 spike",
		"kind":             "log",
		"search":           "service:cloudflare_pytorch_org @EdgeRequestHost:download*.pytorch.org @ClientRequestPath:/whl* @EdgeResponseStatus:499",
		"critical":         250,
		"criticalRecovery": 100,
		"evaluationDelay":  60,
		"message":          "More than 250 requests for download.pytorch.org /whl paths ended in status 499 (the client gave up) within 5 minutes.",
		"notify":           []any{"pytorch-infra-alerts"},
		"importId":         "1004",
	}},
}

func TestFromAPIWritesProductionMonitors(t *testing.T) {
	t.Parallel()
	for key, tc := range prodMonitors {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			entry, err := monitors.FromAPI(object(answered(t, tc.answer), key), prodChannels)
			require.NoError(t, err)
			assert.Equal(t, tc.want, entry)
		})
	}
}

// decodeEntry decodes one entry as the stack does.
func decodeEntry(t *testing.T, key string, entry map[string]any, channels map[string]string) monitors.Monitor {
	t.Helper()
	raw, err := json.Marshal(map[string]any{key: entry})
	require.NoError(t, err)
	p := &configkit.Problems{}
	out := monitors.Decode(p, string(raw), true, channels)
	require.NoError(t, p.Err())
	return out[key]
}

// TestFromAPIAdoptsWithoutChange: each production monitor's entry,
// registered by New under the mock, sends what Datadog has: its type,
// query, message, thresholds and options. That is what makes its adoption
// change nothing.
func TestFromAPIAdoptsWithoutChange(t *testing.T) {
	t.Parallel()
	for key, tc := range prodMonitors {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			api := answered(t, tc.answer)
			entry, err := monitors.FromAPI(object(api, key), prodChannels)
			require.NoError(t, err)
			mon := decodeEntry(t, key, entry, prodChannels)
			got := register(t, map[string]monitors.Monitor{key: mon})
			in := got.Inputs[key]

			assert.Equal(t, fmtID(api), got.ByName[key].ImportID, "adopted by its id")
			assert.Equal(t, string(api.GetType()), in["type"])
			assert.Equal(t, api.GetName(), in["name"])
			assert.Equal(t, api.GetQuery(), in["query"])
			assert.Equal(t, api.GetMessage(), in["message"])
			opts := api.GetOptions()
			th := opts.GetThresholds()
			want := map[string]any{"critical": configkit.FormatNumber(th.GetCritical())}
			for name, f := range map[string]*float64{"warning": th.Warning.Get(), "criticalRecovery": th.CriticalRecovery.Get(), "warningRecovery": th.WarningRecovery.Get()} {
				if f != nil {
					want[name] = configkit.FormatNumber(*f)
				}
			}
			assert.Equal(t, want, in["monitorThresholds"])
			assert.Equal(t, opts.GetIncludeTags(), in["includeTags"])
			assert.Equal(t, opts.GetRequireFullWindow(), in["requireFullWindow"])
			assert.Equal(t, strings2any(api.Tags), in["tags"])
			// Options sent only when set; unset, the provider sends its
			// default, which Datadog has (0, false, unset).
			optional := map[string]any{}
			if n := opts.GetRenotifyInterval(); n != 0 {
				optional["renotifyInterval"] = n
			}
			if n := opts.GetEvaluationDelay(); n != 0 {
				optional["evaluationDelay"] = n
			}
			if v := opts.GetOnMissingData(); v != "" {
				optional["onMissingData"] = string(v)
			}
			for _, name := range []string{"renotifyInterval", "evaluationDelay", "onMissingData", "notifyNoData", "notifyAudit", "priority"} {
				assert.Equal(t, optional[name], in[name], name)
			}
		})
	}
}

func strings2any(list []string) []any {
	out := []any{}
	for _, s := range list {
		out = append(out, s)
	}
	return out
}

// base is a metric monitor with every field the config writes at its
// default, and the entry written for it.
const base = `{"id": 7, "type": "query alert", "name": "Queue depth", "query": "avg(last_5m):avg:aws.sqs.depth{*} > 10",
	"message": "Deep.", "options": {"thresholds": {"critical": 10}}}`

var baseEntry = map[string]any{
	"name": "Queue depth", "kind": "metric", "query": "avg(last_5m):avg:aws.sqs.depth{*}",
	"critical": 10, "message": "Deep.", "importId": "7",
}

func with(f func(*datadogV1.Monitor)) func(*testing.T) datadogV1.Monitor {
	return func(t *testing.T) datadogV1.Monitor {
		m := answered(t, base)
		f(&m)
		return m
	}
}

func option(f func(*datadogV1.MonitorOptions)) func(*testing.T) datadogV1.Monitor {
	return with(func(m *datadogV1.Monitor) {
		o := m.GetOptions()
		f(&o)
		m.SetOptions(o)
	})
}

// TestFromAPILeavesDefaultsOut: options at Datadog's or the provider's
// default, and what Datadog keeps of a monitor's state, are not written,
// and are no reason to refuse it.
func TestFromAPILeavesDefaultsOut(t *testing.T) {
	t.Parallel()
	tests := map[string]func(*testing.T) datadogV1.Monitor{
		"as answered":                      with(func(*datadogV1.Monitor) {}),
		"metric alert, the older name":     with(func(m *datadogV1.Monitor) { m.SetType(datadogV1.MONITORTYPE_METRIC_ALERT) }),
		"new_host_delay 300":               option(func(o *datadogV1.MonitorOptions) { o.SetNewHostDelay(300) }),
		"new_host_delay null":              option(func(o *datadogV1.MonitorOptions) { o.SetNewHostDelayNil() }),
		"new_group_delay 0":                option(func(o *datadogV1.MonitorOptions) { o.SetNewGroupDelay(0) }),
		"no_data_timeframe without notify": option(func(o *datadogV1.MonitorOptions) { o.SetNoDataTimeframe(30) }),
		"notification preset show_all":     option(func(o *datadogV1.MonitorOptions) { o.SetNotificationPresetName("show_all") }),
		"muted":                            option(func(o *datadogV1.MonitorOptions) { o.SetSilenced(map[string]int64{"*": 0}) }),
		"timeout_h 0, escalation empty":    option(func(o *datadogV1.MonitorOptions) { o.SetTimeoutH(0); o.SetEscalationMessage("") }),
		"renotify_interval 0":              option(func(o *datadogV1.MonitorOptions) { o.SetRenotifyInterval(0) }),
		"evaluation_delay 0":               option(func(o *datadogV1.MonitorOptions) { o.SetEvaluationDelay(0) }),
		"include_tags true":                option(func(o *datadogV1.MonitorOptions) { o.SetIncludeTags(true) }),
		"false booleans": option(func(o *datadogV1.MonitorOptions) {
			o.SetNotifyNoData(false)
			o.SetNotifyAudit(false)
			o.SetLocked(false)
		}),
		"published":                         with(func(m *datadogV1.Monitor) { m.SetDraftStatus(datadogV1.MONITORDRAFTSTATUS_PUBLISHED) }),
		"priority null":                     with(func(m *datadogV1.Monitor) { m.SetPriorityNil() }),
		"restricted roles empty":            with(func(m *datadogV1.Monitor) { m.SetRestrictedRoles([]string{}) }),
		"a trailing newline in the message": with(func(m *datadogV1.Monitor) { m.SetMessage("Deep.\n") }),
		"critical threshold unset":          option(func(o *datadogV1.MonitorOptions) { o.SetThresholds(datadogV1.MonitorThresholds{}) }),
	}
	for name, mon := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			entry, err := monitors.FromAPI(object(mon(t), "queue-depth"), nil)
			require.NoError(t, err)
			assert.Equal(t, baseEntry, entry)
		})
	}
}

// TestFromAPIWritesEveryField: every field the config has, at a value
// other than its default, is written, and registers what Datadog has.
func TestFromAPIWritesEveryField(t *testing.T) {
	t.Parallel()
	api := answered(t, `{"id": 8, "type": "query alert", "name": "Latency", "priority": 2, "tags": ["team:infra", "env:prod"],
		"query": "avg(last_10m):p99:trace.http.request{service:hud} <= 0.25",
		"message": "Fast?\n\n@slack-infra",
		"options": {"thresholds": {"critical": 0.25, "warning": 0.5, "critical_recovery": 0.3, "warning_recovery": 0.75},
			"renotify_interval": 30, "evaluation_delay": 120, "notify_no_data": true, "no_data_timeframe": 10,
			"notify_audit": true, "require_full_window": true, "include_tags": false}}`)
	entry, err := monitors.FromAPI(object(api, "latency"), channels)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{
		"name": "Latency", "kind": "metric", "query": "avg(last_10m):p99:trace.http.request{service:hud}",
		"comparator": "<=", "critical": 0.25, "warning": 0.5, "criticalRecovery": 0.3, "warningRecovery": 0.75,
		"message": "Fast?", "notify": []any{"infra"},
		"renotifyInterval": 30, "evaluationDelay": 120, "notifyNoData": true, "notifyAudit": true,
		"requireFullWindow": true, "includeTags": false, "tags": []any{"team:infra", "env:prod"}, "priority": 2,
		"importId": "8",
	}, entry)

	got := register(t, map[string]monitors.Monitor{"latency": decodeEntry(t, "latency", entry, channels)})
	assert.Equal(t, map[string]any{
		"name": "Latency", "type": "query alert",
		"query":             "avg(last_10m):p99:trace.http.request{service:hud} <= 0.25",
		"message":           "Fast?\n\n@slack-infra",
		"monitorThresholds": map[string]any{"critical": "0.25", "warning": "0.5", "criticalRecovery": "0.3", "warningRecovery": "0.75"},
		"renotifyInterval":  int64(30), "evaluationDelay": int64(120), "notifyNoData": true, "notifyAudit": true,
		"requireFullWindow": true, "includeTags": false, "tags": []any{"team:infra", "env:prod"}, "priority": "2",
	}, got.Inputs["latency"])

	// An event monitor over the default window, with a search that quotes
	// and escapes.
	api = answered(t, `{"id": 9, "type": "event-v2 alert", "name": "Odd", "message": "Odd.",
		"query": "events(\"source:sns @title:\\\"a\\\\\\\\b\\\"\").rollup(\"count\").last(\"5m\") >= 3",
		"options": {"thresholds": {"critical": 3}}}`)
	entry, err = monitors.FromAPI(object(api, "odd"), nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{
		"name": "Odd", "kind": "event", "search": `source:sns @title:"a\\b"`, "comparator": ">=", "critical": 3,
		"message": "Odd.", "importId": "9",
	}, entry)
	assert.Equal(t, api.GetQuery(), monitors.Query(decodeEntry(t, "odd", entry, nil)))
}

// TestFromAPISplitsHandles: the handles that end a message as
// kit.WithHandles writes them, and that are the stack's channels, become
// notify; anything else stays in the text. Either way the message renders
// back as Datadog has it.
func TestFromAPISplitsHandles(t *testing.T) {
	t.Parallel()
	chans := map[string]string{"infra": "@slack-infra", "lf": "@webhook-lf", "also-infra": "@slack-infra"}
	tests := map[string]struct {
		message, text string
		notify        []any
	}{
		"the stack's form":              {"Deep.\n\n@webhook-lf\n@slack-infra", "Deep.", []any{"lf", "also-infra"}},
		"one handle":                    {"Deep.\n\n@webhook-lf", "Deep.", []any{"lf"}},
		"several lines and paragraphs":  {"# Deep\n\nCheck.\n\n@webhook-lf", "# Deep\n\nCheck.", []any{"lf"}},
		"a handle of no stack channel":  {"Deep.\n\n@pagerduty-infra", "Deep.\n\n@pagerduty-infra", nil},
		"no stack channel last":         {"Deep.\n\n@webhook-lf\n@pagerduty-infra", "Deep.\n\n@webhook-lf\n@pagerduty-infra", nil},
		"another handle in the text":    {"Deep, page @pagerduty-infra.\n\n@webhook-lf", "Deep, page @pagerduty-infra.", []any{"lf"}},
		"no blank line before handles":  {"Deep.\n@webhook-lf", "Deep.\n@webhook-lf", nil},
		"handles on the text's line":    {"Deep. @webhook-lf @slack-infra", "Deep. @webhook-lf @slack-infra", nil},
		"a handle twice":                {"Deep.\n\n@webhook-lf\n@webhook-lf", "Deep.\n\n@webhook-lf\n@webhook-lf", nil},
		"two blank lines":               {"Deep.\n\n\n@webhook-lf", "Deep.\n\n\n@webhook-lf", nil},
		"handles only":                  {"@webhook-lf\n@slack-infra", "@webhook-lf\n@slack-infra", nil},
		"a space after a handle":        {"Deep.\n\n@webhook-lf ", "Deep.", []any{"lf"}},
		"trailing space before handles": {"Deep. \n\n@webhook-lf", "Deep. \n\n@webhook-lf", nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			api := with(func(m *datadogV1.Monitor) { m.SetMessage(tc.message) })(t)
			entry, err := monitors.FromAPI(object(api, "queue-depth"), chans)
			require.NoError(t, err)
			assert.Equal(t, tc.text, entry["message"])
			if tc.notify == nil {
				assert.NotContains(t, entry, "notify")
			} else {
				assert.Equal(t, tc.notify, entry["notify"])
			}
			mon := decodeEntry(t, "queue-depth", entry, chans)
			assert.Equal(t, strings.TrimSpace(tc.message), configkit.WithHandles(mon.Message, mon.Notify), "renders back")
		})
	}
}

// TestFromAPIRefuses: a monitor the config cannot express exactly is an
// error that names the monitor and says why; no entry is written.
func TestFromAPIRefuses(t *testing.T) {
	t.Parallel()
	query := func(q string) func(*testing.T) datadogV1.Monitor {
		return with(func(m *datadogV1.Monitor) { m.SetQuery(q) })
	}
	event := func(q string) func(*testing.T) datadogV1.Monitor {
		return with(func(m *datadogV1.Monitor) { m.SetType(datadogV1.MONITORTYPE_EVENT_V2_ALERT); m.SetQuery(q) })
	}
	tests := map[string]struct {
		mon      func(*testing.T) datadogV1.Monitor
		fragment string
	}{
		"composite": {with(func(m *datadogV1.Monitor) { m.SetType(datadogV1.MONITORTYPE_COMPOSITE); m.SetQuery("1 && 2") }),
			`its type is "composite"; the config writes query alerts (kind metric), event-v2 alerts (event) and log alerts (log)`},
		"service check": {with(func(m *datadogV1.Monitor) { m.SetType(datadogV1.MONITORTYPE_SERVICE_CHECK) }), `its type is "service check"`},
		"a synthetics test's monitor": {with(func(m *datadogV1.Monitor) { m.SetType(datadogV1.MONITORTYPE_SYNTHETICS_ALERT) }),
			"it is a synthetics test's monitor, which belongs to its test"},
		"anomaly": {with(func(m *datadogV1.Monitor) {
			m.SetQuery("avg(last_4h):anomalies(avg:x{*}, 'basic', 2) >= 1")
			o := m.GetOptions()
			o.SetThresholds(datadogV1.MonitorThresholds{Critical: ptr(1)})
			w := datadogV1.MonitorThresholdWindowOptions{}
			w.SetTriggerWindow("last_15m")
			o.SetThresholdWindows(w)
			m.SetOptions(o)
		}), "it sets threshold_windows, which the config has no field for"},
		"no comparison":      {query("avg(last_5m):avg:aws.sqs.depth{*}"), "its query does not end with a comparison (>, >=, <, <=) and a number"},
		"an equality":        {query("avg(last_5m):avg:aws.sqs.depth{*} == 10"), "does not end with a comparison"},
		"a comparison twice": {query("avg(last_5m):avg:aws.sqs.depth{*} > 5 > 10"), "monitors.queue-depth.query: ends with a comparison"},
		"critical disagrees": {query("avg(last_5m):avg:aws.sqs.depth{*} > 5000"), "its critical threshold (10) is not the number its query compares with (5000)"},
		"number written 1e1": {query("avg(last_5m):avg:aws.sqs.depth{*} > 1e1"), `its query would be written back as "avg(last_5m):avg:aws.sqs.depth{*} > 10", not "avg(last_5m):avg:aws.sqs.depth{*} > 1e1"`},
		"no space before it": {query("avg(last_5m):avg:aws.sqs.depth{*}>10"), "its query would be written back as"},
		"cardinality rollup": {event(`events("source:sns").rollup("cardinality", "@usr.id").last("5m") > 10`), `its query rolls up by "cardinality", "@usr.id", not by count`},
		"grouped events":     {event(`events("source:sns").rollup("count").by("host").last("5m") > 10`), `its query is not of the form events("<search>").rollup("count").last("<window>") <comparator> <number>`},
		"log index": {with(func(m *datadogV1.Monitor) {
			m.SetType(datadogV1.MONITORTYPE_LOG_ALERT)
			m.SetQuery(`logs("x").index("*").rollup("count").last("5m") > 10`)
		}), `is not of the form logs(`},
		"logs in an event":   {event(`logs("x").rollup("count").last("5m") > 10`), `is not of the form events(`},
		"a search escape":    {event(`events("a\nb").rollup("count").last("5m") > 10`), "its query would be written back as"},
		"spaces in a search": {event(`events(" x ").rollup("count").last("5m") > 10`), "its query would be written back as"},
		"window in seconds":  {event(`events("x").rollup("count").last("300s") > 10`), `monitors.queue-depth.window: "300s" is not a window`},
		"ok threshold":       {option(func(o *datadogV1.MonitorOptions) { th := o.GetThresholds(); th.SetOk(0); o.SetThresholds(th) }), "it sets thresholds.ok, which"},
		"unknown threshold":  {option(func(o *datadogV1.MonitorOptions) { th := o.GetThresholds(); th.SetUnknown(1); o.SetThresholds(th) }), "thresholds.unknown"},
		"threshold query": {option(func(o *datadogV1.MonitorOptions) {
			th := o.GetThresholds()
			th.SetCriticalQuery("q")
			o.SetThresholds(th)
		}), "thresholds.critical_query"},
		"warning past critical": {option(func(o *datadogV1.MonitorOptions) { th := o.GetThresholds(); th.SetWarning(20); o.SetThresholds(th) }),
			"monitors.queue-depth.warning: must be below critical (10) for comparator >"},
		"new_group_delay":      {option(func(o *datadogV1.MonitorOptions) { o.SetNewGroupDelay(60) }), "it sets new_group_delay, which the config has no field for"},
		"new_host_delay 0":     {option(func(o *datadogV1.MonitorOptions) { o.SetNewHostDelay(0) }), "it sets new_host_delay"},
		"timeout_h":            {option(func(o *datadogV1.MonitorOptions) { o.SetTimeoutH(2) }), "it sets timeout_h"},
		"escalation message":   {option(func(o *datadogV1.MonitorOptions) { o.SetEscalationMessage("Still deep.") }), "it sets escalation_message"},
		"no data after 30m":    {option(func(o *datadogV1.MonitorOptions) { o.SetNotifyNoData(true); o.SetNoDataTimeframe(30) }), "it sets no_data_timeframe"},
		"renotify occurrences": {option(func(o *datadogV1.MonitorOptions) { o.SetRenotifyInterval(10); o.SetRenotifyOccurrences(3) }), "it sets renotify_occurrences"},
		"renotify on warn": {option(func(o *datadogV1.MonitorOptions) {
			o.SetRenotifyInterval(10)
			o.SetRenotifyStatuses([]datadogV1.MonitorRenotifyStatusType{"warn"})
		}), "it sets renotify_statuses"},
		"notify by":       {option(func(o *datadogV1.MonitorOptions) { o.SetNotifyBy([]string{"host"}) }), "it sets notify_by"},
		"logs sample":     {option(func(o *datadogV1.MonitorOptions) { o.SetEnableLogsSample(true) }), "it sets enable_logs_sample"},
		"locked":          {option(func(o *datadogV1.MonitorOptions) { o.SetLocked(true) }), "it sets locked"},
		"preset":          {option(func(o *datadogV1.MonitorOptions) { o.SetNotificationPresetName("hide_all") }), "it sets notification_preset_name"},
		"group retention": {option(func(o *datadogV1.MonitorOptions) { o.SetGroupRetentionDuration("2d") }), "it sets group_retention_duration"},
		"scheduling":      {option(func(o *datadogV1.MonitorOptions) { o.SetSchedulingOptions(schedule()) }), "it sets scheduling_options"},
		"an option the client does not know": {option(func(o *datadogV1.MonitorOptions) { o.AdditionalProperties = map[string]any{"avalanche_window": 10} }),
			"it sets avalanche_window"},
		"several at once": {option(func(o *datadogV1.MonitorOptions) { o.SetTimeoutH(2); o.SetNewGroupDelay(60) }),
			"it sets new_group_delay, timeout_h, which the config has no field for"},
		"assets": {with(func(m *datadogV1.Monitor) {
			m.Assets = []datadogV1.MonitorAsset{{Name: "Runbook", Url: "https://x", Category: "runbook"}}
		}), "it sets assets"},
		"restricted roles": {with(func(m *datadogV1.Monitor) { m.SetRestrictedRoles([]string{"r"}) }), "it sets restricted_roles"},
		"draft":            {with(func(m *datadogV1.Monitor) { m.SetDraftStatus(datadogV1.MONITORDRAFTSTATUS_DRAFT) }), "it is a draft"},
		"priority 7":       {with(func(m *datadogV1.Monitor) { m.SetPriority(7) }), "monitors.queue-depth.priority"},
		"no message":       {with(func(m *datadogV1.Monitor) { m.SetMessage(" ") }), "monitors.queue-depth.message: is empty"},
		"notify no data with on missing data": {option(func(o *datadogV1.MonitorOptions) { o.SetNotifyNoData(true); o.SetOnMissingData("resolve") }),
			"monitors.queue-depth.notifyNoData: goes with onMissingData only"},
		"no id": {with(func(m *datadogV1.Monitor) { m.Id = nil }), "it has no id to adopt it by"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mon := tc.mon(t)
			entry, err := monitors.FromAPI(object(mon, "queue-depth"), nil)
			require.Error(t, err)
			assert.Nil(t, entry)
			id := ""
			if mon.Id != nil {
				id = "7"
			}
			assert.Contains(t, err.Error(), `monitor `+id+` "Queue depth" cannot be written as config: `)
			assert.Contains(t, err.Error(), tc.fragment)
		})
	}
}

func TestFromAPIRefusesAnotherObject(t *testing.T) {
	t.Parallel()
	_, err := monitors.FromAPI(live.Object{ID: "7", Data: "a monitor"}, nil)
	assert.EqualError(t, err, "monitor 7: holds string, not a Datadog monitor")

	m := answered(t, base)
	entry, err := monitors.FromAPI(object(m, "queue-depth"), nil)
	require.NoError(t, err)
	fromPtr, err := monitors.FromAPI(live.Object{ID: "7", Key: "queue-depth", Data: &m}, nil)
	require.NoError(t, err)
	assert.Equal(t, entry, fromPtr, "a pointer reads the same")
}

// TestFromAPIKey: the entry is checked under the key it is written under.
func TestFromAPIKey(t *testing.T) {
	t.Parallel()
	m := answered(t, base)
	m.SetPriority(9)
	_, err := monitors.FromAPI(live.Object{ID: "7", Key: "my-key", Data: m}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "monitors.my-key.priority")
}

func schedule() datadogV1.MonitorOptionsSchedulingOptions {
	s := datadogV1.MonitorOptionsSchedulingOptions{}
	w := datadogV1.MonitorOptionsSchedulingOptionsEvaluationWindow{}
	w.SetDayStarts("04:00")
	s.SetEvaluationWindow(w)
	return s
}

// fakeMonitors are n query alerts, ids from 1, and then a synthetics
// test's monitor.
func fakeMonitors(n int) []datadogV1.Monitor {
	out := []datadogV1.Monitor{}
	for i := 1; i <= n; i++ {
		m := datadogV1.NewMonitor("avg(last_5m):x{*} > 1", datadogV1.MONITORTYPE_QUERY_ALERT)
		m.SetId(int64(i))
		m.SetName("Monitor " + strconv.Itoa(i))
		out = append(out, *m)
	}
	s := datadogV1.NewMonitor(`synthetics("abc-123-xyz")`, datadogV1.MONITORTYPE_SYNTHETICS_ALERT)
	s.SetId(int64(n + 1))
	s.SetName("pytorch.org Check")
	return append(out, *s)
}

// TestListReadsEveryPage: List reads pages of 1000 (Datadog's maximum)
// from page 0 until a short one, and returns every monitor once, its
// synthetics test's monitor Quiet.
func TestListReadsEveryPage(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		monitors int // plus one synthetics monitor
		pages    []string
	}{
		"none but a test's":      {0, []string{"0"}},
		"one short page":         {998, []string{"0"}},
		"a page exactly":         {999, []string{"0", "1"}},
		"three pages":            {2500, []string{"0", "1", "2"}},
		"full pages, then empty": {1999, []string{"0", "1", "2"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := ddfake.New(t)
			f.Monitors = fakeMonitors(tc.monitors)
			l, err := monitors.List(f.Reader(t))
			require.NoError(t, err)
			assert.Empty(t, l.Partial, "monitors are all listed")
			require.Len(t, l.Objects, tc.monitors+1)
			for i, o := range l.Objects {
				m, ok := o.Data.(datadogV1.Monitor)
				require.True(t, ok, "Data is the client's monitor")
				assert.Equal(t, strconv.FormatInt(m.GetId(), 10), o.ID)
				assert.Equal(t, strconv.Itoa(i+1), o.ID, "in Datadog's order, each once")
				assert.Equal(t, m.GetName(), o.On, "matched on its name")
				assert.Equal(t, m.GetName(), o.Name)
				assert.Equal(t, i == tc.monitors, o.Quiet, "only the synthetics test's monitor is quiet")
			}
			last := l.Objects[len(l.Objects)-1]
			assert.Equal(t, "pytorch-org-check", last.Key)

			var pages []string
			for _, r := range f.Requests() {
				assert.Equal(t, "GET", r.Method)
				assert.Equal(t, "/api/v1/monitor", r.Path)
				assert.Equal(t, "1000", r.Query.Get("page_size"))
				pages = append(pages, r.Query.Get("page"))
			}
			assert.Equal(t, tc.pages, pages)
		})
	}
}

func TestListMonitorsFails(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Monitors = fakeMonitors(1500)
	// The second page fails for good; the reader retries it, then gives up.
	f.Fault("/api/v1/monitor", ddfake.Fault{Header: map[string]string{}})
	f.Fault("/api/v1/monitor", ddfake.Fault{Status: 400, Body: `{"errors": ["Bad page"]}`})
	l, err := monitors.List(f.Reader(t))
	require.Error(t, err)
	assert.Empty(t, l.Objects)
	var ee *live.EndpointError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, "GET /api/v1/monitor", ee.Endpoint)
	assert.Contains(t, err.Error(), "400 Bad Request")
	assert.Contains(t, err.Error(), "Bad page")
}

// A monitor of a type this client does not know is kept unread by the
// client, and refused as such.
func TestFromAPIRefusesWhatTheClientCannotRead(t *testing.T) {
	t.Parallel()
	var m datadogV1.Monitor
	require.NoError(t, json.Unmarshal([]byte(`{"id": 7, "type": "quantum alert", "name": "Q", "query": "q > 1", "message": "m"}`), &m))
	require.NotNil(t, m.UnparsedObject)
	_, err := monitors.FromAPI(live.Object{ID: "7", Key: "q", Data: m}, nil)
	assert.EqualError(t, err, `monitor 7 "Q" cannot be written as config: sent in a form this version of Datadog's client cannot read`)
}
