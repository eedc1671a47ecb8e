package synthetics_test

import (
	"testing"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock/ddmocktest"
	"github.com/pytorch-fdn/pytorch-datadog/scripts"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
)

type registered = ddmocktest.Registered

// register runs synthetics.New under the mock with an explicit provider,
// as the program does, and returns the tests it registered.
func register(t *testing.T, tests map[string]synthetics.Test) registered {
	t.Helper()
	var made map[string]*datadog.SyntheticsTest
	rec, err := ddmock.Run(configkit.Namespace, "test", nil, nil, ddmock.WithProvider(func(ctx *pulumi.Context, provider pulumi.ResourceOrInvokeOption) (err error) {
		made, err = synthetics.New(ctx, tests, nil, provider)
		return err
	}))
	require.NoError(t, err)
	assert.Len(t, made, len(tests), "New returns every test by key")
	for key := range tests {
		assert.NotNil(t, made[key], key)
	}

	return ddmocktest.Collect(t, rec, synthetics.Token)
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

func TestNewPinsEveryInput(t *testing.T) {
	t.Parallel()
	queue := scripts.Queue{Match: scripts.Contains, Value: ".s390x", Exclude: []string{}, ThresholdSeconds: 7200, Label: "containing .s390x"}
	code := scripts.QueueCheck(queue)
	defaults := synthetics.Test{
		Locations: []string{"aws:us-west-2"}, TickEvery: 300, RetryCount: 3, RetryIntervalMs: 300000, Status: "live", Method: "GET",
	}
	with := func(f func(*synthetics.Test)) synthetics.Test {
		out := defaults
		f(&out)
		return out
	}
	got := register(t, map[string]synthetics.Test{
		"site": with(func(tt *synthetics.Test) {
			tt.Name, tt.Kind, tt.Message, tt.Service = "Site", synthetics.HTTP, "Site down.", "site"
			tt.Notify = []string{"@slack-infra", "@webhook-lf"}
			tt.URL = "https://pytorch.org"
			tt.Assertions = []synthetics.Assertion{
				{Type: "statusCode", Operator: "is", Target: "200", HasTarget: true},
				{Type: "body", Operator: "contains", Target: "Install PyTorch", HasTarget: true},
				{Type: "body", Operator: "is", Target: "", HasTarget: true},
				{Type: "header", Property: "location", Operator: "is", Target: "https://docs.pytorch.org/docs", HasTarget: true},
				{Type: "header", Property: "content-length", Operator: "moreThan", Target: "74000", HasTarget: true},
				{Type: "header", Property: "x-cache", Operator: "doesNotExist"},
				{Type: "responseTime", Operator: "lessThan", Target: "2000", HasTarget: true, TimingsScope: "withoutDNS"},
				{Type: "statusCode", Operator: "matches", Target: "20[04]", HasTarget: true},
				{Type: "javascript", Code: "dd.expect(dd.response.statusCode).to.equal(200);"},
			}
		}),
		"post": {
			Name: "Post", Kind: synthetics.HTTP, Message: "Post.", Service: "api", Tags: []string{"team:infra"},
			Locations: []string{"aws:eu-west-1", "aws:us-east-1"}, TickEvery: 60, RetryCount: 1, RetryIntervalMs: 1000,
			MinFailureDuration: 600, Status: "paused", Method: "POST", URL: "http://example.org/api", Body: "{}",
			Headers: map[string]string{"content-type": "application/json"}, FollowRedirects: true, TimeoutSeconds: 10,
			Assertions: []synthetics.Assertion{{Type: "statusCode", Operator: "isNot", Target: "500", HasTarget: true}},
		},
		"cert": with(func(tt *synthetics.Test) {
			tt.Name, tt.Kind, tt.Message, tt.Service = "Cert", synthetics.SSL, "Cert.", "cert"
			tt.TickEvery, tt.RetryCount = 86400, 0
			tt.Host, tt.Port = "discuss.pytorch.org", 443
			tt.Assertions = []synthetics.Assertion{{Type: "certificate", Operator: "isInMoreThan", Target: "14", HasTarget: true}}
		}),
		"queue": with(func(tt *synthetics.Test) {
			tt.Name, tt.Kind, tt.Message, tt.Service = "Queue", synthetics.Queue, "Queue.", "queue"
			tt.Notify = []string{"@slack-infra"}
			tt.URL = synthetics.HUDQueueURL
			tt.QueueCheck = &queue
			tt.Assertions = []synthetics.Assertion{{Type: "javascript", Code: code}}
		}),
	})
	assert.Equal(t, []string{"cert", "post", "queue", "site"}, got.Order, "one resource per key, named by it")

	options := map[string]any{"tickEvery": int64(300), "retry": map[string]any{"count": int64(3), "interval": int64(300000)}}
	assert.Equal(t, map[string]any{
		"type":              "api",
		"subtype":           "http",
		"name":              "Site",
		"message":           "Site down.\n\n{{{synthetics.attributes.result.failure.message}}}\n\n@slack-infra\n@webhook-lf",
		"status":            "live",
		"tags":              []any{"env:project", "project:pytorch", "service:site"},
		"locations":         []any{"aws:us-west-2"},
		"optionsList":       merge(options, map[string]any{"followRedirects": false}),
		"requestDefinition": map[string]any{"method": "GET", "url": "https://pytorch.org"},
		"assertions": []any{
			map[string]any{"type": "statusCode", "operator": "is", "target": "200"},
			map[string]any{"type": "body", "operator": "contains", "target": "Install PyTorch"},
			map[string]any{"type": "body", "operator": "is", "target": ""},
			map[string]any{"type": "header", "property": "location", "operator": "is", "target": "https://docs.pytorch.org/docs"},
			map[string]any{"type": "header", "property": "content-length", "operator": "moreThan", "target": "74000"},
			map[string]any{"type": "header", "property": "x-cache", "operator": "doesNotExist"},
			map[string]any{"type": "responseTime", "operator": "lessThan", "target": "2000", "timingsScope": "withoutDNS"},
			map[string]any{"type": "statusCode", "operator": "matches", "target": "20[04]"},
			map[string]any{"type": "javascript", "code": "dd.expect(dd.response.statusCode).to.equal(200);"},
		},
	}, got.Inputs["site"])

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
	}, got.Inputs["post"])

	assert.Equal(t, map[string]any{
		"type":              "api",
		"subtype":           "ssl",
		"name":              "Cert",
		"message":           "Cert.\n\n{{{synthetics.attributes.result.failure.message}}}",
		"status":            "live",
		"tags":              []any{"env:project", "project:pytorch", "service:cert"},
		"locations":         []any{"aws:us-west-2"},
		"optionsList":       map[string]any{"tickEvery": int64(86400), "retry": map[string]any{"count": int64(0), "interval": int64(300000)}},
		"requestDefinition": map[string]any{"host": "discuss.pytorch.org", "port": "443"},
		"assertions":        []any{map[string]any{"type": "certificate", "operator": "isInMoreThan", "target": "14"}},
	}, got.Inputs["cert"], "an SSL test has no method, URL or redirect option")

	assert.Equal(t, map[string]any{
		"type":              "api",
		"subtype":           "http",
		"name":              "Queue",
		"message":           "Queue.\n\n{{{synthetics.attributes.result.failure.message}}}\n\n@slack-infra",
		"status":            "live",
		"tags":              []any{"env:project", "project:pytorch", "service:queue"},
		"locations":         []any{"aws:us-west-2"},
		"optionsList":       merge(options, map[string]any{"followRedirects": false}),
		"requestDefinition": map[string]any{"method": "GET", "url": synthetics.HUDQueueURL},
		"assertions":        []any{map[string]any{"type": "javascript", "code": code}},
	}, got.Inputs["queue"])

	for name, r := range got.ByName {
		assert.Equal(t, got.Provider, r.Provider, "%s registers with the explicit provider", name)
		assert.Empty(t, r.ImportID, "%s is created, not adopted", name)
	}
}

