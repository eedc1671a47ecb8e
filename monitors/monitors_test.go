package monitors_test

import (
	"testing"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock/ddmocktest"
	"github.com/pytorch-fdn/pytorch-datadog/monitors"
)

func ptr(f float64) *float64 { return &f }

type registered = ddmocktest.Registered

// register runs monitors.New under the mock with an explicit provider, as
// the program does, and returns the monitors it registered.
func register(t *testing.T, mons map[string]monitors.Monitor) registered {
	t.Helper()
	var made map[string]*datadog.Monitor
	rec, err := ddmock.Run(configkit.Namespace, "test", nil, nil, ddmock.WithProvider(func(ctx *pulumi.Context, provider pulumi.ResourceOrInvokeOption) (err error) {
		made, err = monitors.New(ctx, mons, provider)
		return err
	}))
	require.NoError(t, err)
	assert.Len(t, made, len(mons), "New returns every monitor by key")
	for key := range mons {
		assert.NotNil(t, made[key], key)
	}

	return ddmocktest.Collect(t, rec, monitors.Token)
}

func TestNewPinsEveryInput(t *testing.T) {
	t.Parallel()
	got := register(t, map[string]monitors.Monitor{
		"dlq": {
			Name: "DLQ", Kind: monitors.Metric, Comparator: ">",
			Query:    " sum(last_5m):max:aws.sqs.number_of_messages_sent{queuename:dlq}.as_count() ",
			Critical: 5000, Warning: ptr(1000),
			Message: "Check the scale-up logs.\n", Notify: []string{"@webhook-lf-incident-io", "@slack-a"},
			IncludeTags: false, RequireFullWindow: false,
		},
		"sns": {
			Name: "SNS", Kind: monitors.Event, Comparator: ">", Window: "5m",
			Search:   `source:amazon_sns @title:"ALI ValidationException Detected"`,
			Critical: 0, RenotifyInterval: intp(60), OnMissingData: "resolve", IncludeTags: true,
			Message: "Review the logs.", Tags: []string{"team:infra"}, Priority: 2,
		},
		"spike": {
			Name: "499 spike", Kind: monitors.Log, Comparator: ">=", Window: "10m",
			Search:   `service:cdn @path:C:\whl`,
			Critical: 250, CriticalRecovery: ptr(100), EvaluationDelay: 60, RequireFullWindow: true, IncludeTags: true,
			Message: "Too many 499s.", Notify: []string{"@slack-a"},
		},
		"quiet": {
			Name: "Quiet", Kind: monitors.Metric, Comparator: "<", Query: "avg(last_1h):y{}",
			Critical: 0.5, Warning: ptr(1.5), CriticalRecovery: ptr(1), WarningRecovery: ptr(2), IncludeTags: true,
			Message: "Too quiet.", Priority: 5,
		},
	})

	assert.Equal(t, []string{"dlq", "quiet", "sns", "spike"}, got.Order, "one resource per key, named by it")
	assert.Equal(t, map[string]any{
		"name":              "DLQ",
		"type":              "query alert",
		"query":             "sum(last_5m):max:aws.sqs.number_of_messages_sent{queuename:dlq}.as_count() > 5000",
		"message":           "Check the scale-up logs.\n\n@webhook-lf-incident-io\n@slack-a",
		"monitorThresholds": map[string]any{"critical": "5000", "warning": "1000"},
		"includeTags":       false,
		"requireFullWindow": false,
		"tags":              []any{},
	}, got.Inputs["dlq"])
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
	}, got.Inputs["sns"])
	assert.Equal(t, map[string]any{
		"name":              "499 spike",
		"type":              "log alert",
		"query":             `logs("service:cdn @path:C:\\whl").rollup("count").last("10m") >= 250`,
		"message":           "Too many 499s.\n\n@slack-a",
		"monitorThresholds": map[string]any{"critical": "250", "criticalRecovery": "100"},
		"includeTags":       true,
		"requireFullWindow": true,
		"tags":              []any{},
		"evaluationDelay":   int64(60),
	}, got.Inputs["spike"])
	assert.Equal(t, map[string]any{
		"name":              "Quiet",
		"type":              "query alert",
		"query":             "avg(last_1h):y{} < 0.5",
		"message":           "Too quiet.",
		"monitorThresholds": map[string]any{"critical": "0.5", "warning": "1.5", "criticalRecovery": "1", "warningRecovery": "2"},
		"includeTags":       true,
		"requireFullWindow": false,
		"tags":              []any{},
		"priority":          "5",
	}, got.Inputs["quiet"])

	for name, r := range got.ByName {
		assert.NotContains(t, got.Inputs[name], "locked", "deprecated: %s", name)
		assert.NotContains(t, got.Inputs[name], "restrictedRoles", "deprecated: %s", name)
		assert.Equal(t, got.Provider, r.Provider, "%s registers with the explicit provider", name)
		assert.Empty(t, r.ImportID, "%s is created, not adopted", name)
	}
}

