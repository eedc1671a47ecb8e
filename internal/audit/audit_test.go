package audit_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/adopt"
	"github.com/pytorch-fdn/pytorch-datadog/internal/audit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
	"github.com/pytorch-fdn/pytorch-datadog/internal/plan"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
	"github.com/pytorch-fdn/pytorch-datadog/program"
)

// fixture is the small stack of testdata/Pulumi.audit.yaml, decoded.
func fixture(t testing.TB) *program.Config {
	t.Helper()
	s, err := stackfile.Load("../..", "audit", "testdata/Pulumi.audit.yaml")
	require.NoError(t, err)
	cfg, err := plan.Load(s)
	require.NoError(t, err)
	return cfg
}

// lists puts what Datadog has, by section, in the registry's order; a
// section not given was read and is empty.
func lists(by map[string]live.List) audit.Lists {
	out := audit.Lists{}
	for _, t := range program.Types {
		out = append(out, audit.TypeList{List: by[t.Section], OK: true})
	}
	return out
}

func user(id, email string) live.Object {
	return live.Object{ID: id, On: email, Name: email, Key: email[:len(email)-len("@example.org")]}
}

func monitor(id, name, key string) live.Object {
	return live.Object{ID: id, On: name, Name: name, Key: key}
}

const (
	alice = "00000000-0000-0000-0000-00000000000a"
	bob   = "00000000-0000-0000-0000-00000000000b"
	carol = "00000000-0000-0000-0000-00000000000c"
	dave  = "00000000-0000-0000-0000-00000000000d"
	eve   = "00000000-0000-0000-0000-00000000000e"
	frank = "00000000-0000-0000-0000-00000000000f"
	grace = "00000000-0000-0000-0000-000000000010"
)

func TestCompare(t *testing.T) {
	t.Parallel()
	cfg := fixture(t)
	found := lists(map[string]live.List{
		"users": {Objects: []live.Object{
			user(alice, "alice@example.org"),
			// bob's entry has no importId, and Datadog has him (the case
			// of an email does not count): the next up would create him
			// again.
			user(bob, "Bob@Example.org"),
			// carol's importId names no user: missing.
			// dave was provisioned by SSO: unmanaged.
			user(dave, "dave@example.org"),
			// eve is disabled: never reported.
			{ID: eve, On: "eve@example.org", Name: "eve@example.org", Key: "eve", Quiet: true},
			// frank: the Pulumi state holds him (below).
			user(frank, "frank@example.org"),
		}},
		"monitors": {Objects: []live.Object{
			monitor("101", "Queue depth", "queue-depth"),
			// A clone of an adopted monitor, with its name: unmanaged, under
			// a key of its own.
			monitor("102", "Queue depth", "queue-depth"),
			// Two monitors match an entry without importId: unadopted, and
			// left to set by hand.
			monitor("201", "Errors", "errors"),
			monitor("202", "Errors", "errors"),
		}},
		// Partial lists: what they hold is reported, and why they may not
		// hold everything is said.
		"webhooks": {Partial: "Datadog has no endpoint that lists webhooks", Objects: []live.Object{
			{ID: "hook", On: "hook", Name: "hook", Key: "hook"},
		}},
		"slackChannels": {Partial: "only the accounts the stack names are read", Objects: []live.Object{
			{ID: "PyTorch:#ops", On: "PyTorch:#ops", Name: "PyTorch:#ops", Key: "ops"},
		}},
	})
	managed := audit.Managed{"users": {"frank": frank, "grace": grace}}
	a := audit.Compare(found, cfg, managed, "https://api.us3.datadoghq.com/", 12)

	assert.Equal(t, []audit.Finding{
		{Type: "users", ID: dave, Key: "dave", Name: "dave@example.org"},
		{Type: "slackChannels", ID: "PyTorch:#ops", Key: "ops", Name: "PyTorch:#ops"},
		{Type: "monitors", ID: "102", Key: "queue-depth-2", Name: "Queue depth"},
	}, a.Unmanaged)
	assert.Equal(t, []audit.Finding{
		{Type: "users", ID: bob, Key: "bob", Name: "Bob@Example.org"},
		// A webhook is found by its name although Datadog cannot list them.
		{Type: "webhooks", ID: "hook", Key: "hook", Name: "hook"},
		{Type: "monitors", ID: "201", Key: "errors", Name: "Errors", Note: "2 objects in Datadog match it; set importId by hand to the one to adopt"},
		{Type: "monitors", ID: "202", Key: "errors", Name: "Errors", Note: "2 objects in Datadog match it; set importId by hand to the one to adopt"},
	}, a.Unadopted)
	assert.Equal(t, []audit.Finding{
		{Type: "users", ID: carol, Key: "carol", Name: "carol@example.org", Note: "its importId names an object Datadog does not have"},
		{Type: "users", ID: grace, Key: "grace", Name: "grace@example.org", Note: "its id in the Pulumi state names an object Datadog does not have"},
	}, a.Missing)
	assert.Equal(t, []adopt.IDEdit{{Section: "users", Key: "bob", ID: bob}, {Section: "webhooks", Key: "hook", ID: "hook"}}, a.Set,
		"only what one object matches")
	assert.Equal(t, 12, a.Requests)
	assert.Contains(t, a.Notes, "webhooks: Datadog has no endpoint that lists webhooks")
	assert.Contains(t, a.Notes, "slackChannels: only the accounts the stack names are read")
	assert.Equal(t, 9, a.Findings())
}

