package configkit

import "slices"

// JSONSchema is the value's JSON Schema (draft 2020-12), as editors read
// it: its kind, bounds, enum, pattern, fields (unknown ones refused, as the
// decoder refuses them), rules, its meaning as the description and its
// default. What only the decoder can tell (a role that exists, a channel a
// monitor notifies, two entries with one name) the schema leaves to it: it
// refuses nothing the decoder accepts.
func (s *Spec) JSONSchema() map[string]any {
	out := map[string]any{}
	if s.Doc != "" {
		out["description"] = s.Doc
		out["markdownDescription"] = s.Doc
	}
	if s.Default != nil {
		out["default"] = s.Default
	}
	switch s.Kind {
	case String:
		out["type"] = "string"
		if len(s.Enum) > 0 {
			out["enum"] = slices.Clone(s.Enum)
		}
		if s.Pattern != "" {
			out["pattern"] = s.Pattern
		}
		if s.MinLength > 0 {
			out["minLength"] = s.MinLength
		}
	case Bool:
		out["type"] = "boolean"
	case Integer, Number:
		out["type"] = "number"
		if s.Kind == Integer {
			out["type"] = "integer"
		}
		if s.Min != nil {
			out["minimum"] = *s.Min
		}
		if s.Max != nil {
			out["maximum"] = *s.Max
		}
	case List:
		out["type"] = "array"
		if s.Items != nil {
			out["items"] = s.Items.JSONSchema()
		}
		if s.MinItems > 0 {
			out["minItems"] = s.MinItems
		}
		if s.MaxItems > 0 {
			out["maxItems"] = s.MaxItems
		}
		if s.Unique {
			out["uniqueItems"] = true
		}
	case Map:
		out["type"] = "object"
		if s.Values != nil {
			out["additionalProperties"] = s.Values.JSONSchema()
		}
		if s.KeyPattern != "" {
			out["propertyNames"] = map[string]any{"pattern": s.KeyPattern}
		}
	case Object:
		out["type"] = "object"
		if len(s.Fields) > 0 {
			props := map[string]any{}
			var required []string
			for _, f := range s.Fields {
				props[f.Name] = f.JSONSchema()
				if f.Required {
					required = append(required, f.Name)
				}
			}
			out["properties"] = props
			out["additionalProperties"] = false
			if len(required) > 0 {
				out["required"] = required
			}
		}
		var rules []any
		for _, w := range s.When {
			var def any
			if f := s.Field(w.Field); f != nil {
				def = f.Default
			}
			rules = append(rules, w.jsonSchema(def))
		}
		if len(s.AtMostOne) > 1 {
			var pairs []any
			for i, a := range s.AtMostOne {
				for _, b := range s.AtMostOne[i+1:] {
					pairs = append(pairs, map[string]any{"required": []string{a, b}})
				}
			}
			rules = append(rules, map[string]any{"not": map[string]any{"anyOf": pairs}})
		}
		if len(rules) > 0 {
			out["allOf"] = rules
		}
	}
	if len(s.AnyOf) > 0 || s.Secure {
		var forms []any
		for _, alt := range s.AnyOf {
			forms = append(forms, alt.JSONSchema())
		}
		if s.Secure {
			forms = append(forms, SecureSchema())
		}
		if s.Kind != 0 {
			plain := map[string]any{}
			for k, v := range out {
				if k != "description" && k != "markdownDescription" && k != "default" {
					plain[k] = v
					delete(out, k)
				}
			}
			forms = append([]any{plain}, forms...)
		}
		out["anyOf"] = forms
	}
	return out
}

// SecureSchema is the form of a `secure:` value, as pulumi config set
// --secret writes it.
func SecureSchema() map[string]any {
	return map[string]any{
		"type":                 "object",
		"description":          "A value encrypted by the stack's secrets provider: pulumi config set --secret writes it.",
		"properties":           map[string]any{"secure": map[string]any{"type": "string", "minLength": 1}},
		"required":             []string{"secure"},
		"additionalProperties": false,
	}
}

// jsonSchema is the rule as an if/then: it applies when the field is one
// of Is, or is absent and its default is.
func (w When) jsonSchema(def any) map[string]any {
	is := map[string]any{"enum": slices.Clone(w.Is)}
	if len(w.Is) == 1 {
		is = map[string]any{"const": w.Is[0]}
	}
	cond := map[string]any{"properties": map[string]any{w.Field: is}, "required": []string{w.Field}}
	if d, ok := def.(string); ok && slices.Contains(w.Is, d) {
		cond = map[string]any{"anyOf": []any{cond, map[string]any{"not": map[string]any{"required": []string{w.Field}}}}}
	}
	then := map[string]any{}
	if len(w.Require) > 0 {
		then["required"] = slices.Clone(w.Require)
	}
	if len(w.Forbid) > 0 {
		var forbid []any
		for _, f := range w.Forbid {
			forbid = append(forbid, map[string]any{"required": []string{f}})
		}
		then["not"] = map[string]any{"anyOf": forbid}
	}
	if len(w.Narrow) > 0 {
		props := map[string]any{}
		for _, f := range w.Narrow {
			props[f.Name] = f.narrowSchema()
		}
		then["properties"] = props
	}
	return map[string]any{"if": cond, "then": then}
}

// narrowSchema is a When's narrowing of a field as a schema that adds to
// the field's own: a leaf as declared; of a list, only its items'
// narrowing; of an object, only its fields' (no type, required or
// additionalProperties, which the field's own schema says).
func (s *Spec) narrowSchema() map[string]any {
	switch {
	case s.Kind == List && s.Items != nil:
		return map[string]any{"items": s.Items.narrowSchema()}
	case s.Kind == Object:
		props := map[string]any{}
		for _, f := range s.Fields {
			props[f.Name] = f.narrowSchema()
		}
		return map[string]any{"properties": props}
	}
	return s.JSONSchema()
}
