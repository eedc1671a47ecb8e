package webhooks

import (
	"net/http"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
)

// Partial is why List's webhooks are not all that Datadog has.
const Partial = "Datadog has no endpoint that lists webhooks: only the stack's own are checked, by name, and none can be reported unmanaged"

// List reads the webhooks the stack names, one request each (GET
// /api/v1/integration/webhooks/configuration/webhooks/{name}), in sorted
// order: the distinct names of its entries and their importIds (a
// webhook's import id is its name), since Datadog has no endpoint that
// lists webhooks (List.Partial says so). A name Datadog answers 404 for is
// a webhook it does not have: it is left out, not an error; List.Covers
// says which names were asked for. Each webhook
// is matched on its name. There is no FromAPI: a webhook cannot be
// reported unmanaged, so ddstack audit --add never writes one.
func List(r *live.Reader, hooks map[string]Webhook) (live.List, error) {
	names := map[string]bool{}
	for _, w := range hooks {
		for _, n := range []string{w.Name, w.ImportID} {
			if n != "" {
				names[n] = true
			}
		}
	}
	api := datadogV1.NewWebhooksIntegrationApi(r.Client())
	out := live.List{Objects: []live.Object{}, Partial: Partial, Covers: func(id string) bool { return names[id] }}
	for _, name := range kit.SortedKeys(names) {
		w, resp, err := api.GetWebhooksIntegration(r.Context(), name)
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			continue
		}
		if err := live.Decoded(w, err); err != nil {
			return live.List{}, live.Wrap("GET /api/v1/integration/webhooks/configuration/webhooks/"+name, err)
		}
		if w.Name == "" {
			// The answer is the webhook asked for by its name.
			w.Name = name
		}
		out.Objects = append(out.Objects, live.Object{ID: w.Name, On: w.Name, Name: w.Name, Key: kebab(w.Name), Data: w})
	}
	return out, nil
}
