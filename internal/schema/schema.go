// Package schema makes, from the declarations of the config the program
// reads (program.Keys: each section's package declares its own), the JSON
// Schema of the stack file, which editors check as one types (the
// `# yaml-language-server: $schema=...` line of Pulumi.prod.yaml), and
// docs/configuration.md, the reference. `go generate ./...` writes both
// (gen/), and .ci/run fails when either is stale.
package schema

//go:generate go run ./gen

import (
	"bytes"
	"encoding/json"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/program"
)

// ID is the schema's $id: where it lives in the repository.
const ID = "https://github.com/pytorch-fdn/pytorch-datadog/schema/stack.schema.json"

// Stack is the JSON Schema (draft 2020-12) of a stack file: its
// config keys (each section of the project's namespace written with it or
// without, as Pulumi reads both), the secrets provider's fields Pulumi
// writes, and nothing else.
func Stack() map[string]any {
	props := map[string]any{}
	var required []any
	for _, k := range program.Keys() {
		s := k.Spec.JSONSchema()
		props[k.Name] = s
		if short, ok := strings.CutPrefix(k.Name, kit.Namespace+":"); ok {
			props[short] = map[string]any{"$ref": "#/properties/config/properties/" + pointer(k.Name)}
			if k.Spec.Required {
				required = append(required, map[string]any{"anyOf": []any{
					map[string]any{"required": []string{k.Name}}, map[string]any{"required": []string{short}},
				}})
			}
			continue
		}
		if k.Spec.Required {
			required = append(required, map[string]any{"required": []string{k.Name}})
		}
	}
	config := map[string]any{
		"type":                 "object",
		"description":          "The stack's config: the provider's keys, the engine's, and the project's sections (`pytorch-datadog:<section>`). See docs/configuration.md.",
		"properties":           props,
		"additionalProperties": false,
	}
	if len(required) > 0 {
		config["allOf"] = required
	}
	str := func(doc string) map[string]any { return map[string]any{"type": "string", "description": doc} }
	return map[string]any{
		"$schema":     "https://json-schema.org/draft/2020-12/schema",
		"$id":         ID,
		"title":       "pytorch-datadog stack file (Pulumi.<stack>.yaml)",
		"description": "The PyTorch Foundation's Datadog organisation as Pulumi stack config. Generated from the program's declarations by go generate ./internal/schema: edit those, not this file.",
		"type":        "object",
		"properties": map[string]any{
			"config":          config,
			"secretsprovider": str("The stack's secrets provider, as pulumi stack change-secrets-provider writes it."),
			"encryptedkey":    str("The data key of a cloud secrets provider, encrypted; Pulumi writes it."),
			"encryptionsalt":  str("The passphrase secrets provider's salt; Pulumi writes it."),
			"environment":     map[string]any{"description": "Pulumi ESC environments the stack imports."},
		},
		"required":             []string{"config"},
		"additionalProperties": false,
	}
}

// pointer escapes a key for a JSON pointer.
func pointer(key string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(key)
}

// JSON is the schema as the committed file holds it: indented, keys
// sorted, a newline at the end.
func JSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(Stack()); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
