package webhooks

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Section is the config key of the webhooks: `pytorch-datadog:webhooks`.
const Section = "webhooks"

// namePattern is the form of a webhook's name: the characters a Datadog
// handle takes (`@webhook-<name>`).
var namePattern = regexp.MustCompile(`^[A-Za-z0-9_.\-]+$`)

// ImportID is the form of a webhook's import id: Terraform's and Datadog's
// id of a webhook is its name.
var ImportID = kit.IDForm{Pattern: namePattern, Example: "lf-incident-io"}

// Encodings are the ways Datadog sends the payload.
const (
	JSON = "json"
	Form = "form"
)

var encodings = []string{JSON, Form}

// Webhook is a Datadog webhook managed here: what Datadog sends (the
// payload, a template of Datadog variables), where, and with which headers.
type Webhook struct {
	// Name is the webhook's name; monitors notify it as @webhook-<name>.
	// Default: the config key. Unique.
	Name string
	// URL is where Datadog posts: https, with a host, no user:password.
	URL string
	// EncodeAs is json (default: Datadog's, and production's) or form.
	EncodeAs string
	// Headers are the custom headers by name: plain values, or values
	// built around a secret of the `secrets` config key.
	Headers map[string]Header
	// Payload is the body template, as configured (a JSON object; numbers
	// as json.Number). Its strings hold Datadog variables such as
	// $ALERT_TRANSITION. PayloadJSON renders it.
	Payload map[string]any
	// Unquoted are the variables Datadog fills with JSON ($LOGS_SAMPLE):
	// wherever one is a whole string value of the payload, it is written
	// without its quotes.
	Unquoted []string
	// ImportID adopts an existing Datadog webhook (its name).
	ImportID string
}

// Header is one custom header's value: Value as written, or, when Secret
// is set, Prefix + the secret's value + Suffix.
type Header struct {
	// Value is a plain value, used when Secret is "".
	Value string
	// Secret is the name of an entry of the `secrets` config key.
	Secret string
	// Prefix and Suffix surround the secret: "Bearer ".
	Prefix, Suffix string
}

var (
	// variable is a Datadog template variable: $LOGS_SAMPLE.
	variable = regexp.MustCompile(`^\$[A-Z][A-Z0-9_]*$`)
)

// notes are what the reference says of the section beyond its fields.
//
//go:embed notes.md
var notes string

// Spec declares the webhooks section: the decoder, the stack file's JSON
// Schema and the reference (docs/configuration.md) are made from it.
var Spec = &kit.Spec{
	Notes: notes,
	Title: "Webhooks", Kind: kit.Map, KeyPattern: kit.KeyPattern, Default: map[string]any{},
	Doc: "Datadog webhooks by key; the key is the webhook's logical name, and a notification channel that monitors and tests list under `notify` (its handle: `@webhook-<name>`).",
	Values: &kit.Spec{Title: "a webhook", Kind: kit.Object, Fields: []*kit.Spec{
		{Name: "name", Kind: kit.String, Pattern: namePattern.String(), PatternDoc: "letters, digits, '_', '-' and '.'", DefaultDoc: "the key",
			Doc: "The webhook's name; monitors notify it as `@webhook-<name>`. Unique."},
		{Name: "url", Kind: kit.String, Required: true, Pattern: kit.URLPattern("https"), PatternDoc: "an https:// address",
			Doc: "Where Datadog posts: https, with a host, no user:password part (a credential goes in a header whose value is a secret)."},
		{Name: "encodeAs", Kind: kit.String, Enum: encodings, Default: JSON,
			Doc: "How Datadog sends the payload."},
		{Name: "headers", Kind: kit.Map, Default: map[string]any{}, KeyPattern: `^[!#$%&'*+\-.^_` + "`" + `|~0-9A-Za-z]+$`,
			Values: &kit.Spec{AnyOf: []*kit.Spec{
				{Kind: kit.String, Title: "a plain value"},
				{Kind: kit.Object, Title: "a header value around a secret", Fields: []*kit.Spec{
					{Name: "secret", Kind: kit.String, Required: true, Pattern: kit.KeyPattern, PatternDoc: "a key of secrets", Doc: "The name of a secret under `secrets`."},
					{Name: "prefix", Kind: kit.String, Default: "", Doc: "Written before the secret (`\"Bearer \"`)."},
					{Name: "suffix", Kind: kit.String, Default: "", Doc: "Written after it."},
				}},
			}},
			Doc: "Custom headers by name: a plain value, or `{secret, prefix, suffix}` for one that carries a credential (a credential header in plain text is an error)."},
		{Name: "payload", Kind: kit.Object, Required: true,
			Doc: "The JSON object Datadog sends, its values Datadog variables such as `$ALERT_TRANSITION`. Required: left unset, an edit in the UI would never show as drift."},
		{Name: "unquoted", Kind: kit.List, Unique: true, Default: []any{}, Items: &kit.Spec{Kind: kit.String, Pattern: variable.String(), PatternDoc: "a Datadog variable such as $LOGS_SAMPLE"},
			Doc: "The variables Datadog fills with JSON (`$LOGS_SAMPLE`): where one is a whole string value of the payload, it is written without its quotes."},
		ImportID.Spec("the webhook's name"),
	}},
}

