package stackconfig

import (
	"regexp"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Import id forms: the value a Terraform state's `id` attribute holds for
// each type, which Pulumi's import option takes.
var (
	uuidID      = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	monitorID   = regexp.MustCompile(`^[0-9]+$`)
	syntheticID = regexp.MustCompile(`^[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{3}$`)
)

// importIDField is the `importId` field of a managed object: when set, the
// resource is adopted from Datadog with Pulumi's import option instead of
// created.
func importIDField(p *problems, form *regexp.Regexp, example string, out *string) field {
	return field{"importId", false, func(fp string, v any) {
		p.str(fp, v, out)
		if _, isStr := v.(string); isStr && !form.MatchString(*out) {
			p.add(fp, "%q is not an id of this type, such as %s (ddstack import sets it from a Terraform state)", *out, example)
		}
	}}
}

// uniqueImportIDs reports two objects of one section adopting the same
// Datadog object.
func uniqueImportIDs[T any](p *problems, section string, objects map[string]T, id func(T) string) {
	seen := map[string]string{}
	for _, key := range sortedKeys(objects) {
		v := id(objects[key])
		if v == "" {
			continue
		}
		if other, dup := seen[v]; dup {
			p.add(section+"."+key+".importId", "%q is also the importId of %s.%s; one Datadog object is adopted once", v, section, other)
		}
		seen[v] = key
	}
}

// WithImport adds Pulumi's import option to a resource's options when the
// object has an import id: the engine adopts the Datadog object, then
// updates it to the config if they differ. Changing an adopted resource's
// import id would replace it, so ddstack import never does.
func WithImport(opts []pulumi.ResourceOption, importID string) []pulumi.ResourceOption {
	if importID == "" {
		return opts
	}
	return append(slices.Clone(opts), pulumi.Import(pulumi.ID(importID)))
}
