package plan_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/plan"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
)

// BenchmarkPlanUsers is ddstack plan's work on stacks of 10,000 and 20,000
// users, each with one of Datadog's roles and the other sections empty:
// the stack file read and decoded, and the program run under the mock
// engine. Linear: 20,000 take at most about twice what 10,000 do (they
// took 2.4 s and 7.1 s when the SDK's loader checked every pair of keys).
func BenchmarkPlanUsers(b *testing.B) {
	dir := b.TempDir()
	project, err := os.ReadFile("../../Pulumi.yaml")
	require.NoError(b, err)
	require.NoError(b, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), project, 0o644))
	for _, n := range []int{10_000, 20_000} {
		var s strings.Builder
		s.WriteString("config:\n  pulumi:disable-default-providers: [datadog]\n  datadog:apiUrl: https://api.us3.datadoghq.com/\n  pytorch-datadog:users:\n")
		for i := range n {
			fmt.Fprintf(&s, "    user-%05d:\n      email: user-%05d@example.org\n      roles: [Datadog Read Only Role]\n", i, i)
		}
		data := []byte(s.String())
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				st, err := stackfile.LoadData(dir, "bench", filepath.Join(dir, "Pulumi.bench.yaml"), data)
				if err != nil {
					b.Fatal(err)
				}
				cfg, err := plan.Load(st)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := plan.Build(st.Name, cfg, false); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
