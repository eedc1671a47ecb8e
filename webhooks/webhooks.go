// Package webhooks manages the Datadog webhooks of the stack config
// (`pytorch-datadog:webhooks`): their config, its decoding and validation
// (https URLs, HTTP header names and values, credentials only from
// secrets, payload variables written without quotes), the rendering of
// the payload and the custom headers Datadog stores as strings, and one
// datadog.Webhook per config key. Header values built from a secret of
// `pytorch-datadog:secrets` make the custom headers a secret input, so the
// credential never shows in plaintext in a plan, a diff, a log or the
// state.
package webhooks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Token is the Pulumi type the webhooks register as.
const Token = "datadog:index/webhook:Webhook"

// Handle is the notification handle monitors and tests notify the webhook
// by: @webhook-<name>.
func Handle(w Webhook) string { return "@webhook-" + w.Name }

// SecretNames returns the distinct names of the secrets the webhooks'
// headers use, sorted: the entries of `pytorch-datadog:secrets` the stack
// needs.
func SecretNames(hooks map[string]Webhook) []string {
	set := map[string]bool{}
	for _, w := range hooks {
		for _, h := range w.Headers {
			if h.Secret != "" {
				set[h.Secret] = true
			}
		}
	}
	return kit.SortedKeys(set)
}

// PayloadJSON renders a webhook's payload: JSON with sorted keys, indented
// by two spaces, '<', '>' and '&' left as they are; then every string
// value that is one of the Unquoted variables is written without its
// quotes, for Datadog to fill with JSON. Datadog stores the string as sent
// and the provider compares it as a string, so the rendering must be the
// same from run to run: a different spacing would be a change.
func PayloadJSON(w Webhook) (string, error) {
	unquoted := map[string]bool{}
	for _, v := range w.Unquoted {
		unquoted[v] = true
	}
	var b strings.Builder
	if err := render(&b, w.Payload, "", unquoted); err != nil {
		return "", err
	}
	return b.String(), nil
}

func render(b *strings.Builder, v any, indent string, unquoted map[string]bool) error {
	inner := indent + "  "
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteString("{")
		for i, k := range kit.SortedKeys(x) {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n" + inner + quote(k) + ": ")
			if err := render(b, x[k], inner, unquoted); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
		}
		b.WriteString("\n" + indent + "}")
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteString("[")
		for i, e := range x {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n" + inner)
			if err := render(b, e, inner, unquoted); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
		b.WriteString("\n" + indent + "]")
	case string:
		if unquoted[x] {
			b.WriteString(x)
		} else {
			b.WriteString(quote(x))
		}
	case nil, bool, json.Number, float64, int:
		out, err := json.Marshal(x)
		if err != nil {
			return err
		}
		b.Write(out)
	default:
		return fmt.Errorf("%T is not a JSON value", v)
	}
	return nil
}

// quote writes a JSON string, without escaping '<', '>' and '&'.
func quote(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(buf.String(), "\n")
}

// HeadersJSON renders a webhook's custom headers as Datadog stores them, a
// JSON object of header name to value, each secret header's value being
// its prefix, the secret's value and its suffix; and says whether any
// secret is in it. Every problem is returned at once; no message holds a
// secret's value.
func HeadersJSON(key string, w Webhook, secrets map[string]string) (string, bool, error) {
	values := map[string]string{}
	usesSecret := false
	var errs []error
	for _, name := range kit.SortedKeys(w.Headers) {
		h := w.Headers[name]
		if h.Secret == "" {
			values[name] = h.Value
			continue
		}
		usesSecret = true
		path := fmt.Sprintf("%s.%s.headers.%s", Section, key, name)
		fix := fmt.Sprintf("pulumi config set --secret --path '%s.%s' (the workflows set it from the repository secret %s)", kit.SecretsKey, h.Secret, kit.EnvName(h.Secret))
		s, ok := secrets[h.Secret]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("%s: secret %q is not set: %s", path, h.Secret, fix))
			continue
		case strings.TrimSpace(s) == "":
			errs = append(errs, fmt.Errorf("%s: secret %q is empty: %s", path, h.Secret, fix))
			continue
		case controlAt(s) >= 0:
			errs = append(errs, fmt.Errorf("%s: secret %q holds a line break or another control character (a trailing newline from a file?), which would break the header: set it again without it: %s", path, h.Secret, fix))
			continue
		}
		values[name] = h.Prefix + s + h.Suffix
	}
	if err := errors.Join(errs...); err != nil {
		return "", usesSecret, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(values); err != nil { // a map of strings always encodes
		return "", usesSecret, err
	}
	return strings.TrimSuffix(buf.String(), "\n"), usesSecret, nil
}

// New registers one datadog.Webhook per config key, in sorted key order,
// each named by its key, and returns them by key. secrets holds the values
// of `pytorch-datadog:secrets`; a secret a header names that is missing is
// an error, every one reported before anything is registered.
//
// The custom headers are always sent ("{}" when there are none), so a
// header added in the Datadog UI shows as drift and is removed. When a
// header takes a secret, the custom headers input is a secret; the output
// is marked secret in every case, so that a credential added in the UI
// does not land in the state in plaintext either. The payload, URL, name
// and encoding stay readable.
func New(ctx *pulumi.Context, hooks map[string]Webhook, secrets map[string]string, provider pulumi.ResourceOrInvokeOption) (map[string]*datadog.Webhook, error) {
	args := map[string]*datadog.WebhookArgs{}
	var errs []error
	for _, key := range kit.SortedKeys(hooks) {
		w := hooks[key]
		payload, err := PayloadJSON(w)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s.%s.payload: %w", Section, key, err))
		}
		headers, secret, err := HeadersJSON(key, w, secrets)
		if err != nil {
			errs = append(errs, err)
		}
		if len(errs) > 0 {
			continue
		}
		var customHeaders pulumi.StringPtrInput = pulumi.String(headers)
		if secret {
			customHeaders = pulumi.ToSecret(pulumi.String(headers)).(pulumi.StringOutput)
		}
		encodeAs := w.EncodeAs
		if encodeAs == "" {
			encodeAs = JSON
		}
		args[key] = &datadog.WebhookArgs{
			Name:          pulumi.String(w.Name),
			Url:           pulumi.String(w.URL),
			EncodeAs:      pulumi.String(encodeAs),
			Payload:       pulumi.String(payload),
			CustomHeaders: customHeaders,
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	out := map[string]*datadog.Webhook{}
	for _, key := range kit.SortedKeys(args) {
		opts := kit.WithImport(hooks[key].ImportID, provider, pulumi.AdditionalSecretOutputs([]string{"customHeaders"}))
		hook, err := datadog.NewWebhook(ctx, key, args[key], opts...)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", Section, key, err)
		}
		out[key] = hook
	}
	return out, nil
}