// Without the Pulumi state, an entry the stack created (no importId) is
// unadopted: the audit cannot tell it from one the next up would create
// again. With it, nothing is.
func TestCompareWithoutState(t *testing.T) {
	t.Parallel()
	cfg := fixture(t)
	found := lists(map[string]live.List{
		"users": {Objects: []live.Object{
			user(alice, "alice@example.org"), user(carol, "carol@example.org"), user(frank, "frank@example.org"),
		}},
		"monitors": {Objects: []live.Object{monitor("101", "Queue depth", "queue-depth")}},
	})
	a := audit.Compare(found, cfg, nil, "", 0)
	assert.Equal(t, []audit.Finding{{Type: "users", ID: frank, Key: "frank", Name: "frank@example.org"}}, a.Unadopted)
	a = audit.Compare(found, cfg, audit.Managed{"users": {"frank": frank}}, "", 0)
	assert.Empty(t, a.Unadopted)
	assert.Empty(t, a.Unmanaged)
	assert.Empty(t, a.Missing)
}

func TestReadState(t *testing.T) {
	t.Parallel()
	export := `{"version": 3, "deployment": {"manifest": {}, "resources": [
		{"urn": "urn:pulumi:prod::pytorch-datadog::pulumi:pulumi:Stack::pytorch-datadog-prod", "type": "pulumi:pulumi:Stack", "custom": false},
		{"urn": "urn:pulumi:prod::pytorch-datadog::pulumi:providers:datadog::datadog", "type": "pulumi:providers:datadog", "id": "e5f0"},
		{"urn": "urn:pulumi:prod::pytorch-datadog::datadog:index/user:User::frank", "type": "datadog:index/user:User", "id": "` + frank + `",
		 "outputs": {"email": "frank@example.org", "apiKey": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc"}}},
		{"urn": "urn:pulumi:prod::pytorch-datadog::datadog:index/dashboardJson:DashboardJson::status", "type": "datadog:index/dashboardJson:DashboardJson", "id": "abc-def-ghi"},
		{"urn": "urn:pulumi:prod::pytorch-datadog::datadog:index/monitor:Monitor::pending", "type": "datadog:index/monitor:Monitor"}
	]}}`
	got, err := audit.ReadState([]byte(export))
	require.NoError(t, err)
	assert.Equal(t, audit.Managed{"users": {"frank": frank}, "dashboards": {"status": "abc-def-ghi"}}, got,
		"by section and key, other types' tokens included, a resource without an id left out")

	for name, tc := range map[string]struct{ data, want string }{
		"not JSON":        {"config:\n  a: b\n", "is not the JSON of pulumi stack export"},
		"no deployment":   {`{"version": 3}`, "has no deployment: give the output of pulumi stack export"},
		"another project": {`{"deployment": {"resources": [{"urn": "urn:pulumi:prod::other::datadog:index/user:User::x", "type": "datadog:index/user:User", "id": "1"}]}}`, "holds no Datadog resource of project pytorch-datadog"},
	} {
		_, err := audit.ReadState([]byte(tc.data))
		assert.ErrorContains(t, err, tc.want, name)
	}
}

func TestJSONIsOneObjectOfTheFiveKeys(t *testing.T) {
	t.Parallel()
	r := &audit.Report{Site: "https://api.us3.datadoghq.com/", Unmanaged: []audit.Finding{{Type: "users", ID: dave, Key: "dave", Name: "dave@example.org"}},
		Unadopted: []audit.Finding{}, Missing: []audit.Finding{}, Requests: 9, Notes: []string{"webhooks: partial"}}
	var b bytes.Buffer
	require.NoError(t, audit.JSON(&b, r))
	var got map[string]any
	require.NoError(t, json.Unmarshal(b.Bytes(), &got))
	assert.Equal(t, map[string]any{
		"site":      "https://api.us3.datadoghq.com/",
		"unmanaged": []any{map[string]any{"type": "users", "id": dave, "key": "dave", "name": "dave@example.org"}},
		"unadopted": []any{}, "missing": []any{}, "requests": float64(9),
	}, got)
}

