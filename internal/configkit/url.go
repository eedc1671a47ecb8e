package configkit

import (
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// URLRule says which URLs a config field takes, and how its messages help.
type URLRule struct {
	// Schemes are the schemes allowed, such as https, or http and https.
	Schemes []string
	// Example is an address of the right form, shown in messages.
	Example string
	// Why, if set, says why the other schemes are refused ("the payload
	// must travel encrypted").
	Why string
	// Secret says where a credential goes instead of the URL's
	// user:password part or query ("a header whose value is a secret").
	Secret string
	// Variables, if set, are the references a URL may hold, each standing
	// for a value filled in later (a synthetics test's {{ NAME }}): a
	// query parameter whose value is one carries no credential here.
	Variables *regexp.Regexp
}

// hostProfile checks host names as a resolver looks them up (UTS #46 with
// IDNA2008's rules, the bidi rule, letters, digits and hyphens only, DNS
// lengths), so that a Unicode name and its punycode form are one name.
var hostProfile = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.VerifyDNSLength(true),
	idna.StrictDomainName(true),
	idna.Transitional(false),
)

// ASCIIHost returns a host name in the form DNS looks it up (punycode,
// lower case), or an error saying why it is not a host name. It rejects
// invisible characters itself: the IDNA mapping would drop some (U+200B)
// silently.
func ASCIIHost(host string) (string, error) {
	if r, at, found := FirstUnsafe(host, false); found {
		return "", fmt.Errorf("%s", UnsafeMessage(r, at, false))
	}
	if host == "" {
		return "", fmt.Errorf("is empty")
	}
	name := strings.TrimSuffix(host, ".")
	a, err := hostProfile.ToASCII(name)
	if err != nil {
		return "", fmt.Errorf("is not a host name: %s", strings.TrimPrefix(err.Error(), "idna: "))
	}
	return strings.ToLower(a), nil
}

// HostProblem says why host (a bare name or an IP address, as a URL's
// Hostname gives it) is not a host Datadog can reach, or is "".
func HostProblem(host string) string {
	if _, err := netip.ParseAddr(host); err == nil {
		return ""
	}
	if _, err := ASCIIHost(host); err != nil {
		return fmt.Sprintf("host %q %v", host, err)
	}
	return ""
}

// URL checks an address: one line of printable text that parses as a URL,
// with an allowed scheme, a host that is a valid host name or IP address,
// a port (if any) from 1 to 65535, and no user:password part, which would
// be a credential in plain config. The messages never show a
// user:password part. It returns the parsed URL, or nil after reporting
// the one problem found.
func (p *Problems) URL(path, s string, rule URLRule) *url.URL {
	if name, found := CredentialQuery(s, rule.Variables); found {
		p.Add(path, "query parameter %q carries a credential in plaintext, which shows in the stack file and in plans: remove it and use a secret instead%s", name, secretHint(rule))
		return nil
	}
	if rule.Variables != nil {
		s = rule.Variables.ReplaceAllString(s, "var")
	}
	shown := RedactURL(s)
	schemes := strings.Join(rule.Schemes, ":// or ") + "://"
	if strings.TrimSpace(s) == "" {
		p.Add(path, "is empty; write an address such as %s", rule.Example)
		return nil
	}
	if r, at, found := FirstUnsafe(s, false); found {
		p.Add(path, "%s", UnsafeMessage(r, at, false))
		return nil
	}
	if i := strings.IndexAny(s, " \u00a0"); i >= 0 {
		p.Add(path, "%q holds a space at byte %d; a URL has none: remove it, or write it as %%20", shown, i)
		return nil
	}
	u, err := url.Parse(s)
	if err != nil {
		msg := err.Error()
		if ue, ok := err.(*url.Error); ok {
			msg = ue.Err.Error()
		}
		p.Add(path, "%q is not a URL such as %s: %s", shown, rule.Example, RedactURL(msg))
		return nil
	}
	switch {
	case u.Scheme == "":
		p.Add(path, "%q has no scheme; write it as %s, such as %s", shown, schemes, rule.Example)
		return nil
	case !slices.Contains(rule.Schemes, strings.ToLower(u.Scheme)):
		why := ""
		if rule.Why != "" {
			why = ": " + rule.Why
		}
		p.Add(path, "%q must be an %s URL%s", shown, strings.Join(rule.Schemes, " or "), why)
		return nil
	case u.Opaque != "":
		p.Add(path, "%q has no host; write it as %s, such as %s", shown, schemes, rule.Example)
		return nil
	case u.User != nil:
		p.Add(path, "holds a user name or password (the part before @); a credential in plain config shows in the stack file and in plans: remove it and use a secret instead%s", secretHint(rule))
		return nil
	case u.Hostname() == "":
		p.Add(path, "%q has no host; write it as %s, such as %s", shown, schemes, rule.Example)
		return nil
	}
	if problem := HostProblem(u.Hostname()); problem != "" {
		p.Add(path, "%q: %s", shown, problem)
		return nil
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			p.Add(path, "%q: port %s is not a port from 1 to 65535; remove it to use the scheme's", shown, port)
			return nil
		}
	}
	return u
}

func secretHint(rule URLRule) string {
	if rule.Secret == "" {
		return ""
	}
	return ": " + rule.Secret
}

// CredentialQuery finds a query parameter of a URL (parsed or not) whose
// name says it carries a credential (IsCredential: token, api_key,
// password, ...) and whose value is not empty nor wholly one of
// variables. Parameters are split at '&' and at ';', which some servers
// take as '&' too.
func CredentialQuery(s string, variables *regexp.Regexp) (string, bool) {
	_, query, found := strings.Cut(s, "?")
	if !found {
		return "", false
	}
	query, _, _ = strings.Cut(query, "#")
	for _, param := range strings.FieldsFunc(query, func(r rune) bool { return r == '&' || r == ';' }) {
		name, value, _ := strings.Cut(param, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		name = strings.TrimSuffix(strings.TrimSpace(name), "[]")
		if !IsCredential(name) || value == "" {
			continue
		}
		if variables != nil {
			if loc := variables.FindStringIndex(value); loc != nil && loc[0] == 0 && loc[1] == len(value) {
				continue
			}
		}
		return name, true
	}
	return "", false
}

// queryParam is one name=value of a URL's query, in text.
var queryParam = regexp.MustCompile(`([?&;])([^=&;#\s"?]*)=([^&;#\s"]*)`)

// RedactURL hides the user:password part of any URL in s, so that a
// message can show the URL: https://user:pass@host becomes
// https://…@host.
func RedactURL(s string) string {
	return queryParam.ReplaceAllStringFunc(redactUserinfo(s), func(m string) string {
		sub := queryParam.FindStringSubmatch(m)
		name := sub[2]
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if !IsCredential(strings.TrimSuffix(name, "[]")) {
			return m
		}
		return sub[1] + sub[2] + "=…"
	})
}

func redactUserinfo(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "://")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+3])
		s = s[i+3:]
		end := strings.IndexAny(s, "/?#\"")
		if end < 0 {
			end = len(s)
		}
		if at := strings.LastIndex(s[:end], "@"); at >= 0 {
			b.WriteString("…")
			s = s[at:]
		}
	}
}
