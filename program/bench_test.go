package program_test

import (
	"fmt"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/program"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

// BenchmarkProgram registers n users with 50 managed roles under the mock
// engine: the lookups stay one getPermissions and one getRole per distinct
// Datadog role name, whatever n.
func BenchmarkProgram(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("users=%d/roles=50", n), func(b *testing.B) {
			cfg := &program.Config{
				Datadog: program.Datadog{APIURL: "https://api.us3.datadoghq.com/"},
				Roles:   map[string]roles.Role{},
				Users:   map[string]users.User{},
			}
			for i := range 50 {
				cfg.Roles[fmt.Sprintf("role-%02d", i)] = roles.Role{Name: fmt.Sprintf("Role %02d", i), Permissions: []string{"logs_read_data", "monitors_write", "synthetics_read"}}
			}
			for i := range n {
				cfg.Users[fmt.Sprintf("user-%05d", i)] = users.User{
					Email: fmt.Sprintf("user%05d@example.org", i),
					Roles: []users.RoleRef{{Managed: fmt.Sprintf("role-%02d", i%50)}, {Datadog: roles.BuiltinRoles[i%3]}},
				}
			}
			var invokes, resources int
			for b.Loop() {
				rec, err := ddmock.Run(kit.Namespace, "bench", nil, nil, func(ctx *pulumi.Context) error { return program.Build(ctx, cfg) })
				if err != nil {
					b.Fatal(err)
				}
				invokes, resources = len(rec.Invokes()), len(rec.Resources())
			}
			b.ReportMetric(float64(invokes), "invokes/run")
			b.ReportMetric(float64(resources), "resources/run")
		})
	}
}
