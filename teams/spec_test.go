package teams_test

import (
	"testing"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit/kittest"
	"github.com/pytorch-fdn/pytorch-datadog/teams"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

// The decoder and the declaration (the schema, the reference) agree on
// every field.
func TestSpecAgreesWithDecode(t *testing.T) {
	t.Parallel()
	members := map[string]users.User{"jane": {Email: "jane@example.org"}}
	kittest.Agree(t, teams.Section, teams.Spec, map[string]any{
		"name": "AMD Staff", "description": "Staff members of AMD.", "handle": "amd-staff",
		"members": []any{"jane"}, "importId": "a1b2c3d4-0000-1111-2222-333344445555",
	}, func(p *kit.Problems, raw string) any { return teams.Decode(p, raw, true, members) })
}
