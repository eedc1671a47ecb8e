package webhooks_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock/ddmocktest"
	"github.com/pytorch-fdn/pytorch-datadog/webhooks"
)

// bearer is the secret's value in these tests: it must never show.
const bearer = "inc-0b5e1f2a3c4d5e6f7a8b9c0d"

// productionPayloadJSON is production's payload as sent: sorted keys, two
// spaces, $LOGS_SAMPLE without quotes.
const productionPayloadJSON = `{
  "alert_transition": "$ALERT_TRANSITION",
  "deduplication_key": "$AGGREG_KEY-$ALERT_CYCLE_KEY",
  "description": "$EVENT_MSG",
  "metadata": {
    "alert_metric": "$ALERT_METRIC",
    "alert_priority": "$ALERT_PRIORITY",
    "alert_query": "$ALERT_QUERY",
    "alert_scope": "$ALERT_SCOPE",
    "alert_status": "$ALERT_STATUS",
    "alert_title": "$ALERT_TITLE",
    "alert_type": "$ALERT_TYPE",
    "alert_url": "$LINK",
    "date": "$DATE",
    "event_type": "$EVENT_TYPE",
    "hostname": "$HOSTNAME",
    "id": "$ID",
    "last_updated": "$LAST_UPDATED",
    "logs_sample": $LOGS_SAMPLE,
    "org": {
      "id": "$ORG_ID",
      "name": "$ORG_NAME"
    },
    "snapshot_url": "$SNAPSHOT",
    "tags": "$TAGS"
  },
  "source_url": "$LINK",
  "title": "$EVENT_TITLE"
}`

type registered = ddmocktest.Registered

// register runs webhooks.New under the mock with an explicit provider, as
// the program does, and returns the webhooks it registered.
func register(t *testing.T, hooks map[string]webhooks.Webhook, secrets map[string]string) registered {
	t.Helper()
	var made map[string]*datadog.Webhook
	rec, err := ddmock.Run(kit.Namespace, "test", nil, nil, ddmock.WithProvider(func(ctx *pulumi.Context, provider pulumi.ResourceOrInvokeOption) (err error) {
		made, err = webhooks.New(ctx, hooks, secrets, provider)
		return err
	}))
	require.NoError(t, err)
	assert.Len(t, made, len(hooks), "New returns every webhook by key")
	for key := range hooks {
		assert.NotNil(t, made[key], key)
	}
	return ddmocktest.Collect(t, rec, webhooks.Token)
}

// secretString returns the plaintext of a secret string input, failing
// when the input is not secret.
func secretString(t *testing.T, v resource.PropertyValue) string {
	t.Helper()
	switch {
	case v.IsSecret():
		require.True(t, v.SecretValue().Element.IsString())
		return v.SecretValue().Element.StringValue()
	case v.IsOutput() && v.OutputValue().Secret:
		require.True(t, v.OutputValue().Element.IsString())
		return v.OutputValue().Element.StringValue()
	}
	require.Fail(t, "not a secret", "%v", v)
	return ""
}

