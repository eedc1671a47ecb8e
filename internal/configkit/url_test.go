package configkit_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

func TestURL(t *testing.T) {
	t.Parallel()
	web := kit.URLRule{Schemes: []string{"http", "https"}, Example: "https://pytorch.org"}
	secure := kit.URLRule{Schemes: []string{"https"}, Example: "https://example.org/hook", Why: "it carries a credential", Secret: "a header from secrets"}
	tests := map[string]struct {
		url  string
		rule kit.URLRule
		// want is part of the message; "" for a valid URL.
		want string
	}{
		"https":                   {"https://pytorch.org", web, ""},
		"http":                    {"http://pytorch.org/x?y=1#z", web, ""},
		"path, query and port":    {"https://hud.pytorch.org:8443/api?parameters=%7B%7D", web, ""},
		"port 65535":              {"https://example.org:65535/", web, ""},
		"IPv4":                    {"https://192.0.2.1/", web, ""},
		"IPv6":                    {"https://[2001:db8::1]:443/", web, ""},
		"IDN host":                {"https://bücher.example/", web, ""},
		"punycode host":           {"https://xn--bcher-kva.example/", web, ""},
		"trailing dot":            {"https://pytorch.org./", web, ""},
		"upper-case scheme":       {"HTTPS://pytorch.org", web, ""},
		"empty":                   {"", web, "is empty; write an address such as https://pytorch.org"},
		"only spaces":             {"  ", web, "is empty"},
		"no scheme":               {"pytorch.org/docs", web, `"pytorch.org/docs" has no scheme; write it as http:// or https://, such as https://pytorch.org`},
		"ftp":                     {"ftp://pytorch.org", web, `"ftp://pytorch.org" must be an http or https URL`},
		"javascript":              {"javascript:alert(1)", web, "must be an http or https URL"},
		"http where https only":   {"http://example.org/hook", secure, `"http://example.org/hook" must be an https URL: it carries a credential`},
		"empty host":              {"https:///path", web, `"https:///path" has no host`},
		"only a scheme":           {"https://", web, "has no host"},
		"opaque":                  {"https:pytorch.org", web, "has no host"},
		"port 0":                  {"https://pytorch.org:0/", web, `"https://pytorch.org:0/": port 0 is not a port from 1 to 65535`},
		"port 99999":              {"https://pytorch.org:99999/", web, "port 99999 is not a port from 1 to 65535"},
		"port not a number":       {"https://pytorch.org:https/", web, `is not a URL such as https://pytorch.org: invalid port ":https" after host`},
		"underscore in host":      {"https://py_torch.org/", web, `host "py_torch.org" is not a host name: disallowed rune U+005F`},
		"angle bracket in host":   {"https://py<torch.org/", web, `host "py<torch.org" is not a host name`},
		"empty label":             {"https://pytorch..org/", web, "is not a host name"},
		"leading hyphen":          {"https://-pytorch.org/", web, "is not a host name"},
		"bad punycode":            {"https://xn--zz.org/", web, "is not a host name"},
		"space":                   {"https://pytorch.org/a b", web, `holds a space at byte 21; a URL has none`},
		"line feed":               {"https://pytorch.org/\nX-Injected: 1", web, "holds a line break or tab (U+000A LINE FEED) at byte 20"},
		"escape":                  {"https://pytorch.org/\x1b[2J", web, "U+001B ESCAPE"},
		"zero-width space":        {"https://pytorch\u200b.org/", web, "U+200B ZERO WIDTH SPACE"},
		"bad escape":              {"https://pytorch.org/%zz", web, `invalid URL escape "%zz"`},
		"user and password":       {"https://jane:hunter2@example.org/hook", secure, "holds a user name or password (the part before @); a credential in plain config shows in the stack file and in plans: remove it and use a secret instead: a header from secrets"},
		"user only":               {"https://jane@pytorch.org/", web, "holds a user name or password"},
		"password and bad scheme": {"ftp://jane:hunter2@pytorch.org/", web, `"ftp://…@pytorch.org/" must be an http or https URL`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := &kit.Problems{}
			u := p.URL("x.url", tc.url, tc.rule)
			got := problems(t, p)
			if tc.want == "" {
				assert.Empty(t, got)
				assert.NotNil(t, u)
				return
			}
			assert.Nil(t, u)
			require.Equal(t, []string{"x.url"}, kit.SortedKeys(got), "one problem, at the field")
			assert.Contains(t, got["x.url"], tc.want)
			assert.NotContains(t, got["x.url"], "hunter2", "a password is never shown")
		})
	}
}

func TestRedactURL(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "https://…@example.org/a@b", kit.RedactURL("https://u:p@example.org/a@b"))
	assert.Equal(t, `parse "https://…@h:x/": invalid port`, kit.RedactURL(`parse "https://u:p@h:x/": invalid port`))
	assert.Equal(t, "https://example.org/", kit.RedactURL("https://example.org/"))
	assert.Equal(t, "no url", kit.RedactURL("no url"))
}

func TestASCIIHost(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Bücher.Example":        "xn--bcher-kva.example",
		"xn--bcher-kva.example": "xn--bcher-kva.example",
		"PyTorch.org":           "pytorch.org",
		"pytorch.org.":          "pytorch.org",
	} {
		got, err := kit.ASCIIHost(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "a b.org", "exa\u200bmple.org", "a..org", "ex_ample.org"} {
		_, err := kit.ASCIIHost(in)
		assert.Error(t, err, "%q", in)
	}
}

// A credential in a URL's query is an error whatever else is wrong with
// the URL, and no message shows it.
func TestURLCredentialsNeverShow(t *testing.T) {
	t.Parallel()
	vars := regexp.MustCompile(`\{\{\s*[A-Z_]+\s*\}\}`)
	tests := map[string]struct {
		url, want string
	}{
		"semicolon separated":   {"https://x.org/?password=SEKRIT07;x=1", `query parameter "password"`},
		"after a semicolon":     {"https://x.org/?x=1;token=SEKRIT08", `query parameter "token"`},
		"bad escape":            {"https://x.org/?token=SEKRIT04%zz", `query parameter "token"`},
		"array form":            {"https://x.org/?token[]=SEKRIT12", `query parameter "token"`},
		"with a space":          {"https://x.org/?token=SEKRIT 01", `query parameter "token"`},
		"ftp":                   {"ftp://x.org/?token=SEKRIT02", `query parameter "token"`},
		"bad port":              {"https://x.org:99999/?api_key=SEKRIT03", `query parameter "api_key"`},
		"password before space": {"https://u:SEKRIT07 @x.org/", "holds a space"},
		"bad host and password": {"https://u:SEKRIT07@[::1/", "is not a URL"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := &kit.Problems{}
			assert.Nil(t, p.URL("u", tc.url, kit.URLRule{Schemes: []string{"https"}, Example: "https://example.org"}))
			require.Error(t, p.Err())
			assert.Contains(t, p.Err().Error(), tc.want)
			assert.NotContains(t, p.Err().Error(), "SEKRIT")
		})
	}
	p := &kit.Problems{}
	assert.NotNil(t, p.URL("u", "https://x.org/?token={{ HUD_TOKEN }}&page=2", kit.URLRule{Schemes: []string{"https"}, Variables: vars}),
		"a reference to a secret carries none: %v", p.Err())
}
