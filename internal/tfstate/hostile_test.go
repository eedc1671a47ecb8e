package tfstate

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// registryTypes mirrors program.TerraformTypes (which this package may not
// import: it would link the Datadog SDK): every adoptable type and the
// attributes its objects are matched on.
var registryTypes = map[string][]string{
	"datadog_role": {"name"}, "datadog_user": {"email"}, "datadog_team": {"handle"},
	"datadog_integration_slack_channel": {"account_name", "channel_name"}, "datadog_webhook": {"name"},
	"datadog_monitor": {"name"}, "datadog_synthetics_test": {"name"}, "datadog_dashboard": {"title"},
	"datadog_integration_aws_account": {"aws_account_id"},
}

// show is a `show -json` state of the given root module resources.
func show(resources ...string) string {
	return `{"format_version": "1.0", "values": {"root_module": {"resources": [` + strings.Join(resources, ",") + `]}}}`
}

func monitor(address, id string) string {
	return fmt.Sprintf(`{"address": %q, "mode": "managed", "type": "datadog_monitor", "values": {"id": %s, "name": "M"}}`, address, id)
}

// nested is a show -json state whose modules nest depth deep, the
// innermost holding one monitor.
func nested(depth int) string {
	return `{"format_version": "1.0", "values": {"root_module": ` +
		strings.Repeat(`{"child_modules": [`, depth) + `{"resources": [` + monitor("module.deep.datadog_monitor.m", `"7"`) + `]}` +
		strings.Repeat(`]}`, depth) + `}}`
}

// Hostile or broken states are refused with an error that says what is
// wrong and where, or read; none panics.
func TestReadHostileStates(t *testing.T) {
	t.Parallel()
	manyMonitors := make([]string, 20000)
	for i := range manyMonitors {
		manyMonitors[i] = monitor(fmt.Sprintf("datadog_monitor.m[%d]", i), fmt.Sprintf(`"%d"`, i))
	}
	hugeArray := `{"version": 4, "resources": [` + strings.Repeat(`{"mode": "data", "type": "x", "instances": []},`, 100000) + `{}]}`
	tests := map[string]struct {
		state   string
		wantErr string // "" when it reads
		objects int
	}{
		"empty":                   {``, "not a Terraform state (JSON): unexpected end of JSON input", 0},
		"null":                    {`null`, "neither `show -json` output", 0},
		"a list":                  {`[]`, "not a Terraform state: the state is a list, not an object", 0},
		"a string":                {`"state"`, "the state is a string, not an object", 0},
		"truncated":               {`{"version": 4, "resources": [{"mode": "managed"`, "not a Terraform state (JSON): unexpected end of JSON input", 0},
		"syntax error":            {`{"version": 4,, }`, "invalid character ',' looking for beginning of object key string, at byte 15", 0},
		"version a string":        {`{"version": "4"}`, "version is a string, not a whole number", 0},
		"version a fraction":      {`{"version": 4.5}`, "version is the number 4.5, not a whole number", 0},
		"version huge":            {`{"version": 1e400}`, "version is the number 1e400, not a whole number", 0},
		"format_version number":   {`{"format_version": 1}`, "format_version is a number, not a string", 0},
		"values a string":         {`{"format_version": "1.0", "values": "x"}`, "values is a string, not an object", 0},
		"root_module a list":      {`{"format_version": "1.0", "values": {"root_module": []}}`, "values.root_module is a list, not an object", 0},
		"resources an object":     {`{"format_version": "1.0", "values": {"root_module": {"resources": {}}}}`, "values.root_module.resources is an object, not a list", 0},
		"address a number":        {show(`{"address": 1}`), "values.root_module.resources.address is a number, not a string", 0},
		"values a list":           {show(`{"address": "a", "values": []}`), "values.root_module.resources.values is a list, not an object", 0},
		"raw resources a map":     {`{"version": 4, "resources": {}}`, "resources is an object, not a list", 0},
		"raw attributes a list":   {`{"version": 4, "resources": [{"instances": [{"attributes": []}]}]}`, "resources.instances.attributes is a list, not an object", 0},
		"null values":             {show(`{"address": "datadog_monitor.m", "mode": "managed", "type": "datadog_monitor", "values": null}`), "datadog_monitor.m has no id attribute", 0},
		"null id":                 {show(monitor("datadog_monitor.m", `null`)), "datadog_monitor.m has no id attribute", 0},
		"empty id":                {show(monitor("datadog_monitor.m", `""`)), "datadog_monitor.m has no id attribute", 0},
		"id a boolean":            {show(monitor("datadog_monitor.m", `true`)), "datadog_monitor.m: its id attribute is true, not a string", 0},
		"id a list":               {show(monitor("datadog_monitor.m", `["1"]`)), "datadog_monitor.m: its id attribute is a list, not a string", 0},
		"id an object":            {show(monitor("datadog_monitor.m", `{"id": "1"}`)), "datadog_monitor.m: its id attribute is a map, not a string", 0},
		"id a fraction":           {show(monitor("datadog_monitor.m", `1.5`)), "its id attribute is the number 1.5, not a string", 0},
		"id beyond 2^53":          {show(monitor("datadog_monitor.m", `12345678901234567890`)), "its id attribute is the number 1.2345678901234567e+19, not a string", 0},
		"id a whole number":       {show(monitor("datadog_monitor.m", `42`)), "", 1},
		"name a number":           {show(`{"address": "datadog_monitor.m", "mode": "managed", "type": "datadog_monitor", "values": {"id": "1", "name": 7}}`), "", 1},
		"name a list":             {show(`{"address": "datadog_monitor.m", "mode": "managed", "type": "datadog_monitor", "values": {"id": "1", "name": ["M"]}}`), "datadog_monitor.m: its name attribute is a list, not a string", 0},
		"duplicate ids":           {show(monitor("datadog_monitor.a", `"1"`), monitor("datadog_monitor.b", `"1"`)), `datadog_monitor.a and datadog_monitor.b have the same id "1"`, 0},
		"duplicate addresses":     {show(monitor("datadog_monitor.a", `"1"`), monitor("datadog_monitor.a", `"2"`)), "the state lists datadog_monitor.a twice", 0},
		"one id, two types":       {show(monitor("datadog_monitor.a", `"1"`), `{"address": "datadog_role.r", "mode": "managed", "type": "datadog_role", "values": {"id": "1", "name": "R"}}`), "", 2},
		"raw duplicate instance":  {`{"version": 4, "resources": [{"mode": "managed", "type": "datadog_monitor", "name": "m", "instances": [{"index_key": 0, "attributes": {"id": "1", "name": "M"}}, {"index_key": 0, "attributes": {"id": "2", "name": "M"}}]}]}`, "the state lists datadog_monitor.m[0] twice", 0},
		"raw index key an object": {`{"version": 4, "resources": [{"mode": "managed", "type": "datadog_monitor", "name": "m", "instances": [{"index_key": {}, "attributes": {"id": "1", "name": "M"}}]}]}`, "", 1},
		"modules 1000 deep":       {nested(1000), "", 1},
		"JSON 10001 deep":         {nested(5000), "exceeded max depth", 0},
		"20000 monitors":          {show(manyMonitors...), "", 20000},
		"100000 data sources":     {hugeArray, "", 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			objs, err := Read([]byte(tc.state), registryTypes)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.NotContains(t, err.Error(), "Go ", "no Go type in a message")
				assert.NotContains(t, err.Error(), "interface {}")
				assert.Nil(t, objs)
			} else {
				require.NoError(t, err)
				assert.Len(t, objs, tc.objects)
			}
			assert.NotPanics(t, func() { RoleNames([]byte(tc.state)) })
		})
	}
}

