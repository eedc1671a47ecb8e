// Package ddmocktest reads, for the resource packages' tests, what one run
// of a type's New under the mock registered.
package ddmocktest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
)

// Registered is what one run registered: the explicit provider's URN, and
// the resources of one type by name, in the order registered.
type Registered struct {
	Provider string
	Inputs   map[string]map[string]any
	Order    []string
	ByName   map[string]ddmock.Resource
	// All is every registration, the provider's included.
	All []ddmock.Resource
}

// Collect reads a recorder: every resource but the provider must be a
// custom resource of token, and the provider must be registered.
func Collect(t testing.TB, rec *ddmock.Recorder, token string) Registered {
	t.Helper()
	out := Registered{Inputs: map[string]map[string]any{}, ByName: map[string]ddmock.Resource{}, All: rec.Resources()}
	for _, r := range out.All {
		if r.Type == ddmock.ProviderType {
			out.Provider = r.URN
			continue
		}
		assert.Equal(t, token, r.Type)
		assert.True(t, r.Custom)
		out.Inputs[r.Name] = ddmock.PlainMap(r.Inputs)
		out.Order = append(out.Order, r.Name)
		out.ByName[r.Name] = r
	}
	require.NotEmpty(t, out.Provider, "the provider registered")
	return out
}
