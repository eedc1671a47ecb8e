package webhooks_test

import (
	"testing"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/ddfake"
	"github.com/pytorch-fdn/pytorch-datadog/webhooks"
)

// apiWebhook is a webhook as GET …/webhooks/{name} answers it.
func apiWebhook(name, url string) datadogV1.WebhooksIntegration {
	w := datadogV1.NewWebhooksIntegration(name, url)
	w.SetEncodeAs(datadogV1.WEBHOOKSINTEGRATIONENCODING_JSON)
	w.SetPayload(`{"title": "$EVENT_TITLE"}`)
	return *w
}

func TestList(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Webhooks = []datadogV1.WebhooksIntegration{
		apiWebhook("lf-incident-io", "https://api.incident.io/v2/alert_events/datadog/01JKTRSFTE6H2SR4AFM4VGWZFN"),
		apiWebhook("old_name", "https://example.org/old"),
		// A webhook the stack does not name: never asked for.
		apiWebhook("elsewhere", "https://example.org/elsewhere"),
	}
	stack := map[string]webhooks.Webhook{
		"lf-incident-io": {Name: "lf-incident-io", ImportID: "lf-incident-io"},
		// Adopted under its old name, renamed in the stack: both names
		// are asked for, and Datadog has the old one only.
		"renamed": {Name: "new-name", ImportID: "old_name"},
		// One Datadog does not have (404): left out, not an error.
		"missing": {Name: "missing"},
	}
	l, err := webhooks.List(f.Reader(t), stack)
	require.NoError(t, err)
	assert.Equal(t, webhooks.Partial, l.Partial)
	assert.Contains(t, l.Partial, "Datadog has no endpoint that lists webhooks")
	require.Len(t, l.Objects, 2)
	for i, want := range []struct{ name, key string }{{"lf-incident-io", "lf-incident-io"}, {"old_name", "old-name"}} {
		o := l.Objects[i]
		assert.Equal(t, want.name, o.ID, "a webhook's import id is its name")
		assert.Equal(t, want.name, o.On)
		assert.Equal(t, want.name, o.Name)
		assert.Equal(t, want.key, o.Key)
		assert.False(t, o.Quiet)
		w, ok := o.Data.(datadogV1.WebhooksIntegration)
		require.True(t, ok)
		assert.Equal(t, want.name, w.Name)
	}
	assert.Equal(t, "https://example.org/old", l.Objects[1].Data.(datadogV1.WebhooksIntegration).Url)

	var got []string
	for _, r := range f.Requests() {
		got = append(got, r.Method+" "+r.Path)
	}
	const prefix = "GET /api/v1/integration/webhooks/configuration/webhooks/"
	assert.Equal(t, []string{prefix + "lf-incident-io", prefix + "missing", prefix + "new-name", prefix + "old_name"}, got,
		"each name of the stack, once, in sorted order")
}

func TestListNoWebhooks(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	l, err := webhooks.List(f.Reader(t), nil)
	require.NoError(t, err)
	assert.Empty(t, l.Objects)
	assert.Equal(t, webhooks.Partial, l.Partial, "even with no webhook, Datadog's could not be listed")
	assert.Empty(t, f.Requests())
}

func TestListFails(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Webhooks = []datadogV1.WebhooksIntegration{apiWebhook("hook", "https://example.org/")}
	f.Fault("/api/v1/integration/webhooks/configuration/webhooks/hook", ddfake.Fault{Status: 400, Body: `{"errors":["bad"]}`})
	l, err := webhooks.List(f.Reader(t), map[string]webhooks.Webhook{"hook": {Name: "hook"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "GET /api/v1/integration/webhooks/configuration/webhooks/hook: 400 Bad Request")
	assert.Empty(t, l.Objects)
}
