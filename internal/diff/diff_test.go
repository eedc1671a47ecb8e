package diff

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/pytorch-fdn/pytorch-datadog/internal/plan"
)

func user(name, email string) plan.Resource {
	return plan.Resource{Type: "datadog:index/user:User", Name: name, Version: "4.68.0",
		Inputs: map[string]any{"email": email, "roles": []any{"<role:r>"}}}
}

func TestCompareNewStack(t *testing.T) {
	t.Parallel()
	head := &plan.Plan{Stack: "prod", Resources: []plan.Resource{
		{Type: "pulumi:providers:datadog", Name: "datadog", Inputs: map[string]any{"apiKey": "[secret:0123abcd]"}},
		user("a", "a@example.org"),
	}}
	res := Compare(nil, head, "main")
	assert.Len(t, res.Added, 2)
	assert.Equal(t, "datadog", res.Added[0].Name, "the provider first")
	assert.Equal(t, map[string]any{"apiKey": "[secret]"}, res.Added[0].Inputs, "no fingerprint in the output")
	assert.Equal(t, "2 to add, 0 to change, 0 to remove (0 unchanged)", res.Summary())
}

func TestCompareProperties(t *testing.T) {
	t.Parallel()
	id := "123"
	b := user("a", "a@example.org")
	h := user("a", "A@example.org")
	h.ImportID = &id
	h.Inputs["disabled"] = true
	res := Compare(&plan.Plan{Resources: []plan.Resource{b}}, &plan.Plan{Stack: "prod", Resources: []plan.Resource{h}}, "main")
	assert.Equal(t, []Resource{{Type: b.Type, Name: "a", Properties: []Property{
		{Path: "disabled", Old: nil, New: true},
		{Path: "email", Old: "a@example.org", New: "A@example.org"},
		{Path: "(importId)", Old: nil, New: "123"},
	}}}, res.Changed)
	assert.True(t, res.HasChanges())
	assert.Equal(t, "0 to add, 1 to change, 0 to remove (0 unchanged)", res.Summary())
}

func TestSecretsCompareByFingerprintAndNeverShow(t *testing.T) {
	t.Parallel()
	p := func(fp string) *plan.Plan {
		return &plan.Plan{Stack: "prod", Resources: []plan.Resource{
			{Type: "pulumi:providers:datadog", Name: "datadog", Inputs: map[string]any{"appKey": fp}},
		}}
	}
	same := Compare(p("[secret:aaaaaaaa]"), p("[secret:aaaaaaaa]"), "main")
	assert.False(t, same.HasChanges())

	changed := Compare(p("[secret:aaaaaaaa]"), p("[secret:bbbbbbbb]"), "main")
	assert.Equal(t, []Property{{Path: "appKey", Old: "[secret]", New: "[secret]", Secret: true}}, changed.Changed[0].Properties)
	var out bytes.Buffer
	Text(&out, changed)
	Markdown(&out, changed)
	assert.NoError(t, JSON(&out, changed))
	assert.NotContains(t, out.String(), "aaaaaaaa")
	assert.NotContains(t, out.String(), "bbbbbbbb")
	assert.Contains(t, out.String(), "appKey: [secret] changed")
}

func TestLongValuesAsUnifiedDiff(t *testing.T) {
	t.Parallel()
	b := plan.Resource{Type: "datadog:index/monitor:Monitor", Name: "m", Inputs: map[string]any{"message": "one\ntwo\nthree\n"}}
	h := plan.Resource{Type: b.Type, Name: "m", Inputs: map[string]any{"message": "one\n2\nthree\n"}}
	var out bytes.Buffer
	Text(&out, Compare(&plan.Plan{Resources: []plan.Resource{b}}, &plan.Plan{Resources: []plan.Resource{h}}, "main"))
	assert.Contains(t, out.String(), "    message:\n      --- old\n      +++ new\n      @@ -1,3 +1,3 @@\n       one\n      -two\n      +2\n       three\n")
}

