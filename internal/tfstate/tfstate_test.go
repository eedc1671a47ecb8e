package tfstate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadShowJSON(t *testing.T) {
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
	}}}`))
	require.NoError(t, err)
	assert.Equal(t, []Object{
		{Address: `datadog_user.users["jane"]`, Type: User, ID: "u-1", Key: "Jane@Example.org"},
		{Address: "module.dd.datadog_monitor.m", Type: Monitor, ID: "42", Key: "M"},
		{Address: "module.dd.module.inner.datadog_synthetics_test.t", Type: Synthetic, ID: "abc-123-xyz", Key: "T"},
	}, objs, "managed Datadog objects of every module, data sources and other types left out")
}

func TestReadRawState(t *testing.T) {
	objs, err := Read([]byte(`{"version": 4, "resources": [
		{"mode": "managed", "type": "datadog_role", "name": "roles", "each": "map", "instances": [
			{"index_key": "limited-read-write", "attributes": {"id": "r-1", "name": "Limited Read Write"}}]},
		{"module": "module.dd", "mode": "managed", "type": "datadog_monitor", "name": "m", "each": "list", "instances": [
			{"index_key": 0, "attributes": {"id": "7", "name": "M0"}}, {"index_key": 1, "attributes": {"id": "8", "name": "M1"}}]},
		{"mode": "data", "type": "datadog_role", "name": "admin", "instances": [{"attributes": {"id": "r-0", "name": "Datadog Admin Role"}}]}
	]}`))
	require.NoError(t, err)
	assert.Equal(t, []Object{
		{Address: `datadog_role.roles["limited-read-write"]`, Type: Role, ID: "r-1", Key: "Limited Read Write"},
		{Address: "module.dd.datadog_monitor.m[0]", Type: Monitor, ID: "7", Key: "M0"},
		{Address: "module.dd.datadog_monitor.m[1]", Type: Monitor, ID: "8", Key: "M1"},
	}, objs)
}

func TestReadErrors(t *testing.T) {
	for name, data := range map[string]string{
		"not JSON":         `terraform {}`,
		"old format":       `{"version": 3}`,
		"neither":          `{"resources": []}`,
		"no id":            `{"version": 4, "resources": [{"mode": "managed", "type": "datadog_user", "name": "u", "instances": [{"attributes": {"email": "a@b.c"}}]}]}`,
		"no name to match": `{"format_version": "1.0", "values": {"root_module": {"resources": [{"address": "datadog_monitor.m", "mode": "managed", "type": "datadog_monitor", "values": {"id": "1"}}]}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Read([]byte(data))
			assert.Error(t, err)
		})
	}
	objs, err := Read([]byte(`{"format_version": "1.0"}`))
	assert.NoError(t, err, "an empty state")
	assert.Empty(t, objs)
}
