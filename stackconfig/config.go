package stackconfig

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Config is the decoded, validated stack config.
type Config struct {
	Datadog Datadog
	// Roles are the custom roles managed here, by config key.
	Roles map[string]Role
	// Users are the Datadog users managed here, by config key.
	Users map[string]User
	// Channels are notification handles by config key.
	Channels map[string]string
	// Monitors are the monitors managed here, by config key.
	Monitors map[string]Monitor
	// Synthetics are the synthetics API tests managed here, by config key.
	Synthetics map[string]SyntheticsTest
}

// Datadog holds the explicit provider's settings.
type Datadog struct {
	// APIURL is the Datadog site's API address (`datadog:apiUrl`). Required:
	// without it the provider would fall back to DD_HOST or datadoghq.com and
	// could act on the wrong site.
	APIURL string
	// APIKey and AppKey come from secret config (`datadog:apiKey`,
	// `datadog:appKey`); empty means the provider reads DD_API_KEY and
	// DD_APP_KEY from the environment, and the keys never reach the state.
	APIKey string
	AppKey string
}

// Role is a custom Datadog role managed here.
type Role struct {
	// Name is the role's display name in Datadog. Required, unique.
	Name string
	// Permissions are Datadog permission names (`logs_read_data`), resolved
	// to ids through one getPermissions call. Required, at least one.
	Permissions []string
	// DefaultPermissionsOptOut drops the restricted permissions every role
	// has by default; then restricted permissions may be listed. Default
	// false, always sent explicitly so the provider never sees it unset.
	DefaultPermissionsOptOut bool
	// ImportID adopts an existing Datadog role (its UUID) instead of
	// creating one.
	ImportID string
}

// User is a Datadog user managed here.
type User struct {
	// Email is the login address. Required, unique (case-insensitive).
	Email string
	// Roles are the user's roles, resolved from the config's role entries.
	Roles []RoleRef
	// Disabled keeps the user but blocks the login. Default false.
	Disabled bool
	// Name is the display name; unset leaves it to Datadog.
	Name *string
	// SendUserInvitation; unset leaves the provider's default (send one).
	SendUserInvitation *bool
	// ImportID adopts an existing Datadog user (its UUID).
	ImportID string
}

// RoleRef is one entry of a user's roles: a role managed here (by its config
// key) or a role that exists in Datadog (by its exact name).
type RoleRef struct {
	// Managed is the config key of a role managed here, or "".
	Managed string
	// Datadog is the exact name of a role that exists in Datadog, or "".
	Datadog string
}

func (r RoleRef) String() string {
	if r.Managed != "" {
		return "managed role " + r.Managed
	}
	return "Datadog role " + r.Datadog
}

// BuiltinRoles are the roles every Datadog organisation has.
var BuiltinRoles = []string{"Datadog Admin Role", "Datadog Read Only Role", "Datadog Standard Role"}

// keyPattern is the form of config keys, which become logical names.
var keyPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Load decodes and validates the raw stack config. The error joins every
// problem found, each a *PathError.
func Load(raw Raw) (*Config, error) {
	p := &problems{}
	cfg := &Config{
		Roles: map[string]Role{}, Users: map[string]User{}, Channels: map[string]string{},
		Monitors: map[string]Monitor{}, Synthetics: map[string]SyntheticsTest{},
	}

	for _, k := range sortedKeys(raw.Values) {
		ns, name, found := strings.Cut(k, ":")
		if found && ns == Namespace && !slices.Contains(projectKeys, name) {
			p.add(name, "unknown config key%s; this program reads: %s", didYouMean(name, projectKeys), strings.Join(projectKeys, ", "))
		}
	}

	decodeDatadog(p, raw, &cfg.Datadog)

	rolesRaw, hasRoles := raw.Values[Namespace+":"+KeyRoles]
	if hasRoles {
		decodeRoles(p, rolesRaw, cfg.Roles)
	}
	usersRaw, hasUsers := raw.Values[Namespace+":"+KeyUsers]
	if !hasUsers {
		p.add(KeyUsers, "missing; the stack must manage at least one user (pulumi config set --path 'users.jane-smith.email' jane.smith@example.org)")
	} else {
		decodeUsers(p, usersRaw, cfg)
	}

	if v, ok := raw.Values[Namespace+":"+KeyChannels]; ok {
		decodeChannels(p, v, cfg.Channels)
	}
	if v, ok := raw.Values[Namespace+":"+KeyMonitors]; ok {
		decodeMonitors(p, v, cfg.Channels, cfg.Monitors)
	}
	if v, ok := raw.Values[Namespace+":"+KeySynthetics]; ok {
		decodeSynthetics(p, v, cfg.Channels, cfg.Synthetics)
	}

	uniqueImportIDs(p, KeyRoles, cfg.Roles, func(r Role) string { return r.ImportID })
	uniqueImportIDs(p, KeyUsers, cfg.Users, func(u User) string { return u.ImportID })
	uniqueImportIDs(p, KeyMonitors, cfg.Monitors, func(m Monitor) string { return m.ImportID })
	uniqueImportIDs(p, KeySynthetics, cfg.Synthetics, func(t SyntheticsTest) string { return t.ImportID })

	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return cfg, nil
}

