package synthetics_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/scripts"
	"github.com/pytorch-fdn/pytorch-datadog/stackconfig"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
)

// loadTests decodes a synthetics section through the config loader, so the
// tests see the defaults a stack gets.
func loadTests(t *testing.T, channels, tests string) map[string]stackconfig.SyntheticsTest {
	t.Helper()
	cfg, err := stackconfig.Load(stackconfig.Raw{Values: map[string]string{
		stackconfig.KeyAPIURL:                                   "https://api.us3.datadoghq.com/",
		stackconfig.Namespace + ":" + stackconfig.KeyUsers:      `{"a": {"email": "a@example.org", "roles": ["Datadog Admin Role"]}}`,
		stackconfig.Namespace + ":" + stackconfig.KeyChannels:   channels,
		stackconfig.Namespace + ":" + stackconfig.KeySynthetics: tests,
	}})
	require.NoError(t, err)
	return cfg.Synthetics
}

func TestNewPinsEveryInput(t *testing.T) {
	tests := loadTests(t, `{"infra": "@slack-infra", "lf": "@webhook-lf"}`, `{
		"site": {"name": "Site", "url": "https://pytorch.org", "message": "Site down.", "notify": ["infra", "lf"],
			"assertions": [
				{"type": "statusCode", "operator": "is", "target": 200},
				{"type": "body", "operator": "contains", "target": "Install PyTorch"},
				{"type": "header", "property": "location", "operator": "is", "target": "https://docs.pytorch.org/docs"},
				{"type": "header", "property": "content-length", "operator": "moreThan", "target": 74000},
				{"type": "header", "property": "x-cache", "operator": "doesNotExist"},
				{"type": "responseTime", "operator": "lessThan", "target": 2000, "timingsScope": "withoutDNS"},
				{"type": "statusCode", "operator": "matches", "target": "20[04]"}
			]},
		"post": {"name": "Post", "url": "http://example.org/api", "method": "POST", "body": "{}", "headers": {"content-type": "application/json"},
			"followRedirects": true, "timeoutSeconds": 10, "service": "api", "tags": ["team:infra"], "locations": ["aws:eu-west-1", "aws:us-east-1"],
			"tickEvery": 60, "retry": {"count": 1, "intervalMs": 1000}, "minFailureDuration": 600, "status": "paused",
			"message": "Post.", "assertions": [{"type": "statusCode", "operator": "isNot", "target": 500}]},
		"cert": {"name": "Cert", "kind": "ssl", "host": "discuss.pytorch.org", "tickEvery": 86400, "message": "Cert.",
			"assertions": [{"type": "certificate", "operator": "isInMoreThan", "target": 14}]},
		"queue": {"name": "Queue", "kind": "queue", "queue": {"contains": ".s390x", "thresholdHours": 2}, "message": "Queue.", "notify": ["infra"]}
	}`)
	rec, err := ddmock.Run("pytorch-datadog", "test", nil, nil, func(ctx *pulumi.Context) error {
		_, err := synthetics.New(ctx, &synthetics.Args{Tests: tests})
		return err
	})
	require.NoError(t, err)

	got := map[string]map[string]any{}
	var order []string
	for _, r := range rec.Resources() {
		assert.Equal(t, "datadog:index/syntheticsTest:SyntheticsTest", r.Type)
		assert.Equal(t, "4.68.0", r.Version)
		got[r.Name] = ddmock.PlainMap(r.Inputs)
		order = append(order, r.Name)
	}
	assert.Equal(t, []string{"cert", "post", "queue", "site"}, order)

	defaults := map[string]any{"tickEvery": int64(300), "retry": map[string]any{"count": int64(3), "interval": int64(300000)}}
	assert.Equal(t, map[string]any{
		"type":              "api",
		"subtype":           "http",
		"name":              "Site",
		"message":           "Site down.\n\n{{{synthetics.attributes.result.failure.message}}}\n\n@slack-infra\n@webhook-lf",
		"status":            "live",
		"tags":              []any{"env:project", "project:pytorch", "service:site"},
		"locations":         []any{"aws:us-west-2"},
		"optionsList":       merge(defaults, map[string]any{"followRedirects": false}),
		"requestDefinition": map[string]any{"method": "GET", "url": "https://pytorch.org"},
		"assertions": []any{
			map[string]any{"type": "statusCode", "operator": "is", "target": "200"},
			map[string]any{"type": "body", "operator": "contains", "target": "Install PyTorch"},
			map[string]any{"type": "header", "property": "location", "operator": "is", "target": "https://docs.pytorch.org/docs"},
			map[string]any{"type": "header", "property": "content-length", "operator": "moreThan", "target": "74000"},
			map[string]any{"type": "header", "property": "x-cache", "operator": "doesNotExist"},
			map[string]any{"type": "responseTime", "operator": "lessThan", "target": "2000", "timingsScope": "withoutDNS"},
			map[string]any{"type": "statusCode", "operator": "matches", "target": "20[04]"},
		},
	}, got["site"])

	assert.Equal(t, map[string]any{
		"type":      "api",
		"subtype":   "http",
		"name":      "Post",
		"message":   "Post.\n\n{{{synthetics.attributes.result.failure.message}}}",
		"status":    "paused",
		"tags":      []any{"env:project", "project:pytorch", "service:api", "team:infra"},
		"locations": []any{"aws:eu-west-1", "aws:us-east-1"},
		"optionsList": map[string]any{
			"tickEvery": int64(60), "retry": map[string]any{"count": int64(1), "interval": int64(1000)},
			"followRedirects": true, "minFailureDuration": int64(600),
		},
		"requestDefinition": map[string]any{"method": "POST", "url": "http://example.org/api", "body": "{}", "timeout": int64(10)},
		"requestHeaders":    map[string]any{"content-type": "application/json"},
		"assertions":        []any{map[string]any{"type": "statusCode", "operator": "isNot", "target": "500"}},
	}, got["post"])

	assert.Equal(t, map[string]any{
		"type":              "api",
		"subtype":           "ssl",
		"name":              "Cert",
		"message":           "Cert.\n\n{{{synthetics.attributes.result.failure.message}}}",
		"status":            "live",
		"tags":              []any{"env:project", "project:pytorch", "service:cert"},
		"locations":         []any{"aws:us-west-2"},
		"optionsList":       map[string]any{"tickEvery": int64(86400), "retry": defaults["retry"]},
		"requestDefinition": map[string]any{"host": "discuss.pytorch.org", "port": "443"},
		"assertions":        []any{map[string]any{"type": "certificate", "operator": "isInMoreThan", "target": "14"}},
	}, got["cert"])

	code := scripts.QueueCheck(scripts.Queue{Match: scripts.Contains, Value: ".s390x", Exclude: []string{}, ThresholdSeconds: 7200, Label: "containing .s390x"})
	assert.Equal(t, map[string]any{
		"type":              "api",
		"subtype":           "http",
		"name":              "Queue",
		"message":           "Queue.\n\n{{{synthetics.attributes.result.failure.message}}}\n\n@slack-infra",
		"status":            "live",
		"tags":              []any{"env:project", "project:pytorch", "service:queue"},
		"locations":         []any{"aws:us-west-2"},
		"optionsList":       merge(defaults, map[string]any{"followRedirects": false}),
		"requestDefinition": map[string]any{"method": "GET", "url": stackconfig.HUDQueueURL},
		"assertions":        []any{map[string]any{"type": "javascript", "code": code}},
	}, got["queue"])
}

func merge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
