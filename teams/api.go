package teams

import (
	"fmt"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV2"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
)

// PageSize is the largest page GET /api/v2/team serves: page[size] is at
// most 100 (Datadog's API reference, "Get all teams").
const PageSize = 100

const teamsEndpoint = "GET /api/v2/team"

// List reads every team of the organisation (GET /api/v2/team, a page of
// PageSize at a time), each matched on its handle. Memberships are not
// read: ddstack audit compares teams, not who is in them (each membership
// would cost a request per team).
func List(r *live.Reader) (live.List, error) {
	api := datadogV2.NewTeamsApi(r.Client())
	list, err := live.Pages(r, teamsEndpoint, PageSize,
		func(t datadogV2.Team) string { return t.Id },
		func(page int) ([]datadogV2.Team, error) {
			resp, _, err := api.ListTeams(r.Context(), *datadogV2.NewListTeamsOptionalParameters().
				WithPageSize(PageSize).WithPageNumber(int64(page)))
			return resp.Data, live.Decoded(resp, err)
		})
	if err != nil {
		return live.List{}, err
	}
	out := live.List{Objects: []live.Object{}}
	for _, t := range list {
		if t.Id == "" || t.Attributes.Handle == "" {
			return live.List{}, &live.EndpointError{Endpoint: teamsEndpoint, Err: fmt.Errorf("answered a team without an id or a handle (id %q, handle %q)", t.Id, t.Attributes.Handle)}
		}
		out.Objects = append(out.Objects, live.Object{
			ID: t.Id, On: t.Attributes.Handle, Name: t.Attributes.Name, Key: KeyOf(t.Attributes.Handle, t.Attributes.Name),
			Data: t,
		})
	}
	return out, nil
}

// KeyOf is the config key of a team's entry, as ddstack import and audit
// write it: its handle in kebab-case, else its name's; "" when neither
// has a letter or digit.
func KeyOf(handle, name string) string {
	if key := toKey(handle); key != "" {
		return key
	}
	return toKey(name)
}

// FromAPI turns a team as List found it into a teams entry that adopts it,
// as FromTerraform does from a Terraform state: name, description,
// members [] and importId, the team's UUID, and its handle unless it is
// o.Key (the handle defaults to the key: ddstack audit passes the key it
// writes the entry under). Members are empty because List does not read
// memberships: list the users' keys by hand. A team the config could not
// express (an empty description, a handle Datadog would not take today)
// is an error.
func FromAPI(o live.Object) (map[string]any, error) {
	t, ok := o.Data.(datadogV2.Team)
	if !ok {
		return nil, fmt.Errorf("team %q: no team data to write it from (%T)", o.Name, o.Data)
	}
	handle := t.Attributes.Handle
	if handle == "" || o.ID == "" {
		return nil, fmt.Errorf("team %q (id %q): Datadog gave it no handle or id", t.Attributes.Name, o.ID)
	}
	key := o.Key
	entry := map[string]any{
		"name":        t.Attributes.Name,
		"description": t.Attributes.GetDescription(),
		"members":     []any{},
		"importId":    o.ID,
	}
	if handle != key {
		entry["handle"] = handle
	}
	if _, err := kit.DecodeEntry(key, entry, decode); err != nil {
		return nil, fmt.Errorf("team %q cannot be written as config: %w", handle, err)
	}
	return entry, nil
}