// TestDecodedTestsRegister runs decoded configs through New: what Decode
// gives, defaults and the rendered queue script included, is what is
// registered.
func TestDecodedTestsRegister(t *testing.T) {
	t.Parallel()
	tests := decodeOK(t, `{
		"site": {"name": "Site", "url": "https://pytorch.org", "message": "Site down.", "notify": ["lf"], "importId": "abc-123-xyz",
			"assertions": [{"type": "statusCode", "operator": "is", "target": 200}]},
		"hud-queue": {"name": "HUD queue", "kind": "queue", "message": "Queue.", "queue": {"startsWith": "lf.", "thresholdHours": 3}}
	}`)
	got := register(t, tests)
	assert.Equal(t, []string{"hud-queue", "site"}, got.Order)

	assert.Equal(t, map[string]any{
		"type":              "api",
		"subtype":           "http",
		"name":              "Site",
		"message":           "Site down.\n\n{{{synthetics.attributes.result.failure.message}}}\n\n@webhook-lf",
		"status":            "live",
		"tags":              []any{"env:project", "project:pytorch", "service:site"},
		"locations":         []any{"aws:us-west-2"},
		"optionsList":       map[string]any{"tickEvery": int64(300), "retry": map[string]any{"count": int64(3), "interval": int64(300000)}, "followRedirects": false},
		"requestDefinition": map[string]any{"method": "GET", "url": "https://pytorch.org"},
		"assertions":        []any{map[string]any{"type": "statusCode", "operator": "is", "target": "200"}},
	}, got.Inputs["site"])
	assert.Equal(t, "abc-123-xyz", got.ByName["site"].ImportID, "importId adopts the test")
	assert.Equal(t, got.Provider, got.ByName["site"].Provider, "the import keeps the other options")
	assert.Empty(t, got.ByName["hud-queue"].ImportID)

	q := got.Inputs["hud-queue"]
	assert.Equal(t, map[string]any{"method": "GET", "url": synthetics.HUDQueueURL}, q["requestDefinition"])
	want := scripts.QueueCheck(scripts.Queue{Match: scripts.StartsWith, Value: "lf.", ThresholdSeconds: 10800, Label: "starting with lf."})
	assert.Equal(t, []any{map[string]any{"type": "javascript", "code": want}}, q["assertions"])
}

