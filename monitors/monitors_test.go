package monitors_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/monitors"
	"github.com/pytorch-fdn/pytorch-datadog/stackconfig"
)

func ptr(f float64) *float64 { return &f }

func TestNewPinsEveryInput(t *testing.T) {
	mons := map[string]stackconfig.Monitor{
		"dlq": {
			Name: "DLQ", Kind: stackconfig.MonitorMetric, Comparator: ">",
			Query:    " sum(last_5m):max:aws.sqs.number_of_messages_sent{queuename:dlq}.as_count() ",
			Critical: 5000, Warning: ptr(1000),
			Message: "Check the scale-up logs.\n", Notify: []string{"@webhook-lf-incident-io", "@slack-a"},
			IncludeTags: false, RequireFullWindow: false,
		},
		"sns": {
			Name: "SNS", Kind: stackconfig.MonitorEvent, Comparator: ">", Window: "5m",
			Search:   `source:amazon_sns @title:"ALI ValidationException Detected"`,
			Critical: 0, RenotifyInterval: 60, OnMissingData: "resolve", IncludeTags: true,
			Message: "Review the logs.", Tags: []string{"team:infra"}, Priority: 2,
		},
		"spike": {
			Name: "499 spike", Kind: stackconfig.MonitorLog, Comparator: ">=", Window: "10m",
			Search:   "service:cdn @EdgeResponseStatus:499",
			Critical: 250, CriticalRecovery: ptr(100), EvaluationDelay: 60, RequireFullWindow: true, IncludeTags: true,
			Message: "Too many 499s.", Notify: []string{"@slack-a"},
		},
	}
	rec, err := ddmock.Run("pytorch-datadog", "test", nil, nil, func(ctx *pulumi.Context) error {
		_, err := monitors.New(ctx, &monitors.Args{Monitors: mons})
		return err
	})
	require.NoError(t, err)

	got := map[string]map[string]any{}
	var order []string
	for _, r := range rec.Resources() {
		assert.Equal(t, "datadog:index/monitor:Monitor", r.Type)
		assert.Equal(t, "4.68.0", r.Version)
		got[r.Name] = ddmock.PlainMap(r.Inputs)
		order = append(order, r.Name)
	}
	assert.Equal(t, []string{"dlq", "sns", "spike"}, order)
	assert.Equal(t, map[string]any{
		"name":              "DLQ",
		"type":              "query alert",
		"query":             "sum(last_5m):max:aws.sqs.number_of_messages_sent{queuename:dlq}.as_count() > 5000",
		"message":           "Check the scale-up logs.\n\n@webhook-lf-incident-io\n@slack-a",
		"monitorThresholds": map[string]any{"critical": "5000", "warning": "1000"},
		"includeTags":       false,
		"requireFullWindow": false,
	}, got["dlq"])
	assert.Equal(t, map[string]any{
		"name":              "SNS",
		"type":              "event-v2 alert",
		"query":             `events("source:amazon_sns @title:\"ALI ValidationException Detected\"").rollup("count").last("5m") > 0`,
		"message":           "Review the logs.",
		"monitorThresholds": map[string]any{"critical": "0"},
		"includeTags":       true,
		"requireFullWindow": false,
		"renotifyInterval":  int64(60),
		"onMissingData":     "resolve",
		"tags":              []any{"team:infra"},
		"priority":          "2",
	}, got["sns"])
	assert.Equal(t, map[string]any{
		"name":              "499 spike",
		"type":              "log alert",
		"query":             `logs("service:cdn @EdgeResponseStatus:499").rollup("count").last("10m") >= 250`,
		"message":           "Too many 499s.\n\n@slack-a",
		"monitorThresholds": map[string]any{"critical": "250", "criticalRecovery": "100"},
		"includeTags":       true,
		"requireFullWindow": true,
		"evaluationDelay":   int64(60),
	}, got["spike"])
	for name, inputs := range got {
		assert.NotContains(t, inputs, "locked", name)
		assert.NotContains(t, inputs, "restrictedRoles", name)
	}
}

func TestQueryAndThresholdsComeFromOneNumber(t *testing.T) {
	for critical, want := range map[float64]string{0: "0", 0.5: "0.5", 250: "250", 1e6: "1000000", -3: "-3"} {
		m := stackconfig.Monitor{Name: "n", Message: "m", Kind: stackconfig.MonitorMetric, Comparator: ">", Query: "avg(last_5m):x{}", Critical: critical}
		rec, err := ddmock.Run("p", "s", nil, nil, func(ctx *pulumi.Context) error {
			_, err := monitors.New(ctx, &monitors.Args{Monitors: map[string]stackconfig.Monitor{"m": m}})
			return err
		})
		require.NoError(t, err)
		in := ddmock.PlainMap(rec.Resources()[0].Inputs)
		assert.Equal(t, "avg(last_5m):x{} > "+want, in["query"])
		assert.Equal(t, map[string]any{"critical": want}, in["monitorThresholds"], "a string on the wire, equal to the query's")
	}
}