func TestNewPinsEveryInput(t *testing.T) {
	t.Parallel()
	got := register(t, map[string]webhooks.Webhook{
		"lf-incident-io": production(),
		"ops": {
			Name: "Ops.hook", URL: "https://example.org/ops", EncodeAs: "form",
			Headers: map[string]webhooks.Header{"X-Team": {Value: "infra & ops <1>"}, "Content-Type": {Value: "text/plain"}},
			Payload: map[string]any{"text": "$EVENT_MSG"},
		},
		"bare": {Name: "bare", URL: "https://example.org/bare", EncodeAs: "json", Headers: map[string]webhooks.Header{}, Payload: map[string]any{}},
	}, map[string]string{"incident-io-bearer": bearer, "unused": "x"})

	assert.Equal(t, []string{"bare", "lf-incident-io", "ops"}, got.Order, "one resource per key, named by it, in key order")
	assert.Equal(t, map[string]any{
		"name":          "lf-incident-io",
		"url":           "https://api.incident.io/v2/alert_events/datadog/01JKTRSFTE6H2SR4AFM4VGWZFN",
		"encodeAs":      "json",
		"payload":       productionPayloadJSON,
		"customHeaders": ddmock.Secret,
	}, got.Inputs["lf-incident-io"])
	assert.Equal(t, `{"Authorization":"Bearer `+bearer+`  "}`, secretString(t, got.ByName["lf-incident-io"].Inputs["customHeaders"]),
		"prefix, secret and suffix: production's header, its two trailing spaces included")
	assert.Equal(t, map[string]any{
		"name":          "Ops.hook",
		"url":           "https://example.org/ops",
		"encodeAs":      "form",
		"payload":       "{\n  \"text\": \"$EVENT_MSG\"\n}",
		"customHeaders": `{"Content-Type":"text/plain","X-Team":"infra & ops <1>"}`,
	}, got.Inputs["ops"], "without a secret header, the headers stay readable")
	assert.Equal(t, map[string]any{
		"name":          "bare",
		"url":           "https://example.org/bare",
		"encodeAs":      "json",
		"payload":       "{}",
		"customHeaders": "{}",
	}, got.Inputs["bare"], "no headers is sent as {}, so a header added in the UI is drift that is undone")
	assert.False(t, got.ByName["ops"].Inputs["customHeaders"].ContainsSecrets())
	assert.False(t, got.ByName["lf-incident-io"].Inputs["payload"].ContainsSecrets(), "the payload stays readable")

	for name, r := range got.ByName {
		assert.Equal(t, got.Provider, r.Provider, "%s registers with the explicit provider", name)
		assert.Empty(t, r.ImportID, "%s is created, not adopted", name)
	}
}

// TestNewNeverShowsTheSecret renders everything registered as a plan
// shows it: the bearer token appears nowhere.
func TestNewNeverShowsTheSecret(t *testing.T) {
	t.Parallel()
	w := production()
	w.Headers["X-Api-Key"] = webhooks.Header{Secret: "incident-io-bearer"}
	got := register(t, map[string]webhooks.Webhook{"lf-incident-io": w}, map[string]string{"incident-io-bearer": bearer})
	require.Len(t, got.All, 2)
	for _, r := range got.All {
		shown, err := json.Marshal(ddmock.PlainMap(r.Inputs))
		require.NoError(t, err)
		assert.NotContains(t, string(shown), bearer, r.Name)
		assert.NotContains(t, fmt.Sprint(ddmock.PlainMap(r.Inputs)), bearer, r.Name)
	}
	assert.Equal(t, `{"Authorization":"Bearer `+bearer+`  ","X-Api-Key":"`+bearer+`"}`,
		secretString(t, got.ByName["lf-incident-io"].Inputs["customHeaders"]))
}

func TestNewReportsEveryMissingSecret(t *testing.T) {
	t.Parallel()
	a := production()
	b := production()
	b.Name = "other"
	b.Headers = map[string]webhooks.Header{
		"Authorization": {Secret: "other-bearer", Prefix: "Bearer "},
		"X-Api-Key":     {Secret: "blank-key"},
		"Cookie":        {Secret: "multi-line"},
		"X-Team":        {Value: "infra"},
	}
	var made map[string]*datadog.Webhook
	rec, err := ddmock.Run(kit.Namespace, "test", nil, nil, ddmock.WithProvider(func(ctx *pulumi.Context, provider pulumi.ResourceOrInvokeOption) (err error) {
		made, err = webhooks.New(ctx, map[string]webhooks.Webhook{"lf-incident-io": a, "other": b},
			map[string]string{"blank-key": "  ", "multi-line": bearer + "\n"}, provider)
		return err
	}))
	require.Error(t, err)
	assert.Nil(t, made)
	for _, r := range rec.Resources() {
		assert.Equal(t, ddmock.ProviderType, r.Type, "no webhook registered when a secret is missing")
	}
	msg := err.Error()
	for _, want := range []string{
		`webhooks.lf-incident-io.headers.Authorization: secret "incident-io-bearer" is not set: pulumi config set --secret --path 'secrets.incident-io-bearer' (the workflows set it from the repository secret INCIDENT_IO_BEARER)`,
		`webhooks.other.headers.Authorization: secret "other-bearer" is not set: pulumi config set --secret --path 'secrets.other-bearer' (the workflows set it from the repository secret OTHER_BEARER)`,
		`webhooks.other.headers.X-Api-Key: secret "blank-key" is empty: pulumi config set --secret --path 'secrets.blank-key'`,
		`webhooks.other.headers.Cookie: secret "multi-line" holds a line break or another control character`,
	} {
		assert.Contains(t, msg, want)
	}
	assert.Equal(t, 4, strings.Count(msg, ": secret "), "one problem per bad header, all at once: %s", msg)
	assert.NotContains(t, msg, bearer, "no message holds a secret's value")
}

