package check_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/check"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/scripts"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
)

func TestFromConfigMapsEveryField(t *testing.T) {
	t.Parallel()
	queue := scripts.Queue{Match: scripts.Equals, Value: "linux.aws.h100", Exclude: []string{}, ThresholdSeconds: 21600, Label: "equal to linux.aws.h100"}
	siteAssertions := []synthetics.Assertion{
		{Type: "statusCode", Operator: "is", Target: "200", HasTarget: true},
		{Type: "header", Property: "x-cache", Operator: "doesNotExist"},
		{Type: "responseTime", Operator: "lessThan", Target: "2000", HasTarget: true, TimingsScope: "withoutDNS"},
	}
	tests := map[string]synthetics.Test{
		"site": {
			Name: "Site", Kind: synthetics.HTTP, Message: "m", Notify: []string{"@slack-infra"}, Service: "svc",
			Tags: []string{"team:infra"}, Locations: []string{"aws:eu-west-1"}, TickEvery: 60, MinFailureDuration: 600,
			Status: "paused", ImportID: "abc-123-xyz",
			Method: "POST", URL: "https://example.org/api", Body: `{"a":1}`,
			Headers:         map[string]string{"content-type": "application/json", "x-token": "t"},
			FollowRedirects: true, TimeoutSeconds: 10, RetryCount: 2, RetryIntervalMs: 1500,
			Assertions: siteAssertions,
		},
		"cert": {
			Name: "Cert", Kind: synthetics.SSL, Method: "GET", Host: "discuss.pytorch.org", Port: 8443,
			RetryCount: 0, RetryIntervalMs: 300000,
			Assertions: []synthetics.Assertion{{Type: "certificate", Operator: "isInMoreThan", Target: "14", HasTarget: true}},
		},
		"queue": {
			Name: "Queue", Kind: synthetics.Queue, Method: "GET", URL: synthetics.HUDQueueURL,
			RetryCount: 3, RetryIntervalMs: 300000, QueueCheck: &queue,
			Assertions: []synthetics.Assertion{{Type: "javascript", Code: scripts.QueueCheck(queue)}},
		},
	}
	got := check.FromConfig(tests)
	assert.Equal(t, []check.Test{
		{
			Key: "cert", Name: "Cert", Subtype: "ssl", Method: "GET", Host: "discuss.pytorch.org", Port: 8443,
			Timeout: 60 * time.Second, RetryCount: 0, RetryInterval: 5 * time.Minute,
			Assertions: []check.Assertion{{Type: "certificate", Operator: "isInMoreThan", Target: "14", HasTarget: true}},
		},
		{
			Key: "queue", Name: "Queue", Subtype: "http", Method: "GET", URL: synthetics.HUDQueueURL,
			Timeout: 60 * time.Second, RetryCount: 3, RetryInterval: 5 * time.Minute,
			Assertions: []check.Assertion{{Type: "javascript", Code: scripts.QueueCheck(queue)}},
		},
		{
			Key: "site", Name: "Site", Subtype: "http", Method: "POST", URL: "https://example.org/api", Body: `{"a":1}`,
			Headers:         map[string]string{"content-type": "application/json", "x-token": "t"},
			FollowRedirects: true, Timeout: 10 * time.Second, RetryCount: 2, RetryInterval: 1500 * time.Millisecond,
			Assertions: siteAssertions,
		},
	}, got, "every field, in sorted key order")
}

func TestFromConfigTimeout(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 60*time.Second, check.DefaultTimeout, "Datadog's timeout when a test sets none")
	tests := map[string]struct {
		seconds int
		want    time.Duration
	}{
		"unset is Datadog's 60 s": {0, 60 * time.Second},
		"one second":              {1, time.Second},
		"thirty seconds":          {30, 30 * time.Second},
		"sixty seconds":           {60, 60 * time.Second},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := check.FromConfig(map[string]synthetics.Test{"t": {Kind: synthetics.HTTP, URL: "https://x.org", TimeoutSeconds: tc.seconds}})
			require.Len(t, got, 1)
			assert.Equal(t, tc.want, got[0].Timeout)
		})
	}
}

func TestFromConfigKeyOrder(t *testing.T) {
	t.Parallel()
	tests := map[string]synthetics.Test{}
	for _, key := range []string{"zeta", "alpha", "m-2", "m-10", "beta"} {
		tests[key] = synthetics.Test{Name: "N " + key, Kind: synthetics.HTTP}
	}
	var keys, names []string
	for _, c := range check.FromConfig(tests) {
		keys = append(keys, c.Key)
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"alpha", "beta", "m-10", "m-2", "zeta"}, keys)
	assert.Equal(t, []string{"N alpha", "N beta", "N m-10", "N m-2", "N zeta"}, names, "each test keeps its own name")

	assert.Empty(t, check.FromConfig(nil))
	assert.Empty(t, check.FromConfig(map[string]synthetics.Test{}))
}