// Decode decodes and validates the webhooks section, reporting every
// problem to p. Headers only name their secrets: the secrets' values are
// checked by New (the repository's stack file does not hold them; the
// workflows set them). An absent section is no webhooks.
func Decode(p *kit.Problems, raw string, present bool) map[string]Webhook {
	out := map[string]Webhook{}
	names := map[string]string{}
	for _, e := range p.Entries(Section, raw, present, "webhook key to "+Spec.Values.Describe()) {
		key, path := e.Key, e.Path
		w := Webhook{Name: key, EncodeAs: JSON, Headers: map[string]Header{}}
		var payloadOK, unquotedOK bool
		fields := []kit.Field{
			{Name: "name", Decode: func(fp string, v any) {
				if p.String(fp, v, &w.Name) && !namePattern.MatchString(w.Name) {
					p.Add(fp, "%q is not a webhook name: letters, digits, '_', '-' and '.' only, as monitors notify it as @webhook-<name>", w.Name)
				}
			}},
			{Name: "url", Decode: func(fp string, v any) {
				if p.String(fp, v, &w.URL) {
					checkURL(p, fp, w.URL)
				}
			}},
			{Name: "encodeAs", Decode: func(fp string, v any) { p.Enum(fp, v, encodings, &w.EncodeAs) }},
			{Name: "headers", Decode: func(fp string, v any) { w.Headers = decodeHeaders(p, fp, v) }},
			// The payload is required: left unset, Datadog sends its default
			// payload and the provider takes whatever Datadog holds, so an
			// edit in the UI would never show as drift.
			{Name: "payload", Decode: func(fp string, v any) {
				pm, isMap := v.(map[string]any)
				if !isMap {
					p.Add(fp, "must be a map (the JSON object Datadog sends, its values Datadog variables such as $ALERT_TRANSITION), got %s", kit.Describe(v))
					return
				}
				w.Payload, payloadOK = pm, true
			}},
			{Name: "unquoted", Decode: func(fp string, v any) {
				unquotedOK = p.StringList(fp, v, "Datadog variables such as $LOGS_SAMPLE", &w.Unquoted)
			}},
			ImportID.Field(p, &w.ImportID),
		}
		if !p.Object(path, e.Value, Spec.Values, fields) {
			continue
		}
		if unquotedOK {
			checkUnquoted(p, path+".unquoted", w, payloadOK)
		}
		if w.ImportID != w.Name && namePattern.MatchString(w.ImportID) && namePattern.MatchString(w.Name) {
			p.Add(path+".importId", "%q is not the webhook's name %q: a webhook's id is its name, and adopting it under another name would rename it, so that monitors notifying @webhook-%s stop reaching it; adopt it under its name, then rename", w.ImportID, w.Name, w.ImportID)
		}
		if other, dup := names[w.Name]; dup {
			p.Add(path+".name", "%q is also the name of webhooks.%s; webhook names must be unique", w.Name, other)
		} else {
			names[w.Name] = key
		}
		out[key] = w
	}
	return out
}

// checkURL checks the address Datadog posts to: https, so that the payload
// and the headers' credentials travel encrypted; a valid host and port;
// and no user:password part, which would be a credential in plain config
// (kit.URL).
func checkURL(p *kit.Problems, path, s string) {
	p.URL(path, s, urlRule)
}

var urlRule = kit.URLRule{
	Schemes: []string{"https"},
	Example: "https://api.incident.io/v2/alert_events/datadog/<id>",
	Why:     "the payload and the headers' credentials must travel encrypted",
	Secret:  `send it in a header whose value is a secret: headers: {Authorization: {secret: NAME, prefix: "Basic "}}`,
}