func TestNewAdoptsByImportID(t *testing.T) {
	t.Parallel()
	adopted := production()
	adopted.ImportID = "lf-incident-io"
	created := webhooks.Webhook{Name: "new", URL: "https://example.org/new", EncodeAs: "json", Payload: map[string]any{}}
	got := register(t, map[string]webhooks.Webhook{"lf-incident-io": adopted, "new": created}, map[string]string{"incident-io-bearer": bearer})

	assert.Equal(t, "lf-incident-io", got.ByName["lf-incident-io"].ImportID)
	assert.Empty(t, got.ByName["new"].ImportID)
	assert.Equal(t, got.Provider, got.ByName["lf-incident-io"].Provider, "the import keeps the other options")
	assert.Equal(t, ddmock.Secret, got.Inputs["lf-incident-io"]["customHeaders"], "the import keeps the headers secret")
}

func TestNewWithNoWebhooks(t *testing.T) {
	t.Parallel()
	got := register(t, map[string]webhooks.Webhook{}, nil)
	assert.Empty(t, got.Order)
}

// secretOutputs records, for each resource, the outputs it asks the engine
// to keep secret.
type secretOutputs struct {
	*ddmock.Recorder
	mu  sync.Mutex
	got map[string][]string
}

func (s *secretOutputs) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	if args.RegisterRPC != nil {
		s.mu.Lock()
		s.got[args.Name] = args.RegisterRPC.GetAdditionalSecretOutputs()
		s.mu.Unlock()
	}
	return s.Recorder.NewResource(args)
}

// TestNewKeepsCustomHeadersOutputSecret: the custom headers Datadog
// returns are kept secret in the state even when none is configured
// secret, so a credential added in the UI is not stored in plaintext.
func TestNewKeepsCustomHeadersOutputSecret(t *testing.T) {
	t.Parallel()
	mon := &secretOutputs{Recorder: ddmock.New(kit.Namespace, "test"), got: map[string][]string{}}
	plain := webhooks.Webhook{Name: "plain", URL: "https://example.org/p", EncodeAs: "json", Payload: map[string]any{}}
	err := pulumi.RunErr(ddmock.WithProvider(func(ctx *pulumi.Context, provider pulumi.ResourceOrInvokeOption) error {
		_, err := webhooks.New(ctx, map[string]webhooks.Webhook{"lf-incident-io": production(), "plain": plain},
			map[string]string{"incident-io-bearer": bearer}, provider)
		return err
	}), pulumi.WithMocks(kit.Namespace, "test", mon))
	require.NoError(t, err)
	assert.Equal(t, []string{"customHeaders"}, mon.got["lf-incident-io"])
	assert.Equal(t, []string{"customHeaders"}, mon.got["plain"])
}

