package program

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// datadogProblems loads the smallest valid config with the provider keys
// given (secret ones marked) and returns the problems at the provider
// keys, by path.
func datadogProblems(t *testing.T, values map[string]string, secret ...string) (map[string]string, *Config) {
	t.Helper()
	r := kit.Raw{
		Values: map[string]string{kit.Namespace + ":users": `{"a": {"email": "a@example.org", "roles": ["Datadog Admin Role"]}}`},
		Secret: map[string]bool{},
	}
	for k, v := range values {
		r.Values[k] = v
	}
	for _, k := range secret {
		r.Secret[k] = true
	}
	cfg, err := Load(r)
	out := map[string]string{}
	if err == nil {
		return out, cfg
	}
	for _, e := range leaves(err) {
		var pe *kit.PathError
		require.True(t, errors.As(e, &pe), "every problem has a path: %v", e)
		require.NotContains(t, out, pe.Path, "one problem a key")
		out[pe.Path] = pe.Msg
	}
	return out, cfg
}

func TestDecodeDatadogAPIURL(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		url  string
		want string // part of the message at datadog:apiUrl; "" for valid
	}{
		"US3":                 {"https://api.us3.datadoghq.com/", ""},
		"EU, no slash":        {"https://api.datadoghq.eu", ""},
		"with a port":         {"https://api.us3.datadoghq.com:443/", ""},
		"password":            {"https://jane:hunter2@api.us3.datadoghq.com/", "holds a user name or password (the part before @)"},
		"user only":           {"https://jane@api.us3.datadoghq.com/", "holds a user name or password"},
		"password, bad port":  {"https://jane:hunter2@api.us3.datadoghq.com:x/", "must be an https:// address such as https://api.us3.datadoghq.com/, got \"https://…@api.us3.datadoghq.com:x/\""},
		"password over http":  {"http://jane:hunter2@api.us3.datadoghq.com/", "holds a user name or password"},
		"port 0":              {"https://api.us3.datadoghq.com:0/", "port 0 is not a port from 1 to 65535"},
		"port 99999":          {"https://api.us3.datadoghq.com:99999/", "port 99999 is not a port from 1 to 65535"},
		"underscore in host":  {"https://api_us3.datadoghq.com/", `host "api_us3.datadoghq.com" is not a host name`},
		"escape":              {"https://api.us3.datadoghq.com/\x1b[2J", `got "https://api.us3.datadoghq.com/\x1b[2J"`},
		"space":               {"https://api.us3.datadoghq.com/ x", "holds a space"},
		"over http (kept)":    {"http://api.us3.datadoghq.com/", `must be an https:// address such as https://api.us3.datadoghq.com/, got "http://api.us3.datadoghq.com/"`},
		"empty host (kept)":   {"https:///v1", "must be an https:// address"},
		"no scheme (kept)":    {"api.us3.datadoghq.com", "must be an https:// address"},
		"a site's look-alike": {"https://api.datadoghq.com.evil.example/", `"https://api.datadoghq.com.evil.example/" is not the API address of a Datadog site: one of https://api.datadoghq.com/, https://api.us3.datadoghq.com/`},
		"another host":        {"https://example.com/", "is not the API address of a Datadog site"},
		"a site, other port":  {"https://api.us3.datadoghq.com:8443/", "is not the API address of a Datadog site"},
		"a site with a path":  {"https://api.us3.datadoghq.com/api/v1", "is not the API address of a Datadog site"},
		"a site, upper case":  {"https://API.US3.DATADOGHQ.COM/", "is not the API address of a Datadog site"},
		"loopback (tests)":    {"https://127.0.0.1:8443/", ""},
		"localhost (tests)":   {"https://localhost:8443/", ""},
		"IPv6 loopback":       {"https://[::1]:8443/", ""},
		"private address":     {"https://10.0.0.1/", "is not the API address of a Datadog site"},
		"scheme in capitals":  {"HTTPS://api.us3.datadoghq.com/", "must be an https:// address"},
		"an empty port":       {"https://api.us3.datadoghq.com:/", "is not the API address of a Datadog site"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, cfg := datadogProblems(t, map[string]string{KeyAPIURL: tc.url})
			if tc.want == "" {
				assert.Empty(t, got)
				require.NotNil(t, cfg)
				assert.Equal(t, tc.url, cfg.Datadog.APIURL)
				return
			}
			require.Equal(t, []string{KeyAPIURL}, kit.SortedKeys(got))
			assert.Contains(t, got[KeyAPIURL], tc.want)
			assert.NotContains(t, got[KeyAPIURL], "hunter2", "a password is never shown")
		})
	}
}

func TestDecodeDatadogEmptySecretKeys(t *testing.T) {
	t.Parallel()
	for _, key := range []string{KeyAPIKey, KeyAppKey} {
		for name, v := range map[string]string{
			"empty":                        "",
			"spaces":                       "  ",
			"secure: \"\" read by ddstack": kit.SecretPlaceholder(""),
		} {
			t.Run(key+" "+name, func(t *testing.T) {
				t.Parallel()
				got, _ := datadogProblems(t, map[string]string{KeyAPIURL: "https://api.us3.datadoghq.com/", key: v}, key)
				require.Equal(t, []string{key}, kit.SortedKeys(got))
				assert.Contains(t, got[key], "is empty; set it with pulumi config set --secret "+key+", or remove it and export DD_")
			})
		}
	}
	got, cfg := datadogProblems(t, map[string]string{KeyAPIURL: "https://api.us3.datadoghq.com/", KeyAPIKey: kit.SecretPlaceholder("AAABAKf0")}, KeyAPIKey)
	assert.Empty(t, got, "a placeholder of a real ciphertext is a set key")
	require.NotNil(t, cfg)
}
