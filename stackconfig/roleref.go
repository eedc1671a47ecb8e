package stackconfig

import (
	"fmt"
	"slices"
	"strings"
)

// resolver turns an entry of a user's roles into a RoleRef: a managed role by
// its key or its name, a built-in Datadog role by its exact name, or another
// role that exists in Datadog by a name that cannot be a typo of any of
// those.
type resolver struct {
	byKey  map[string]string // key -> key
	byName map[string]string // name -> key
	known  []string          // every key, managed name and built-in name
}

func newResolver(roles map[string]Role) *resolver {
	r := &resolver{byKey: map[string]string{}, byName: map[string]string{}}
	for _, key := range sortedKeys(roles) {
		r.byKey[key] = key
		r.known = append(r.known, key)
		if name := roles[key].Name; name != "" {
			r.byName[name] = key
			r.known = append(r.known, name)
		}
	}
	r.known = append(r.known, BuiltinRoles...)
	return r
}

// resolve returns the reference, or a message saying why the entry names no
// role.
func (r *resolver) resolve(name string) (RoleRef, string) {
	switch {
	case strings.TrimSpace(name) == "":
		return RoleRef{}, "is empty; name a role managed here (its key or name) or an existing Datadog role such as \"Datadog Read Only Role\""
	case strings.TrimSpace(name) != name:
		return RoleRef{}, fmt.Sprintf("%q has leading or trailing spaces", name)
	}
	if key, ok := r.byKey[name]; ok {
		return RoleRef{Managed: key}, ""
	}
	if key, ok := r.byName[name]; ok {
		return RoleRef{Managed: key}, ""
	}
	if slices.Contains(BuiltinRoles, name) {
		return RoleRef{Datadog: name}, ""
	}
	if close := Closest(name, r.known, 1); len(close) > 0 {
		return RoleRef{}, fmt.Sprintf("no managed role or Datadog role named %q (did you mean %q?)", name, close[0])
	}
	if keyPattern.MatchString(name) {
		// Datadog role names are display names ("Datadog Read Only Role");
		// a bare lowercase word is almost always a mistyped or missing key.
		return RoleRef{}, fmt.Sprintf("no managed role with key %q; managed roles: %s; a Datadog role is named by its exact display name, such as %q",
			name, r.managedList(), BuiltinRoles[1])
	}
	return RoleRef{Datadog: name}, ""
}

func (r *resolver) managedList() string {
	if len(r.byKey) == 0 {
		return "none"
	}
	return strings.Join(sortedKeys(r.byKey), ", ")
}
