package tfstate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// adoptable is what the registry hands the reader: each Terraform type
// and the attribute its objects are matched on.
var adoptable = map[string][]string{
	"datadog_user": {"email"}, "datadog_role": {"name"}, "datadog_monitor": {"name"}, "datadog_synthetics_test": {"name"},
}

func TestReadShowJSON(t *testing.T) {
	t.Parallel()
	objs, err := Read([]byte(`{"format_version": "1.0", "values": {"root_module": {
		"resources": [
			{"address": "datadog_user.users[\"jane\"]", "mode": "managed", "type": "datadog_user", "values": {"id": "u-1", "email": "Jane@Example.org"}},
			{"address": "data.datadog_role.admin", "mode": "data", "type": "datadog_role", "values": {"id": "r-0", "name": "Datadog Admin Role"}},
			{"address": "datadog_dashboard.d", "mode": "managed", "type": "datadog_dashboard", "values": {"id": "d-1", "title": "D"}}
		],
		"child_modules": [{"address": "module.dd", "resources": [
			{"address": "module.dd.datadog_monitor.m", "mode": "managed", "type": "datadog_monitor", "values": {"id": "42", "name": "M"}}
		], "child_modules": [{"resources": [
			{"address": "module.dd.module.inner.datadog_synthetics_test.t", "mode": "managed", "type": "datadog_synthetics_test", "values": {"id": "abc-123-xyz", "name": "T"}}
		]}]}]
	}}}`), adoptable)
	require.NoError(t, err)
	assert.Equal(t, []Object{
		{Address: `datadog_user.users["jane"]`, Type: "datadog_user", ID: "u-1", Key: "Jane@Example.org"},
		{Address: "module.dd.datadog_monitor.m", Type: "datadog_monitor", ID: "42", Key: "M"},
		{Address: "module.dd.module.inner.datadog_synthetics_test.t", Type: "datadog_synthetics_test", ID: "abc-123-xyz", Key: "T"},
	}, withoutAttrs(objs), "managed Datadog objects of every module, data sources and other types left out")
}

func TestReadRawState(t *testing.T) {
	t.Parallel()
	objs, err := Read([]byte(`{"version": 4, "resources": [
		{"mode": "managed", "type": "datadog_role", "name": "roles", "each": "map", "instances": [
			{"index_key": "limited-read-write", "attributes": {"id": "r-1", "name": "Limited Read Write"}}]},
		{"module": "module.dd", "mode": "managed", "type": "datadog_monitor", "name": "m", "each": "list", "instances": [
			{"index_key": 0, "attributes": {"id": "7", "name": "M0"}}, {"index_key": 1, "attributes": {"id": "8", "name": "M1"}}]},
		{"mode": "data", "type": "datadog_role", "name": "admin", "instances": [{"attributes": {"id": "r-0", "name": "Datadog Admin Role"}}]}
	]}`), adoptable)
	require.NoError(t, err)
	assert.Equal(t, []Object{
		{Address: `datadog_role.roles["limited-read-write"]`, Type: "datadog_role", ID: "r-1", Key: "Limited Read Write"},
		{Address: "module.dd.datadog_monitor.m[0]", Type: "datadog_monitor", ID: "7", Key: "M0"},
		{Address: "module.dd.datadog_monitor.m[1]", Type: "datadog_monitor", ID: "8", Key: "M1"},
	}, withoutAttrs(objs))
	assert.Equal(t, map[string]any{"id": "7", "name": "M0"}, objs[1].Attrs)
}

func TestReadErrors(t *testing.T) {
	t.Parallel()
	for name, data := range map[string]string{
		"not JSON":         `terraform {}`,
		"old format":       `{"version": 3}`,
		"neither":          `{"resources": []}`,
		"no id":            `{"version": 4, "resources": [{"mode": "managed", "type": "datadog_user", "name": "u", "instances": [{"attributes": {"email": "a@b.c"}}]}]}`,
		"no name to match": `{"format_version": "1.0", "values": {"root_module": {"resources": [{"address": "datadog_monitor.m", "mode": "managed", "type": "datadog_monitor", "values": {"id": "1"}}]}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Read([]byte(data), adoptable)
			assert.Error(t, err)
		})
	}
	objs, err := Read([]byte(`{"format_version": "1.0"}`), adoptable)
	assert.NoError(t, err, "an empty state")
	assert.Empty(t, objs)
}

// The reader takes its types and match attributes from its caller (the
// registry): a type it is not given is skipped, and each object is keyed by
// the attribute named for its type.
func TestReadTakesTypesFromTheRegistry(t *testing.T) {
	t.Parallel()
	state := []byte(`{"format_version": "1.0", "values": {"root_module": {"resources": [
		{"address": "datadog_team.t", "mode": "managed", "type": "datadog_team", "values": {"id": "t-1", "handle": "lf-staff", "name": "LF Staff"}},
		{"address": "datadog_user.u", "mode": "managed", "type": "datadog_user", "values": {"id": "u-1", "email": "a@b.c"}}
	]}}}`)
	objs, err := Read(state, map[string][]string{"datadog_team": {"handle"}})
	require.NoError(t, err)
	require.Len(t, objs, 1)
	assert.Equal(t, Object{Address: "datadog_team.t", Type: "datadog_team", ID: "t-1", Key: "lf-staff", Attrs: objs[0].Attrs}, objs[0])
	assert.Equal(t, "LF Staff", objs[0].Attrs["name"], "every attribute is kept")

	objs, err = Read(state, adoptable)
	require.NoError(t, err)
	require.Len(t, objs, 1)
	assert.Equal(t, "a@b.c", objs[0].Key)

	slackState := []byte(`{"version": 4, "resources": [{"mode": "managed", "type": "datadog_integration_slack_channel", "name": "c", "instances": [
		{"attributes": {"id": "PyTorch:#alerts", "account_name": "PyTorch", "channel_name": "#alerts"}}]}]}`)
	objs, err = Read(slackState, map[string][]string{"datadog_integration_slack_channel": {"account_name", "channel_name"}})
	require.NoError(t, err)
	require.Len(t, objs, 1)
	assert.Equal(t, "PyTorch:#alerts", objs[0].Key, "several match attributes are joined with ':'")
	_, err = Read(slackState, map[string][]string{"datadog_integration_slack_channel": {"account_name", "workspace"}})
	assert.ErrorContains(t, err, "has no workspace attribute to match on")
}

func withoutAttrs(objs []Object) []Object {
	out := make([]Object, len(objs))
	for i, o := range objs {
		o.Attrs = nil
		out[i] = o
	}
	return out
}