func TestSecretsAreKnownByTheirFlagNeverTheirText(t *testing.T) {
	t.Parallel()
	const typ = "datadog:index/syntheticsTest:SyntheticsTest"
	res := func(inputs map[string]any, secrets ...string) plan.Resource {
		return plan.Resource{Type: typ, Name: "t", Inputs: inputs, Secrets: secrets}
	}
	current := func(r plan.Resource) *plan.Plan {
		return &plan.Plan{Format: plan.Format, Stack: "prod", Resources: []plan.Resource{r}}
	}
	old := func(r plan.Resource) *plan.Plan { return &plan.Plan{Stack: "prod", Resources: []plan.Resource{r}} }
	vars := func(pattern, name string) map[string]any {
		return map[string]any{"configVariables": []any{map[string]any{"name": name, "pattern": pattern, "secure": true}}}
	}
	tests := map[string]struct {
		base, head *plan.Plan
		want       []Property
	}{
		"plaintext that looks like a secret is shown": {
			base: current(res(map[string]any{"message": "[secret:aaaaaaaa]"})),
			head: current(res(map[string]any{"message": "[secret:bbbbbbbb] @webhook-evil"})),
			want: []Property{{Path: "message", Old: "[secret:aaaaaaaa]", New: "[secret:bbbbbbbb] @webhook-evil"}},
		},
		"a flagged secret is compared and masked": {
			base: current(res(map[string]any{"requestHeaders": "[secret:aaaaaaaa]"}, "requestHeaders")),
			head: current(res(map[string]any{"requestHeaders": "[secret:bbbbbbbb]"}, "requestHeaders")),
			want: []Property{{Path: "requestHeaders", Old: "[secret]", New: "[secret]", Secret: true}},
		},
		"a base from an older ddstack: its placeholders are secrets": {
			base: old(res(map[string]any{"requestHeaders": "[secret:aaaaaaaa]"})),
			head: current(res(map[string]any{"requestHeaders": "[secret:bbbbbbbb]"}, "requestHeaders")),
			want: []Property{{Path: "requestHeaders", Old: "[secret]", New: "[secret]", Secret: true}},
		},
		"only the secret in a list changed": {
			base: current(res(vars("[secret:aaaaaaaa]", "TOKEN"), "configVariables[0].pattern")),
			head: current(res(vars("[secret:bbbbbbbb]", "TOKEN"), "configVariables[0].pattern")),
			want: []Property{{Path: "configVariables",
				Old: []any{map[string]any{"name": "TOKEN", "pattern": "[secret]", "secure": true}},
				New: []any{map[string]any{"name": "TOKEN", "pattern": "[secret]", "secure": true}}, Secret: true}},
		},
		"a list with a secret and a plaintext change": {
			base: current(res(vars("[secret:aaaaaaaa]", "TOKEN"), "configVariables[0].pattern")),
			head: current(res(vars("[secret:aaaaaaaa]", "KEY"), "configVariables[0].pattern")),
			want: []Property{{Path: "configVariables",
				Old: []any{map[string]any{"name": "TOKEN", "pattern": "[secret]", "secure": true}},
				New: []any{map[string]any{"name": "KEY", "pattern": "[secret]", "secure": true}}}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := Compare(tc.base, tc.head, "main")
			if assert.Len(t, r.Changed, 1) {
				assert.Equal(t, tc.want, r.Changed[0].Properties)
			}
			var out bytes.Buffer
			Text(&out, r)
			Markdown(&out, r)
			if tc.want[0].Secret || tc.head.Resources[0].Secrets != nil {
				assert.NotContains(t, out.String(), "aaaaaaaa", "a fingerprint of a secret is never shown")
				assert.NotContains(t, out.String(), "bbbbbbbb", "a fingerprint of a secret is never shown")
			} else {
				assert.Contains(t, out.String(), "@webhook-evil", "a plaintext change is shown")
			}
		})
	}

	added := Compare(nil, current(res(map[string]any{"message": "[secret:cccccccc]", "requestHeaders": "[secret:dddddddd]"}, "requestHeaders")), "main")
	assert.Equal(t, map[string]any{"message": "[secret:cccccccc]", "requestHeaders": "[secret]"}, added.Added[0].Inputs)
}

func TestTextShowsPlaceholdersAsTheyAre(t *testing.T) {
	t.Parallel()
	head := &plan.Plan{Format: plan.Format, Stack: "prod", Resources: []plan.Resource{
		{Type: "datadog:index/teamMembership:TeamMembership", Name: "amd-staff.jane", Inputs: map[string]any{"teamId": "<team:amd-staff>"}},
	}}
	var out bytes.Buffer
	Text(&out, Compare(nil, head, "main"))
	assert.Contains(t, out.String(), `teamId = "<team:amd-staff>"`)
}
