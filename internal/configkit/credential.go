package configkit

import (
	"regexp"
	"strings"
)

// IsCredential says whether a header's or query parameter's name says it
// carries a credential (one rule for synthetics tests and webhooks): Authorization, Proxy-Authorization, Cookie, and
// names ending in api-key, apikey, token, secret or password (any case,
// '_' as '-'). Such a value must come from a secret.
func IsCredential(name string) bool {
	n := strings.ReplaceAll(strings.ToLower(name), "_", "-")
	switch n {
	case "authorization", "proxy-authorization", "cookie", "key", "sig", "signature":
		return true
	}
	for _, suffix := range []string{"api-key", "apikey", "token", "secret", "password", "passwd"} {
		if strings.HasSuffix(n, suffix) {
			return true
		}
	}
	return false
}

// headerName is an HTTP field name: a token (RFC 9110, 5.6.2).
var headerName = regexp.MustCompile("^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$")

// IsHeaderName says whether name is an HTTP header name: letters, digits
// and !#$%&'*+-.^_`|~, no spaces, colons or line breaks.
func IsHeaderName(name string) bool { return headerName.MatchString(name) }
