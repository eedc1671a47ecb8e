package configkit

import (
	"regexp"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// IDForm is the form of a resource type's import id: the value a Terraform
// state's `id` attribute holds for it, which Pulumi's import option takes.
type IDForm struct {
	Pattern *regexp.Regexp
	// Example is shown in the message for an id of another form.
	Example string
}

// Import id forms shared by several types.
var (
	// UUID: users and roles.
	UUID = IDForm{regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`), "a1b2c3d4-0000-1111-2222-333344445555"}
	// Numeric: monitors.
	Numeric = IDForm{regexp.MustCompile(`^[0-9]+$`), "12345678"}
)

// Field is the `importId` field of a managed object: when set, the resource
// is adopted from Datadog with Pulumi's import option instead of created.
func (f IDForm) Field(p *Problems, out *string) Field {
	return Field{"importId", func(fp string, v any) {
		if p.String(fp, v, out) && !f.Pattern.MatchString(*out) {
			p.Add(fp, "%q is not an id of this type, such as %s (ddstack import sets it from a Terraform state)", *out, f.Example)
		}
	}}
}

// Spec declares the importId field of a type whose id is what says: "the
// user's UUID".
func (f IDForm) Spec(what string) *Spec {
	return &Spec{Name: "importId", Kind: String, Pattern: f.Pattern.String(), PatternDoc: "such as " + f.Example,
		DefaultDoc: "unset: created",
		Doc:        "Adopts the existing Datadog object with this id instead of creating one: " + what + ". `ddstack import` (from a Terraform state) and `ddstack audit --write` set it. Never change it once adopted: that replaces the object."}
}

// UniqueImportIDs reports two entries of one section adopting the same
// Datadog object; ids maps each entry's key to its importId ("" for none).
func (p *Problems) UniqueImportIDs(section string, ids map[string]string) {
	seen := map[string]string{}
	for _, key := range SortedKeys(ids) {
		v := ids[key]
		if v == "" {
			continue
		}
		if other, dup := seen[v]; dup {
			p.Add(section+"."+key+".importId", "%q is also the importId of %s.%s; one Datadog object is adopted once", v, section, other)
			continue
		}
		seen[v] = key
	}
}

// WithImport adds Pulumi's import option to a resource's options when the
// entry has an import id: the engine adopts the Datadog object, then
// updates it to the config if they differ. Changing an adopted resource's
// import id would replace it, so ddstack import never does.
func WithImport(importID string, opts ...pulumi.ResourceOption) []pulumi.ResourceOption {
	if importID == "" {
		return opts
	}
	return append(append([]pulumi.ResourceOption{}, opts...), pulumi.Import(pulumi.ID(importID)))
}