func TestNewWithNoTests(t *testing.T) {
	t.Parallel()
	got := register(t, map[string]synthetics.Test{})
	assert.Empty(t, got.Order)
}

func TestSubtype(t *testing.T) {
	t.Parallel()
	for kind, want := range map[string]string{synthetics.HTTP: "http", synthetics.Queue: "http", synthetics.SSL: "ssl"} {
		assert.Equal(t, want, synthetics.Subtype(kind), kind)
	}
}

func TestMessage(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		test synthetics.Test
		want string
	}{
		"no channels": {synthetics.Test{Message: "Down."},
			"Down.\n\n{{{synthetics.attributes.result.failure.message}}}"},
		"channels in order": {synthetics.Test{Message: "Down.", Notify: []string{"@webhook-lf", "@slack-infra"}},
			"Down.\n\n{{{synthetics.attributes.result.failure.message}}}\n\n@webhook-lf\n@slack-infra"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, synthetics.Message(tc.test))
			assert.Contains(t, synthetics.Message(tc.test), synthetics.FailureMessage, "the alert says what failed")
		})
	}
}

// TestTagsLeaveTheDefaultsAlone: each test's tags are the stack-wide ones,
// its service and its own, and building them never changes the defaults or
// another test's tags.
func TestTagsLeaveTheDefaultsAlone(t *testing.T) {
	t.Parallel()
	before := append([]string{}, synthetics.DefaultTags...)
	a := synthetics.Tags(synthetics.Test{Service: "a", Tags: []string{"team:a"}})
	b := synthetics.Tags(synthetics.Test{Service: "b"})
	assert.Equal(t, []string{"env:project", "project:pytorch", "service:a", "team:a"}, a)
	assert.Equal(t, []string{"env:project", "project:pytorch", "service:b"}, b)
	assert.Equal(t, before, synthetics.DefaultTags)
}
