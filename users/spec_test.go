package users_test

import (
	"testing"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit/kittest"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

// The decoder and the declaration (the schema, the reference) agree on
// every field.
func TestSpecAgreesWithDecode(t *testing.T) {
	t.Parallel()
	kittest.Agree(t, users.Section, users.Spec, map[string]any{
		"email": "jane.smith@example.org", "roles": []any{"Datadog Read Only Role"}, "disabled": false,
		"name": "Jane Smith", "sendUserInvitation": true, "importId": "a1b2c3d4-0000-1111-2222-333344445555",
	}, func(p *kit.Problems, raw string) any { return users.Decode(p, raw, true, nil) })
}