// Names come from Datadog, where anyone with a login can write them: on
// a terminal they show, escaped, and in a job summary they cannot break
// the table, run HTML or link anywhere.
func TestHostileNamesAreShownNotPerformed(t *testing.T) {
	t.Parallel()
	name := "evil\x1b[2J | </td><script>x</script> `tick` [link](https://evil.example)\u202e"
	r := &audit.Report{Site: "https://api.us3.datadoghq.com/", Unmanaged: []audit.Finding{{Type: "monitors", ID: "5", Key: "evil", Name: name}}}
	var text, md bytes.Buffer
	audit.Text(&text, r, "prod")
	assert.NotContains(t, text.String(), "\x1b")
	assert.NotContains(t, text.String(), "\u202e")
	assert.Contains(t, text.String(), `\x1b[2J`)

	audit.Markdown(&md, r, "prod")
	var row string
	for _, l := range bytes.Split(md.Bytes(), []byte("\n")) {
		if bytes.Contains(l, []byte("evil")) && bytes.HasPrefix(l, []byte("| `monitors`")) {
			row = string(l)
		}
	}
	require.NotEmpty(t, row, md.String())
	assert.Equal(t, "| `monitors` | `evil` | ``evil\\x1b[2J \\| </td><script>x</script> `tick` [link](https://evil.example)\\u202e`` | `5` |  |", row,
		"one code span per cell: the pipe escaped, the backticks fenced, markup shown as text")
	assert.Contains(t, md.String(), audit.Marker)
}

// The Pulumi state says what Pulumi manages: its id wins over a stale
// importId, and an object an id claims is never matched by name too.
func TestCompareIDsFirst(t *testing.T) {
	t.Parallel()
	cfg := fixture(t)
	found := lists(map[string]live.List{
		// queue-depth's monitor was deleted and created again (555); its
		// entry still says importId 101. errors has no id, and Datadog's
		// only "Errors" monitor is the one queue-depth holds in the state.
		"monitors": {Objects: []live.Object{monitor("555", "Errors", "errors")}},
	})
	a := audit.Compare(found, cfg, audit.Managed{"monitors": {"queue-depth": "555"}}, "", 0)
	assert.Empty(t, a.Unmanaged)
	assert.Empty(t, a.Unadopted, "555 is claimed by id; errors would be created, not adopt it twice")
	assert.Empty(t, a.Set)

	// The state's id missing is reported with the importId that differs.
	a = audit.Compare(lists(nil), cfg, audit.Managed{"monitors": {"queue-depth": "556"}}, "", 0)
	assert.Equal(t, []audit.Finding{{Type: "monitors", ID: "556", Key: "queue-depth", Name: "Queue depth",
		Note: "its id in the Pulumi state (its importId, 101, is another: drop it) names an object Datadog does not have"}}, of("monitors", a.Missing))
}

// A partial list (webhooks, read by name) reports an id missing only when
// it was read for it.
func TestComparePartialListsCoverWhatTheyRead(t *testing.T) {
	t.Parallel()
	cfg := fixture(t)
	asked := map[string]bool{"hook": true}
	found := lists(map[string]live.List{"webhooks": {Partial: "partial", Covers: func(id string) bool { return asked[id] }}})
	a := audit.Compare(found, cfg, audit.Managed{"webhooks": {"hook": "hook"}}, "", 0)
	missing := of("webhooks", a.Missing)
	require.Len(t, missing, 1, "hook was asked for and Datadog answered 404")
	assert.Equal(t, "hook", missing[0].ID)

	a = audit.Compare(found, cfg, audit.Managed{"webhooks": {"hook": "old-name"}}, "", 0)
	assert.Empty(t, of("webhooks", a.Missing), "old-name was not asked for: its absence says nothing")
}

// of are the findings of one type.
func of(section string, findings []audit.Finding) []audit.Finding {
	var out []audit.Finding
	for _, f := range findings {
		if f.Type == section {
			out = append(out, f)
		}
	}
	return out
}

// An address that only looks like an entry's (a Kelvin sign for a K, a
// Cyrillic letter in the domain) is another mailbox: unmanaged, never
// adopted into the entry, whose roles it would get.
func TestCompareLookalikeEmails(t *testing.T) {
	t.Parallel()
	cfg := fixture(t)
	found := lists(map[string]live.List{"users": {Objects: []live.Object{
		user(alice, "alice@example.org"), user(carol, "carol@example.org"),
		{ID: frank, On: "fran\u212a@example.org", Name: "fran\u212a@example.org", Key: "frank"},
		{ID: grace, On: "grace@ex\u0430mple.org", Name: "grace@ex\u0430mple.org", Key: "grace"},
	}}})
	a := audit.Compare(found, cfg, nil, "", 0)
	assert.Empty(t, of("users", a.Unadopted))
	assert.Len(t, of("users", a.Unmanaged), 2)
}
