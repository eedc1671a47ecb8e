// Package plan runs the program under Pulumi's mock engine with a stack's
// config and describes what it registers and looks up: the document that
// `ddstack plan` prints.
package plan

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/go-multierror"

	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
	"github.com/pytorch-fdn/pytorch-datadog/program"
	"github.com/pytorch-fdn/pytorch-datadog/stackconfig"
)

// Plan is what the program registers and invokes for one stack.
type Plan struct {
	Stack     string     `json:"stack"`
	Resources []Resource `json:"resources"`
	Invokes   []Invoke   `json:"invokes"`
	// Notes are remarks for the reader that are not errors, such as roles
	// that only a preview against Datadog can confirm.
	Notes []string `json:"-"`
}

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
}

// Invoke is one lookup the program makes.
type Invoke struct {
	Token string         `json:"token"`
	Args  map[string]any `json:"args"`
}

// Build validates the stack's config and, when it is valid, runs the
// program under the mock engine. The error lists every problem. With
// fingerprints, secrets that stand for a `secure:` value of the stack file
// show its ciphertext's fingerprint instead of "[secret]", so that `ddstack
// diff` can tell whether a secret changed; never any plaintext.
func Build(s *stackfile.Stack, fingerprints bool) (*Plan, error) {
	if s.Project != stackconfig.Namespace {
		return nil, fmt.Errorf("project %q in Pulumi.yaml is not %q, the namespace of this program's config", s.Project, stackconfig.Namespace)
	}
	// Validate first, so that config errors are reported before the mock
	// engine starts and nothing is registered.
	if _, err := stackconfig.Load(s.Raw); err != nil {
		return nil, err
	}
	secretKeys := []string{}
	for _, k := range slices.Sorted(maps.Keys(s.Raw.Secret)) {
		if s.Raw.Secret[k] {
			secretKeys = append(secretKeys, k)
		}
	}
	rec, err := ddmock.Run(s.Project, s.Name, maps.Clone(s.Raw.Values), secretKeys, program.Run)
	if err != nil {
		return nil, flatten(err)
	}
	return FromRecorder(s.Name, rec, fingerprints), nil
}

// FromRecorder describes what a recorder saw.
func FromRecorder(stack string, rec *ddmock.Recorder, fingerprints bool) *Plan {
	plainMap := ddmock.PlainMap
	if fingerprints {
		plainMap = ddmock.Fingerprinted
	}
	p := &Plan{Stack: stack, Resources: []Resource{}, Invokes: []Invoke{}}
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

// ShortType names a type token by its last part: datadog:index/user:User is
// "user", pulumi:providers:datadog "provider".
func ShortType(token string) string {
	if strings.HasPrefix(token, "pulumi:providers:") {
		return "provider"
	}
	if i := strings.LastIndex(token, ":"); i >= 0 && i+1 < len(token) {
		return strings.ToLower(token[i+1:i+2]) + token[i+2:]
	}
	return token
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