func TestNewAdoptsByImportID(t *testing.T) {
	t.Parallel()
	base := monitors.Monitor{Name: "A", Kind: monitors.Event, Comparator: ">", Window: "5m", Search: "s", Message: "m"}
	adopted := base
	adopted.Name, adopted.ImportID = "B", "12345678"
	got := register(t, map[string]monitors.Monitor{"created": base, "adopted": adopted})

	assert.Equal(t, "12345678", got.ByName["adopted"].ImportID)
	assert.Empty(t, got.ByName["created"].ImportID)
	assert.Equal(t, got.Provider, got.ByName["adopted"].Provider, "the import keeps the other options")
	assert.Equal(t, got.Provider, got.ByName["created"].Provider)
}

func TestNewWithNoMonitors(t *testing.T) {
	t.Parallel()
	got := register(t, map[string]monitors.Monitor{})
	assert.Empty(t, got.Order)
}

// TestQueryAndThresholdsComeFromOneNumber: the query's comparison and the
// critical threshold are the same configured number, written the same way.
func TestQueryAndThresholdsComeFromOneNumber(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		critical float64
		want     string
	}{
		"zero":          {0, "0"},
		"fraction":      {0.5, "0.5"},
		"whole":         {250, "250"},
		"million":       {1e6, "1000000"},
		"tiny":          {1e-7, "0.0000001"},
		"negative":      {-3, "-3"},
		"large decimal": {12345.678, "12345.678"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := monitors.Monitor{Name: "n", Message: "m", Kind: monitors.Metric, Comparator: "<=", Query: "avg(last_5m):x{}", Critical: tc.critical}
			assert.Equal(t, "avg(last_5m):x{} <= "+tc.want, monitors.Query(m))

			got := register(t, map[string]monitors.Monitor{"m": m})
			in := got.Inputs["m"]
			assert.Equal(t, "avg(last_5m):x{} <= "+tc.want, in["query"])
			assert.Equal(t, map[string]any{"critical": tc.want}, in["monitorThresholds"], "a string on the wire, equal to the query's")
		})
	}
}

func TestTypeAndQueryByKind(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		m         monitors.Monitor
		typ, want string
	}{
		"metric": {monitors.Monitor{Kind: monitors.Metric, Query: "\tavg(last_5m):x{}\n", Comparator: ">", Critical: 1},
			"query alert", "avg(last_5m):x{} > 1"},
		"event": {monitors.Monitor{Kind: monitors.Event, Search: ` source:sns @title:"a" `, Window: "15m", Comparator: ">=", Critical: 2},
			"event-v2 alert", `events("source:sns @title:\"a\"").rollup("count").last("15m") >= 2`},
		"log with a backslash": {monitors.Monitor{Kind: monitors.Log, Search: `path:\a`, Window: "1d", Comparator: "<", Critical: 3},
			"log alert", `logs("path:\\a").rollup("count").last("1d") < 3`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.typ, monitors.Type(tc.m.Kind))
			assert.Equal(t, tc.want, monitors.Query(tc.m))
		})
	}
}

// TestDecodedMonitorRegisters runs a decoded config through New: the
// defaults Decode applies are what is registered.
func TestDecodedMonitorRegisters(t *testing.T) {
	t.Parallel()
	mons, problems := decode(t, `{"sns": {"name": "SNS", "kind": "event", "search": "source:amazon_sns", "critical": 0,
		"message": "Review the logs.", "notify": ["lf", "infra"], "importId": "42"}}`)
	require.Empty(t, problems)
	got := register(t, mons)
	assert.Equal(t, map[string]any{
		"name":              "SNS",
		"type":              "event-v2 alert",
		"query":             `events("source:amazon_sns").rollup("count").last("5m") > 0`,
		"message":           "Review the logs.\n\n@webhook-lf\n@slack-infra",
		"monitorThresholds": map[string]any{"critical": "0"},
		"includeTags":       true,
		"requireFullWindow": false,
		"tags":              []any{},
	}, got.Inputs["sns"])
	assert.Equal(t, "42", got.ByName["sns"].ImportID)
}

func intp(n int) *int { return &n }