func decodeDatadog(p *problems, raw Raw, out *Datadog) {
	u, ok := raw.Values[KeyAPIURL]
	switch {
	case !ok:
		p.add(KeyAPIURL, "missing; set the Datadog site's API address: pulumi config set datadog:apiUrl https://api.us3.datadoghq.com/")
	default:
		parsed, err := url.Parse(u)
		if err != nil || parsed.Scheme != "https" || parsed.Host == "" {
			p.add(KeyAPIURL, "must be an https:// address such as https://api.us3.datadoghq.com/, got %q", u)
		} else {
			out.APIURL = u
		}
	}
	for _, k := range []struct {
		key string
		out *string
	}{{KeyAPIKey, &out.APIKey}, {KeyAppKey, &out.AppKey}} {
		v, set := raw.Values[k.key]
		if !set {
			continue
		}
		if !raw.Secret[k.key] {
			// The value itself is never echoed: it is a key in plaintext.
			p.add(k.key, "is set in plaintext; a key must be secret: pulumi config set --secret %s, or leave it unset and export %s", k.key, envFor(k.key))
			continue
		}
		if v == "" {
			p.add(k.key, "is empty; set it with pulumi config set --secret %s, or remove it and export %s", k.key, envFor(k.key))
			continue
		}
		*k.out = v
	}
}

func envFor(key string) string {
	if key == KeyAPIKey {
		return "DD_API_KEY"
	}
	return "DD_APP_KEY"
}

func decodeSection(p *problems, key, raw, what string) (map[string]any, bool) {
	v, ok := parseJSON(raw)
	if !ok {
		p.add(key, "must be a map of %s, got the string %q", what, raw)
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		p.add(key, "must be a map of %s, got %s", what, describe(v))
		return nil, false
	}
	return m, true
}

func checkKey(p *problems, path, key string) {
	if !keyPattern.MatchString(key) {
		p.add(path, "key %q must be lowercase letters and digits joined by '-' (for example jane-smith): it becomes the resource's logical name", key)
	}
}

func decodeRoles(p *problems, raw string, out map[string]Role) {
	m, ok := decodeSection(p, KeyRoles, raw, "role key to role ({name, permissions, defaultPermissionsOptOut})")
	if !ok {
		return
	}
	byName := map[string]string{}
	for _, key := range sortedKeys(m) {
		path := KeyRoles + "." + key
		checkKey(p, path, key)
		var r Role
		valid := p.object(path, m[key], "a role ({name, permissions, defaultPermissionsOptOut})", []field{
			{"name", true, func(fp string, v any) {
				p.str(fp, v, &r.Name)
				if _, isStr := v.(string); isStr {
					checkName(p, fp, r.Name)
				}
			}},
			{"permissions", true, func(fp string, v any) {
				p.strList(fp, v, "Datadog permission names", &r.Permissions)
				if _, isList := v.([]any); isList && len(r.Permissions) == 0 {
					p.add(fp, "is empty; list the permission names the role grants (for example logs_read_data)")
				}
				seen := map[string]int{}
				for i, perm := range r.Permissions {
					if j, dup := seen[perm]; dup {
						p.add(fmt.Sprintf("%s[%d]", fp, i), "%q is listed twice (also at [%d])", perm, j)
					}
					seen[perm] = i
				}
			}},
			{"defaultPermissionsOptOut", false, func(fp string, v any) { p.boolean(fp, v, &r.DefaultPermissionsOptOut) }},
			importIDField(p, uuidID, "a1b2c3d4-0000-1111-2222-333344445555", &r.ImportID),
		})
		if !valid {
			continue
		}
		if r.Name != "" {
			folded := strings.ToLower(r.Name)
			if other, dup := byName[folded]; dup {
				p.add(path+".name", "%q is also the name of roles.%s; role names must be unique", r.Name, other)
			}
			byName[folded] = key
			for _, b := range BuiltinRoles {
				if strings.EqualFold(b, r.Name) {
					p.add(path+".name", "%q is the name of a role Datadog manages; choose another name, or refer to %q from users without defining it", r.Name, b)
				}
			}
		}
		out[key] = r
	}
}