// decodeHeaders decodes the headers: a map of header name to a plain value
// or {secret, prefix, suffix}. Values are never quoted in messages: a
// header may hold a credential.
func decodeHeaders(p *kit.Problems, path string, v any) map[string]Header {
	out := map[string]Header{}
	m, ok := v.(map[string]any)
	if !ok {
		p.Add(path, "must be a map of header name to value or {secret, prefix, suffix}, got %s", kit.Describe(v))
		return out
	}
	seen := map[string]string{}
	for _, name := range kit.SortedKeys(m) {
		hp := path + "." + name
		if !kit.IsHeaderName(name) {
			p.Add(hp, "%q is not an HTTP header name: letters, digits and !#$%%&'*+-.^_`|~ only, no spaces, colons or line breaks", name)
			continue
		}
		folded := strings.ToLower(name)
		if other, dup := seen[folded]; dup {
			p.Add(hp, "is the same header as %s: header names are case-insensitive", other)
			continue
		}
		seen[folded] = name
		var h Header
		switch x := m[name].(type) {
		case string:
			if kit.IsCredential(name) {
				p.Add(hp, "carries a credential, which a plain string would put in the stack file and in plans in plaintext; write {secret: NAME, prefix: \"Bearer \"} and set it with pulumi config set --secret --path '%s.NAME' <value>", kit.SecretsKey)
				continue
			}
			if !checkValue(p, hp, x) {
				continue
			}
			h.Value = x
		case map[string]any:
			before := p.Len()
			p.Object(hp, x, Spec.Values.Field("headers").Values.AnyOf[1], []kit.Field{
				{Name: "secret", Decode: func(fp string, v any) {
					if p.String(fp, v, &h.Secret) && !kit.IsKey(h.Secret) {
						p.Add(fp, "%q is not a secret name: lowercase letters and digits joined by '-' (incident-io-bearer), the key under %s", h.Secret, kit.SecretsKey)
					}
				}},
				{Name: "prefix", Decode: func(fp string, v any) {
					if p.String(fp, v, &h.Prefix) {
						checkValue(p, fp, h.Prefix)
					}
				}},
				{Name: "suffix", Decode: func(fp string, v any) {
					if p.String(fp, v, &h.Suffix) {
						checkValue(p, fp, h.Suffix)
					}
				}},
			})
			if p.Len() != before {
				continue
			}
		default:
			p.Add(hp, "must be a string or {secret, prefix, suffix}, got %s", kit.Describe(x))
			continue
		}
		out[name] = h
	}
	return out
}

// checkValue reports a header value (or part) holding a line break or
// another control character: a line break would end the header and start
// another. The value is not shown, as it may be a credential.
func checkValue(p *kit.Problems, path, s string) bool {
	if i := controlAt(s); i >= 0 {
		p.Add(path, "holds a control character (%q at byte %d); a header value is one line", s[i], i)
		return false
	}
	return true
}

// controlAt is the index of the first control character of s other than
// a tab, or -1.
func controlAt(s string) int {
	return strings.IndexFunc(s, func(r rune) bool { return (r < 0x20 && r != '\t') || r == 0x7f })
}

// checkUnquoted checks that each unquoted entry is a Datadog variable that
// is a whole string value somewhere in the payload.
func checkUnquoted(p *kit.Problems, path string, w Webhook, payloadOK bool) {
	values := map[string]bool{}
	if payloadOK {
		stringValues(w.Payload, values)
	}
	seen := map[string]int{}
	for i, s := range w.Unquoted {
		ip := fmt.Sprintf("%s[%d]", path, i)
		if j, dup := seen[s]; dup {
			p.Add(ip, "%q is listed twice (also at [%d])", s, j)
			continue
		}
		seen[s] = i
		if !variable.MatchString(s) {
			p.Add(ip, "%q is not a Datadog variable such as $LOGS_SAMPLE: a '$' then upper-case letters, digits and '_'", s)
			continue
		}
		if payloadOK && !values[s] {
			candidates := []string{}
			for v := range values {
				if variable.MatchString(v) {
					candidates = append(candidates, v)
				}
			}
			slices.Sort(candidates)
			p.Add(ip, "%q is not a whole string value of the payload, so there is nothing to write without quotes%s", s, kit.DidYouMean(s, candidates))
		}
	}
}

// stringValues collects the string values (not keys) of a payload.
func stringValues(v any, out map[string]bool) {
	switch x := v.(type) {
	case string:
		out[x] = true
	case map[string]any:
		for _, e := range x {
			stringValues(e, out)
		}
	case []any:
		for _, e := range x {
			stringValues(e, out)
		}
	}
}