// TestDecodedWebhookRegisters runs production's decoded config through
// New: what Decode gives is what is registered.
func TestDecodedWebhookRegisters(t *testing.T) {
	t.Parallel()
	hooks, list := decode(t, productionSection)
	require.Empty(t, list)
	got := register(t, hooks, map[string]string{"incident-io-bearer": bearer})
	assert.Equal(t, productionPayloadJSON, got.Inputs["lf-incident-io"]["payload"])
	assert.Equal(t, `{"Authorization":"Bearer `+bearer+`  "}`, secretString(t, got.ByName["lf-incident-io"].Inputs["customHeaders"]))
}

func TestPayloadJSON(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		payload  map[string]any
		unquoted []string
		want     string
	}{
		"production": {productionPayload(), []string{"$LOGS_SAMPLE"}, productionPayloadJSON},
		"quoted when not listed": {map[string]any{"logs": "$LOGS_SAMPLE"}, nil,
			"{\n  \"logs\": \"$LOGS_SAMPLE\"\n}"},
		"every whole value, in lists too, but never a key or part of a string": {
			map[string]any{"$TAGS": "$TAGS", "a": []any{"$TAGS", "x $TAGS", map[string]any{"b": "$TAGS"}}}, []string{"$TAGS"},
			"{\n  \"$TAGS\": $TAGS,\n  \"a\": [\n    $TAGS,\n    \"x $TAGS\",\n    {\n      \"b\": $TAGS\n    }\n  ]\n}"},
		"scalars as configured": {
			map[string]any{"n": json.Number("1.50"), "t": true, "f": false, "z": nil, "e": []any{}, "o": map[string]any{}}, nil,
			"{\n  \"e\": [],\n  \"f\": false,\n  \"n\": 1.50,\n  \"o\": {},\n  \"t\": true,\n  \"z\": null\n}"},
		"text not HTML-escaped, quotes and newlines escaped": {
			map[string]any{"m": "a < b && \"c\"\n"}, nil,
			"{\n  \"m\": \"a < b && \\\"c\\\"\\n\"\n}"},
		"no payload": {nil, nil, "{}"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := webhooks.Webhook{Payload: tc.payload, Unquoted: tc.unquoted}
			got, err := webhooks.PayloadJSON(w)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			again, err := webhooks.PayloadJSON(w)
			require.NoError(t, err)
			assert.Equal(t, got, again, "the same string every run")
		})
	}
}

func TestPayloadJSONIsValidJSONOnceFilled(t *testing.T) {
	t.Parallel()
	got, err := webhooks.PayloadJSON(production())
	require.NoError(t, err)
	filled := strings.ReplaceAll(got, "$LOGS_SAMPLE", `[{"message": "x"}]`)
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(filled), &v), "Datadog fills the bare variable with JSON")
	assert.Equal(t, []any{map[string]any{"message": "x"}}, v["metadata"].(map[string]any)["logs_sample"])
}

func TestPayloadJSONRejectsWhatIsNotJSON(t *testing.T) {
	t.Parallel()
	_, err := webhooks.PayloadJSON(webhooks.Webhook{Payload: map[string]any{"a": []any{struct{}{}}}})
	assert.EqualError(t, err, "a: [0]: struct {} is not a JSON value")
	_, err = webhooks.PayloadJSON(webhooks.Webhook{Payload: map[string]any{"n": json.Number("1x")}})
	assert.ErrorContains(t, err, "n: ")
}

func TestHandle(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "@webhook-lf-incident-io", webhooks.Handle(webhooks.Webhook{Name: "lf-incident-io"}))
	assert.Equal(t, "@webhook-Ops_Team.x", webhooks.Handle(webhooks.Webhook{Name: "Ops_Team.x"}))
}

func TestSecretNames(t *testing.T) {
	t.Parallel()
	assert.Empty(t, webhooks.SecretNames(nil))
	assert.Equal(t, []string{"a-key", "incident-io-bearer"}, webhooks.SecretNames(map[string]webhooks.Webhook{
		"x": production(),
		"y": {Headers: map[string]webhooks.Header{"Authorization": {Secret: "incident-io-bearer"}, "X-Api-Key": {Secret: "a-key"}, "X-Team": {Value: "v"}}},
		"z": {},
	}), "sorted, each once, plain headers left out")
}
