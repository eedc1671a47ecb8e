package webhooks

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// FromTerraform turns the attributes of a Terraform `datadog_webhook`
// (matched on `name`) into a config key and entry that manage the same
// webhook: url, encode_as, the payload parsed back into a structure (the
// variables it holds without quotes, such as $LOGS_SAMPLE, become
// `unquoted`) and the custom headers. A header that carries a credential
// is never copied: it becomes {secret: <name>-<header>-value, prefix,
// suffix}, the prefix being its authorization scheme ("Bearer ") and the
// suffix any trailing spaces, and the secret is left to be set with
// `pulumi config set --secret`. importId is the state's id, the name.
func FromTerraform(attrs map[string]any) (key string, entry map[string]any, err error) {
	name, _ := attrs["name"].(string)
	if name == "" {
		return "", nil, fmt.Errorf("datadog_webhook has no name")
	}
	id, _ := attrs["id"].(string)
	if id == "" {
		return "", nil, fmt.Errorf("datadog_webhook %q has no id", name)
	}
	if id != name {
		return "", nil, fmt.Errorf("datadog_webhook %q has the id %q: a webhook's id is its name", name, id)
	}
	key = kebab(name)
	entry = map[string]any{"importId": id}
	if name != key {
		entry["name"] = name
	}
	if u, _ := attrs["url"].(string); u != "" {
		entry["url"] = u
	} else {
		return "", nil, fmt.Errorf("datadog_webhook %q has no url", name)
	}
	if e, _ := attrs["encode_as"].(string); e != "" {
		entry["encodeAs"] = e
	}

	raw, _ := attrs["payload"].(string)
	if strings.TrimSpace(raw) == "" {
		return "", nil, fmt.Errorf("datadog_webhook %q has no payload (Datadog's default): write the payload it should send", name)
	}
	payload, unquoted, err := ParsePayload(raw)
	if err != nil {
		return "", nil, fmt.Errorf("datadog_webhook %q: payload: %w", name, err)
	}
	entry["payload"] = payload
	if len(unquoted) > 0 {
		list := make([]any, len(unquoted))
		for i, v := range unquoted {
			list[i] = v
		}
		entry["unquoted"] = list
	}

	if raw, _ := attrs["custom_headers"].(string); strings.TrimSpace(raw) != "" {
		var headers map[string]any
		if err := json.Unmarshal([]byte(raw), &headers); err != nil || headers == nil {
			// The headers are not shown: they may hold a credential.
			return "", nil, fmt.Errorf("datadog_webhook %q: custom_headers is not a JSON object of header name to value", name)
		}
		out := map[string]any{}
		for _, h := range kit.SortedKeys(headers) {
			v, isStr := headers[h].(string)
			if !isStr {
				return "", nil, fmt.Errorf("datadog_webhook %q: custom_headers: %s is not a string", name, h)
			}
			if !kit.IsCredential(h) {
				out[h] = v
				continue
			}
			prefix, suffix := around(h, v)
			out[h] = map[string]any{"secret": kebab(name + "-" + h + "-value"), "prefix": prefix, "suffix": suffix}
		}
		entry["headers"] = out
	}

	// The entry must decode to the same webhook: what the config cannot
	// express (an http URL, a header with a line break) is reported here,
	// at the config path it would have.
	if _, err := kit.DecodeEntry(key, entry, Decode); err != nil {
		return "", nil, fmt.Errorf("datadog_webhook %q cannot be managed as it is: %w", name, err)
	}
	return key, entry, nil
}

// around returns what surrounds a credential in a header's value, which is
// not secret: for Authorization and Proxy-Authorization, the scheme and
// the spaces after it ("Bearer "); for any header, the trailing spaces.
func around(header, value string) (prefix, suffix string) {
	rest := strings.TrimRight(value, " \t")
	suffix = value[len(rest):]
	switch strings.ToLower(header) {
	case "authorization", "proxy-authorization":
		if m := scheme.FindString(rest); m != "" && len(m) < len(rest) {
			prefix = m
		}
	}
	return prefix, suffix
}

// scheme is an authorization scheme and the spaces after it.
var scheme = regexp.MustCompile("^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+ +")

// kebab makes a config key of a name: lower case, runs of other characters
// become one '-'.
func kebab(s string) string { return kit.KeyOf(s, "webhook") }

// bareVariable is a Datadog variable written without quotes.
var bareVariable = regexp.MustCompile(`^\$[A-Z][A-Z0-9_]*`)

// ParsePayload parses a payload as Datadog stores it: JSON, except that
// variables Datadog fills with JSON may stand without quotes
// ($LOGS_SAMPLE). Those are found outside the JSON strings, quoted to
// parse, and returned as unquoted, in order of first appearance. A
// variable both bare and a quoted value cannot be written by the config
// (every whole-string value that is an unquoted variable loses its
// quotes), and is an error.
func ParsePayload(raw string) (map[string]any, []string, error) {
	var b strings.Builder
	var unquoted []string
	bare := map[string]bool{}
	quoted := map[string]bool{} // string values that are a variable
	start := -1                 // index of the open string's quote, or -1
	escaped := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case start >= 0:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				content := raw[start+1 : i]
				next := strings.TrimLeft(raw[i+1:], " \t\r\n")
				if variable.MatchString(content) && !strings.HasPrefix(next, ":") {
					quoted[content] = true
				}
				start = -1
			}
		case c == '"':
			start = i
		case c == '$':
			v := bareVariable.FindString(raw[i:])
			if v == "" {
				return nil, nil, fmt.Errorf("a '$' outside a string at byte %d is not a variable such as $LOGS_SAMPLE", i)
			}
			if strings.HasPrefix(strings.TrimLeft(raw[i+len(v):], " \t\r\n"), ":") {
				return nil, nil, fmt.Errorf("%s is a key without quotes at byte %d", v, i)
			}
			if !bare[v] {
				bare[v] = true
				unquoted = append(unquoted, v)
			}
			b.WriteString(`"` + v + `"`)
			i += len(v) - 1
			continue
		}
		b.WriteByte(c)
	}
	var payload map[string]any
	if err := json.Unmarshal([]byte(b.String()), &payload); err != nil {
		return nil, nil, fmt.Errorf("not a JSON object: %w", err)
	}
	if payload == nil {
		return nil, nil, fmt.Errorf("not a JSON object, but null")
	}
	for _, v := range unquoted {
		if quoted[v] {
			return nil, nil, fmt.Errorf("%s is a value both bare and quoted: the config writes every value %s one way", v, v)
		}
	}
	return payload, unquoted, nil
}
