// Package kittest helps the resource packages' tests read what a decoder
// reported: every problem as a *configkit.PathError, checked to be joined
// and to carry its path.
package kittest

import (
	"errors"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Problems returns every problem p holds, in the order found, failing the
// test unless they are joined and each has a path.
func Problems(t testing.TB, p *configkit.Problems) []*configkit.PathError {
	t.Helper()
	err := p.Err()
	if err == nil {
		require.Zero(t, p.Len())
		return nil
	}
	joined, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok, "Err joins the problems: %v", err)
	var out []*configkit.PathError
	for _, e := range joined.Unwrap() {
		var pe *configkit.PathError
		require.True(t, errors.As(e, &pe), "every problem has a path: %v", e)
		out = append(out, pe)
	}
	require.Len(t, out, p.Len())
	return out
}

// SortedPaths returns the problems' paths, sorted.
func SortedPaths(list []*configkit.PathError) []string {
	out := []string{}
	for _, pe := range list {
		out = append(out, pe.Path)
	}
	sort.Strings(out)
	return out
}