// FuzzRead: no state, however broken, panics the reader; a state it reads
// gives objects of the types asked for, each with an id and a key, sorted
// and each once.
func FuzzRead(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{
		filepath.Join("..", "..", "testdata", "tfstate", "*.json"),
		filepath.Join("..", "cli", "testdata", "import", "*.json"),
		filepath.Join("..", "cli", "testdata", "import", "*.tfstate"),
	} {
		files, err := filepath.Glob(pattern)
		require.NoError(f, err)
		seeds = append(seeds, files...)
	}
	require.NotEmpty(f, seeds)
	for _, file := range seeds {
		data, err := os.ReadFile(file)
		require.NoError(f, err)
		f.Add(data)
	}
	for _, s := range []string{
		show(monitor("datadog_monitor.a", `"1"`), monitor("datadog_monitor.b", `"1"`)),
		show(monitor("datadog_monitor.m", `42`)),
		nested(3),
		`{"version": 4, "resources": [{"mode": "managed", "type": "datadog_integration_slack_channel", "name": "c", "instances": [{"index_key": "k", "attributes": {"id": "a:#b", "account_name": "a", "channel_name": "#b"}}]}]}`,
		`{"version": 4, "resources": null}`,
		`{"format_version": "1.0", "values": null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		objs, err := Read(data, registryTypes)
		RoleNames(data)
		if err != nil {
			if objs != nil {
				t.Fatalf("objects with an error: %v", err)
			}
			if msg := err.Error(); msg == "" || strings.Contains(msg, "interface {}") || strings.Contains(msg, "Go value") {
				t.Fatalf("unclear error: %q", msg)
			}
			return
		}
		if !slices.IsSortedFunc(objs, func(a, b Object) int { return strings.Compare(a.Address, b.Address) }) {
			t.Fatal("objects not sorted by address")
		}
		ids := map[[2]string]bool{}
		for i, o := range objs {
			if _, ok := registryTypes[o.Type]; !ok {
				t.Fatalf("%s: type %q was not asked for", o.Address, o.Type)
			}
			if o.ID == "" || o.Key == "" {
				t.Fatalf("%s: empty id %q or key %q", o.Address, o.ID, o.Key)
			}
			if i > 0 && objs[i-1].Address == o.Address {
				t.Fatalf("%s twice", o.Address)
			}
			if ids[[2]string{o.Type, o.ID}] {
				t.Fatalf("%s: id %q twice", o.Address, o.ID)
			}
			ids[[2]string{o.Type, o.ID}] = true
		}
		if _, err := json.Marshal(objs); err != nil {
			t.Fatalf("objects do not marshal: %v", err)
		}
	})
}
