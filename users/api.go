package users

import (
	"fmt"
	"slices"
	"strings"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV2"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
)

// PageSize is the largest page GET /api/v2/users serves: page[size] is at
// most 100 (Datadog's API reference, "List all users").
const PageSize = 100

const usersEndpoint = "GET /api/v2/users"

// Live is a user as Datadog has it, with the names of the roles its
// answer included, by id: a user's relationships hold role ids only.
type Live struct {
	User      datadogV2.User
	RoleNames map[string]string
}

// List reads every user of the organisation, whatever their status
// (GET /api/v2/users, a page of PageSize at a time, no status filter): a
// disabled user can still be adopted, by an entry with disabled: true. Each
// is matched on its email (ddstack audit compares emails without case).
// Disabled users and service accounts are Quiet: an entry may adopt one,
// but they are never reported unmanaged, as neither is someone who logs in
// today. Role names come from the roles each page's answer includes.
func List(r *live.Reader) (live.List, error) {
	api := datadogV2.NewUsersApi(r.Client())
	roleNames := map[string]string{}
	total := int64(-1)
	list, err := live.Pages(r, usersEndpoint, PageSize,
		func(u datadogV2.User) string { return u.GetId() },
		func(page int) ([]datadogV2.User, error) {
			resp, _, err := api.ListUsers(r.Context(), *datadogV2.NewListUsersOptionalParameters().
				WithPageSize(PageSize).WithPageNumber(int64(page)))
			if page := resp.GetMeta().Page; page != nil && page.TotalCount != nil {
				total = *page.TotalCount
			}
			for _, inc := range resp.Included {
				if role := inc.Role; role != nil && role.GetId() != "" {
					roleNames[role.GetId()] = role.Attributes.GetName()
				}
			}
			return resp.Data, live.Decoded(resp, err)
		})
	if err != nil {
		return live.List{}, err
	}
	if total > int64(len(list)) {
		// A page shorter than asked for ends the list: one that was short
		// while more users remain would leave them out unseen.
		return live.List{}, &live.EndpointError{Endpoint: usersEndpoint, Err: fmt.Errorf("listed %d users in pages of %d, but says it has %d: its pages are shorter than asked for (or users were added while it was read: run again)", len(list), PageSize, total)}
	}
	out := live.List{Objects: []live.Object{}}
	for _, u := range list {
		email := u.Attributes.GetEmail()
		if u.GetId() == "" || email == "" {
			return live.List{}, &live.EndpointError{Endpoint: usersEndpoint, Err: fmt.Errorf("answered a user without an id or an email (id %q, email %q)", u.GetId(), email)}
		}
		out.Objects = append(out.Objects, live.Object{
			ID: u.GetId(), On: email, Name: email, Key: KeyOf(email),
			Quiet: u.Attributes.GetDisabled() || u.Attributes.GetServiceAccount(),
			Data:  Live{User: u, RoleNames: roleNames},
		})
	}
	return out, nil
}

// KeyOf is the config key of a user's entry, as ddstack import and audit
// write it: the email's local part in kebab-case (jane.smith@example.org
// is jane-smith).
func KeyOf(email string) string {
	local, _, _ := strings.Cut(email, "@")
	return roles.KeyOf(local)
}

// FromAPI turns a user as List found it into a users entry that adopts it,
// as FromTerraform does from a Terraform state: email, roles by name (in
// Datadog's order), name when set, disabled when true, and importId, the
// user's UUID. A user without roles cannot be written (a user here has at
// least one), nor one whose role its answer does not name. The entry is
// checked as the stack would decode it, each role it names being taken for
// a role of the organisation (a custom role is one ddstack audit --add
// writes into roles too); its roles are resolved against the stack's own
// when the stack is decoded.
func FromAPI(o live.Object) (map[string]any, error) {
	l, ok := o.Data.(Live)
	if !ok {
		return nil, fmt.Errorf("user %s: no user data to write it from (%T)", o.Name, o.Data)
	}
	email := l.User.Attributes.GetEmail()
	if email == "" || o.ID == "" {
		return nil, fmt.Errorf("user %q (id %q): Datadog gave it no email or id", email, o.ID)
	}
	names := []any{}
	var refs []datadogV2.RelationshipToRoleData
	if rel := l.User.Relationships; rel != nil && rel.Roles != nil {
		refs = rel.Roles.Data
	}
	for _, ref := range refs {
		name := l.RoleNames[ref.GetId()]
		if name == "" {
			return nil, fmt.Errorf("user %s has the role id %q, which Datadog's answer does not name; give the user's roles by name by hand", email, ref.GetId())
		}
		if !slices.Contains(names, any(name)) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("user %s has no roles in Datadog; a user here has at least one: give them one in Datadog, or write the entry by hand", email)
	}
	entry := map[string]any{"email": email, "roles": names, "importId": o.ID}
	if name := l.User.Attributes.GetName(); name != "" {
		entry["name"] = name
	}
	if l.User.Attributes.GetDisabled() {
		entry["disabled"] = true
	}
	if err := validate(o.Key, entry, names); err != nil {
		return nil, fmt.Errorf("user %s cannot be written as config: %w", email, err)
	}
	return entry, nil
}

// validate decodes the entry as the stack will, under key, each of its
// roles that is not one of Datadog's own taken for a managed role: what
// Decode refuses is reported here rather than written.
func validate(key string, entry map[string]any, roleNames []any) error {
	if !kit.IsKey(key) {
		key = roles.KeyOf(key)
	}
	managed := map[string]roles.Role{}
	for i, n := range roleNames {
		name := n.(string)
		if !slices.Contains(roles.BuiltinRoles, name) {
			managed[fmt.Sprintf("role-%d", i)] = roles.Role{Name: name}
		}
	}
	_, err := kit.DecodeEntry(key, entry, func(p *kit.Problems, raw string, present bool) map[string]User {
		return Decode(p, raw, present, managed)
	})
	return err
}
