package roles

import (
	"fmt"
	"slices"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV2"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
)

// PageSize is the largest page GET /api/v2/roles serves: page[size] is at
// most 100 (Datadog's API reference, "List roles").
const PageSize = 100

// Endpoints ddstack audit reads roles from.
const (
	rolesEndpoint       = "GET /api/v2/roles"
	permissionsEndpoint = "GET /api/v2/permissions"
)

// Live is a role as Datadog has it, with what FromAPI needs to write it:
// the organisation's permissions by id, as GET /api/v2/permissions lists
// them once for every role (a role's answer holds only permission ids).
type Live struct {
	Role        datadogV2.Role
	Permissions map[string]datadogV2.Permission
}

// List reads every role of the organisation (GET /api/v2/roles, a page of
// PageSize at a time) and the organisation's permissions (GET
// /api/v2/permissions, one answer: it is not paginated). Each role is
// matched on its name; Datadog's own roles (BuiltinRoles) are Quiet: an
// entry may adopt one, but they are never reported unmanaged, as every
// organisation has them and users refer to them by name.
func List(r *live.Reader) (live.List, error) {
	api := datadogV2.NewRolesApi(r.Client())
	permsResp, _, err := api.ListPermissions(r.Context())
	if err := live.Decoded(permsResp, err); err != nil {
		return live.List{}, live.Wrap(permissionsEndpoint, err)
	}
	perms := map[string]datadogV2.Permission{}
	for _, p := range permsResp.Data {
		if p.Id != nil {
			perms[*p.Id] = p
		}
	}
	roles, err := live.Pages(r, rolesEndpoint, PageSize,
		func(x datadogV2.Role) string { return x.GetId() },
		func(page int) ([]datadogV2.Role, error) {
			resp, _, err := api.ListRoles(r.Context(), *datadogV2.NewListRolesOptionalParameters().
				WithPageSize(PageSize).WithPageNumber(int64(page)))
			return resp.Data, live.Decoded(resp, err)
		})
	if err != nil {
		return live.List{}, err
	}
	out := live.List{Objects: []live.Object{}}
	for _, role := range roles {
		name := role.Attributes.GetName()
		if role.GetId() == "" || name == "" {
			return live.List{}, &live.EndpointError{Endpoint: rolesEndpoint, Err: fmt.Errorf("answered a role without an id or a name (id %q, name %q)", role.GetId(), name)}
		}
		out.Objects = append(out.Objects, live.Object{
			ID: role.GetId(), On: name, Name: name, Key: KeyOf(name),
			Quiet: slices.Contains(BuiltinRoles, name),
			Data:  Live{Role: role, Permissions: perms},
		})
	}
	return out, nil
}

// FromAPI turns a role as List found it into a roles entry that adopts it:
// its name, its permissions by name in Datadog's order,
// defaultPermissionsOptOut, and importId, the role's UUID; what
// FromTerraform writes for the same role.
//
// Datadog does not say whether a role opted out of its default
// (restricted) permissions; the permissions it holds do. A role that has
// opted out holds only the restricted permissions given to it; one that
// has not holds them all. So:
//   - the role holds every restricted permission: it has not opted out, and
//     the restricted ones are left out (it gets them by default, and the
//     stack refuses them without the opt-out);
//   - it holds some but not all: it opted out, and every permission it
//     holds is written, restricted ones included;
//   - it holds none (production's Limited Read Write): it has not opted out,
//     as a role made without the opt-out; should Datadog list a default
//     role's restricted permissions among its permissions, this would be a
//     role that opted out and holds none, which the stack would give them
//     back: check such a role's defaultPermissionsOptOut before adopting it.
//
// A role with a permission id Datadog's permissions do not name, or with
// no permission left to write, cannot be written: the stack's roles list
// at least one permission by name.
func FromAPI(o live.Object) (map[string]any, error) {
	l, ok := o.Data.(Live)
	if !ok {
		return nil, fmt.Errorf("role %q: no role data to write it from (%T)", o.Name, o.Data)
	}
	name := l.Role.Attributes.GetName()
	if name == "" || o.ID == "" {
		return nil, fmt.Errorf("role %q (id %q): Datadog gave it no name or id", name, o.ID)
	}
	if l.Role.Relationships == nil || l.Role.Relationships.Permissions == nil {
		return nil, fmt.Errorf("role %q: Datadog's answer did not list its permissions; write its entry by hand from the role's page in Datadog (Organization Settings, Roles)", name)
	}
	restricted := map[string]bool{}
	for _, p := range l.Permissions {
		if p.Attributes.GetRestricted() && p.Attributes.GetName() != "" {
			restricted[p.Attributes.GetName()] = true
		}
	}
	var held []string
	heldRestricted := 0
	for _, ref := range l.Role.Relationships.Permissions.Data {
		p, known := l.Permissions[ref.GetId()]
		if !known || p.Attributes.GetName() == "" {
			return nil, fmt.Errorf("role %q has the permission id %q, which Datadog's list of permissions does not name; write its permissions by hand", name, ref.GetId())
		}
		n := p.Attributes.GetName()
		if slices.Contains(held, n) {
			continue
		}
		held = append(held, n)
		if restricted[n] {
			heldRestricted++
		}
	}
	optOut := heldRestricted > 0 && heldRestricted < len(restricted)
	perms := []any{}
	for _, n := range held {
		if restricted[n] && !optOut {
			continue
		}
		perms = append(perms, n)
	}
	if len(perms) == 0 {
		return nil, fmt.Errorf("role %q grants no permission besides the ones every role has by default; a role here lists at least one: write it by hand, or leave it to Datadog", name)
	}
	entry := map[string]any{"name": name, "permissions": perms, "defaultPermissionsOptOut": optOut, "importId": o.ID}
	if err := validate(o.Key, entry); err != nil {
		return nil, fmt.Errorf("role %q cannot be written as config: %w", name, err)
	}
	return entry, nil
}

// validate decodes the entry as the stack will, under key: what Decode
// refuses is reported here rather than written.
func validate(key string, entry map[string]any) error {
	_, err := kit.DecodeEntry(key, entry, Decode)
	return err
}
