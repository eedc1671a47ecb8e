package roles_test

import (
	"testing"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit/kittest"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
)

// The decoder and the declaration (the schema, the reference) agree on
// every field.
func TestSpecAgreesWithDecode(t *testing.T) {
	t.Parallel()
	kittest.Agree(t, roles.Section, roles.Spec, map[string]any{
		"name": "Limited Read Write", "permissions": []any{"logs_read_data", "monitors_write"},
		"defaultPermissionsOptOut": false, "importId": "56f06eb4-9ba1-fa6f-ba47-7805b0582bd5",
	}, func(p *kit.Problems, raw string) any { return roles.Decode(p, raw, true) })
}
