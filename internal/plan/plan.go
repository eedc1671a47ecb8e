// Package plan decodes a stack's config and runs the program with it under
// Pulumi's mock engine, and describes what it registers and looks up: the
// document that `ddstack plan` prints.
package plan

import (
	"errors"
	"fmt"
	"maps"

	"github.com/hashicorp/go-multierror"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
	"github.com/pytorch-fdn/pytorch-datadog/program"
)

// Plan is what the program registers and invokes for one stack.
type Plan struct {
	// Format is the document's version: Format 2 and later flag secrets
	// (Resource.Secrets). A plan without it comes from an older ddstack.
	Format    int        `json:"format,omitempty"`
	Stack     string     `json:"stack"`
	Resources []Resource `json:"resources"`
	Invokes   []Invoke   `json:"invokes"`
	// Notes are remarks for the reader that are not errors, such as roles
	// that only a preview against Datadog can confirm.
	Notes []string `json:"-"`
}

// Format is the version of the plan document this ddstack writes.
const Format = 2

// Resource is one registration. Inputs hold plain values; secrets show as
// "[secret]" and ids only Datadog knows as placeholders.
type Resource struct {
	Type      string         `json:"type"`
	Name      string         `json:"name"`
	Inputs    map[string]any `json:"inputs"`
	Provider  string         `json:"provider"`
	Version   string         `json:"version"`
	DependsOn []string       `json:"dependsOn"`
	Protect   bool           `json:"protect"`
	ImportID  *string        `json:"importId"`
	// Secrets are the paths of the inputs that are secret
	// ("customHeaders"): a diff knows a secret by this flag, never by its
	// text. A plan of a ddstack from before it has none.
	Secrets []string `json:"secrets,omitempty"`
}

// Invoke is one lookup the program makes.
type Invoke struct {
	Token string         `json:"token"`
	Args  map[string]any `json:"args"`
}

// Load decodes and validates a stack's config, once: the typed values that
// Build registers and that ddstack check runs. The error lists every
// problem.
func Load(s *stackfile.Stack) (*program.Config, error) {
	if s.Project != kit.Namespace {
		return nil, fmt.Errorf("project %q in Pulumi.yaml is not %q, the namespace of this program's config", s.Project, kit.Namespace)
	}
	cfg, err := program.Load(s.Raw)
	if len(s.Problems) == 0 {
		return cfg, err
	}
	// The stack file's problems and the program's, once each: where both
	// found one at a path (a section of the wrong type), the program's
	// message is the more precise.
	found := map[string]bool{}
	var errs []error
	for _, e := range kit.Leaves(err) {
		var pe *kit.PathError
		if errors.As(e, &pe) {
			found[pe.Path] = true
		}
		errs = append(errs, e)
	}
	for _, e := range s.Problems {
		var pe *kit.PathError
		if errors.As(e, &pe) && found[pe.Path] {
			continue
		}
		errs = append(errs, e)
	}
	return nil, errors.Join(errs...)
}

// Build runs the program's Build with a decoded config under the mock
// engine, and describes what it registers and looks up; lookups can still
// fail (an unknown permission name), and the error lists every problem.
// With fingerprints, secrets that stand for a `secure:` value of the stack
// file show its ciphertext's fingerprint instead of "[secret]", so that
// `ddstack diff` can tell whether a secret changed; never any plaintext.
//
// A secret that the config refers to but the stack file does not hold (the
// workflows set it from a repository secret) stands as a placeholder, and a
// note says so: ddstack never needs it, pulumi preview and up do.
func Build(stack string, cfg *program.Config, fingerprints bool) (*Plan, error) {
	var notes []string
	if missing := program.MissingSecrets(cfg); len(missing) > 0 {
		c := *cfg
		c.Secrets = maps.Clone(cfg.Secrets)
		for _, name := range missing {
			c.Secrets[name] = ddmock.SecretPlaceholder("unset:" + name)
			notes = append(notes, fmt.Sprintf("%s.%s is not in the stack file, so ddstack shows what uses it as [secret]; pulumi preview and up need it: pulumi config set --secret --path '%s.%s' (the workflows set it from the repository secret %s)",
				kit.SecretsKey, name, kit.SecretsKey, name, kit.EnvName(name)))
		}
		cfg = &c
	}
	rec, err := ddmock.Run(kit.Namespace, stack, nil, nil, func(ctx *pulumi.Context) error {
		return program.Build(ctx, cfg)
	})
	if err != nil {
		return nil, flatten(err)
	}
	p := FromRecorder(stack, rec, fingerprints)
	p.Notes = append(notes, p.Notes...)
	return p, nil
}

// FromRecorder describes what a recorder saw.
func FromRecorder(stack string, rec *ddmock.Recorder, fingerprints bool) *Plan {
	plainMap := ddmock.PlainMap
	if fingerprints {
		plainMap = ddmock.Fingerprinted
	}
	p := &Plan{Format: Format, Stack: stack, Resources: []Resource{}, Invokes: []Invoke{}}
	for _, r := range rec.Resources() {
		res := Resource{
			Type:      r.Type,
			Name:      r.Name,
			Inputs:    plainMap(r.Inputs),
			Provider:  r.Provider,
			Version:   r.Version,
			DependsOn: append([]string{}, r.DependsOn...),
			Protect:   r.Protect,
		}
		if paths := ddmock.SecretPaths(r.Inputs); len(paths) > 0 {
			res.Secrets = paths
		}
		if r.ImportID != "" {
			id := r.ImportID
			res.ImportID = &id
		}
		p.Resources = append(p.Resources, res)
	}
	for _, inv := range rec.Invokes() {
		p.Invokes = append(p.Invokes, Invoke{Token: inv.Token, Args: plainMap(inv.Args)})
	}
	for _, name := range rec.LookedUpRoles() {
		p.Notes = append(p.Notes, fmt.Sprintf("Datadog role %q is not managed here and not built into Datadog: `pulumi preview` looks it up, and fails if the organisation has no role of that exact name", name))
	}
	return p
}

// flatten turns the SDK's multierror wrapping into a joined error whose
// lines are the program's own messages.
func flatten(err error) error {
	var merr *multierror.Error
	if errors.As(err, &merr) {
		return errors.Join(merr.Errors...)
	}
	return err
}