func checkName(p *problems, path, name string) {
	switch {
	case strings.TrimSpace(name) == "":
		p.add(path, "is empty; give the role its display name in Datadog")
	case strings.TrimSpace(name) != name:
		p.add(path, "%q has leading or trailing spaces", name)
	}
}

func decodeUsers(p *problems, raw string, cfg *Config) {
	m, ok := decodeSection(p, KeyUsers, raw, "user key to user ({email, roles, disabled, name, sendUserInvitation})")
	if !ok {
		return
	}
	if len(m) == 0 {
		p.add(KeyUsers, "is empty; the stack must manage at least one user")
		return
	}
	refs := newResolver(cfg.Roles)
	byEmail := map[string]string{}
	for _, key := range sortedKeys(m) {
		path := KeyUsers + "." + key
		checkKey(p, path, key)
		var u User
		var roleNames []string
		rolesOK := false
		valid := p.object(path, m[key], "a user ({email, roles, disabled, name, sendUserInvitation})", []field{
			{"email", true, func(fp string, v any) {
				p.str(fp, v, &u.Email)
				if _, isStr := v.(string); isStr {
					checkEmail(p, fp, u.Email)
				}
			}},
			{"roles", true, func(fp string, v any) {
				before := len(p.errs)
				p.strList(fp, v, "role names", &roleNames)
				rolesOK = len(p.errs) == before
			}},
			{"disabled", false, func(fp string, v any) { p.boolean(fp, v, &u.Disabled) }},
			{"name", false, func(fp string, v any) { p.optStr(fp, v, &u.Name) }},
			{"sendUserInvitation", false, func(fp string, v any) { p.optBool(fp, v, &u.SendUserInvitation) }},
			importIDField(p, uuidID, "a1b2c3d4-0000-1111-2222-333344445555", &u.ImportID),
		})
		if !valid {
			continue
		}
		if rolesOK {
			if len(roleNames) == 0 {
				p.add(path+".roles", "is empty; give the user at least one role, for example [\"Datadog Read Only Role\"]")
			}
			seen := map[RoleRef]int{}
			for i, name := range roleNames {
				rp := fmt.Sprintf("%s.roles[%d]", path, i)
				ref, err := refs.resolve(name)
				if err != "" {
					p.add(rp, "%s", err)
					continue
				}
				if j, dup := seen[ref]; dup {
					p.add(rp, "names the same role as roles[%d] (%s)", j, ref)
					continue
				}
				seen[ref] = i
				u.Roles = append(u.Roles, ref)
			}
		}
		if u.Email != "" {
			folded := strings.ToLower(u.Email)
			if other, dup := byEmail[folded]; dup {
				p.add(path+".email", "%q is also the email of users.%s; each Datadog user has one entry", u.Email, other)
			}
			byEmail[folded] = key
		}
		cfg.Users[key] = u
	}
}

func checkEmail(p *problems, path, email string) {
	addr, err := mail.ParseAddress(email)
	_, domain, _ := strings.Cut(email, "@")
	if err != nil || addr.Address != email || addr.Name != "" || !strings.Contains(domain, ".") || strings.ContainsAny(email, " <>") {
		p.add(path, "%q is not an email address; write it bare, as jane.smith@example.org", email)
	}
}