// TestFromConfigRunsWhatIsRegistered decodes a config, registers it with
// synthetics.New under the mock, and checks that what ddstack check runs is
// what Datadog is given: the request, the redirects, the timeout, the
// retries and every assertion, the queue script byte for byte.
func TestFromConfigRunsWhatIsRegistered(t *testing.T) {
	t.Parallel()
	p := &configkit.Problems{}
	tests := synthetics.Decode(p, `{
		"site": {"name": "Site", "url": "https://pytorch.org", "message": "m",
			"assertions": [
				{"type": "statusCode", "operator": "is", "target": 200},
				{"type": "body", "operator": "contains", "target": "Install PyTorch"},
				{"type": "body", "operator": "is", "target": ""},
				{"type": "header", "property": "content-length", "operator": "moreThan", "target": 74000},
				{"type": "header", "property": "x-cache", "operator": "doesNotExist"},
				{"type": "responseTime", "operator": "lessThan", "target": 2000, "timingsScope": "withoutDNS"},
				{"type": "statusCode", "operator": "matches", "target": "20[04]"},
				{"type": "javascript", "code": "dd.expect(dd.response.statusCode).to.equal(200);"}
			]},
		"post": {"name": "Post", "url": "http://example.org/api", "method": "PUT", "body": "{}",
			"headers": {"content-type": "application/json"}, "followRedirects": true, "timeoutSeconds": 7,
			"retry": {"count": 1, "intervalMs": 250}, "message": "m",
			"assertions": [{"type": "statusCode", "operator": "isNot", "target": 500}]},
		"cert": {"name": "Cert", "kind": "ssl", "host": "discuss.pytorch.org", "port": 8443, "message": "m",
			"assertions": [{"type": "certificate", "operator": "isInMoreThan", "target": 14}]},
		"gha-queue": {"name": "Queue", "kind": "queue", "message": "m",
			"queue": {"exclude": [".dgx.", "^lf\\."], "thresholdHours": 3}}
	}`, true, map[string]string{})
	require.NoError(t, p.Err())

	rec, err := ddmock.Run(configkit.Namespace, "test", nil, nil, ddmock.WithProvider(func(ctx *pulumi.Context, provider pulumi.ResourceOrInvokeOption) error {
		_, err := synthetics.New(ctx, tests, nil, provider)
		return err
	}))
	require.NoError(t, err)
	var order []string
	inputs := map[string]map[string]any{}
	for _, r := range rec.Resources() {
		if r.Type == synthetics.Token {
			order = append(order, r.Name)
			inputs[r.Name] = ddmock.PlainMap(r.Inputs)
		}
	}

	local := check.FromConfig(tests)
	var keys []string
	for _, c := range local {
		keys = append(keys, c.Key)
	}
	assert.Equal(t, order, keys, "the tests registered, in the same order")

	for _, c := range local {
		in := inputs[c.Key]
		require.NotNil(t, in, c.Key)
		req := in["requestDefinition"].(map[string]any)
		opts := in["optionsList"].(map[string]any)
		retry := opts["retry"].(map[string]any)

		assert.Equal(t, in["name"], c.Name, c.Key)
		assert.Equal(t, in["subtype"], c.Subtype, c.Key)
		if c.Subtype == "ssl" {
			assert.Equal(t, req["host"], c.Host, c.Key)
			assert.Equal(t, req["port"], strconv.Itoa(c.Port), c.Key)
			assert.NotContains(t, req, "url", c.Key)
		} else {
			assert.Equal(t, req["method"], c.Method, c.Key)
			assert.Equal(t, req["url"], c.URL, c.Key)
			assert.Equal(t, opts["followRedirects"], c.FollowRedirects, c.Key)
			body, _ := req["body"].(string)
			assert.Equal(t, body, c.Body, c.Key)
			timeout := check.DefaultTimeout
			if s, set := req["timeout"]; set {
				timeout = time.Duration(s.(int64)) * time.Second
			}
			assert.Equal(t, timeout, c.Timeout, "%s: registered timeout, or Datadog's when none is", c.Key)
			headers := map[string]string{}
			if h, set := in["requestHeaders"].(map[string]any); set {
				for k, v := range h {
					headers[k] = v.(string)
				}
			}
			if len(c.Headers) > 0 || len(headers) > 0 {
				assert.Equal(t, headers, c.Headers, c.Key)
			}
		}
		assert.Equal(t, retry["count"], int64(c.RetryCount), c.Key)
		assert.Equal(t, time.Duration(retry["interval"].(int64))*time.Millisecond, c.RetryInterval, c.Key)
		assert.Equal(t, in["assertions"], wire(c.Assertions), "%s: the same assertions", c.Key)
	}

	// Spot checks, so that the comparison above cannot pass on two empty
	// sides.
	byKey := map[string]check.Test{}
	for _, c := range local {
		byKey[c.Key] = c
	}
	assert.Equal(t, 7*time.Second, byKey["post"].Timeout)
	assert.Equal(t, check.DefaultTimeout, byKey["site"].Timeout)
	assert.Len(t, byKey["site"].Assertions, 8)
	require.Len(t, byKey["gha-queue"].Assertions, 1)
	code := byKey["gha-queue"].Assertions[0].Code
	assert.Equal(t, scripts.QueueCheck(scripts.Queue{Match: scripts.Any, Exclude: []string{".dgx.", `^lf\.`}, ThresholdSeconds: 10800, Label: `not matching .dgx., ^lf\.`}), code)
	assert.Equal(t, []any{map[string]any{"type": "javascript", "code": code}}, inputs["gha-queue"]["assertions"], "the queue script registered is the one run")
}

// wire writes assertions as the registration holds them: strings, the
// unset ones left out, a target whenever the assertion has one.
func wire(list []check.Assertion) []any {
	out := []any{}
	for _, a := range list {
		m := map[string]any{"type": a.Type}
		for k, v := range map[string]string{"operator": a.Operator, "property": a.Property, "timingsScope": a.TimingsScope, "code": a.Code} {
			if v != "" {
				m[k] = v
			}
		}
		if a.HasTarget {
			m["target"] = a.Target
		}
		out = append(out, m)
	}
	return out
}
