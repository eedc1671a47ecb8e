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
