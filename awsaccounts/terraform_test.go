package awsaccounts_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/awsaccounts"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

const stateID = "a1b2c3d4-0000-1111-2222-333344445555"

// productionState is production's account as `tofu show -json` gives its
// values: the provider's single nested blocks as objects, the defaults
// the provider filled in written out.
func productionState() obj {
	return obj{
		"id":             stateID,
		"aws_account_id": "391835788720",
		"aws_partition":  "aws",
		"account_tags":   []any{},
		"auth_config": obj{
			"aws_auth_config_keys": nil,
			"aws_auth_config_role": obj{"role_name": "DatadogIntegrationRole", "external_id": "0f1e2d3c4b5a69788796a5b4c3d2e1f0"},
		},
		"aws_regions": obj{"include_all": true, "include_only": nil},
		"logs_config": obj{"lambda_forwarder": obj{"lambdas": []any{}, "sources": []any{}}},
		"metrics_config": obj{
			"automute_enabled": true, "collect_cloudwatch_alarms": true, "collect_custom_metrics": true, "enabled": true,
			"namespace_filters": obj{"exclude_only": []any{"AWS/SQS", "AWS/ElasticMapReduce"}, "include_only": nil},
			"tag_filters":       []any{},
		},
		"resources_config": obj{"cloud_security_posture_management_collection": true, "extended_collection": true},
		"traces_config":    obj{"xray_services": obj{"include_all": nil, "include_only": []any{}}},
	}
}

// productionEntry is the config entry FromTerraform makes of it.
var productionEntry = obj{
	"accountId": "391835788720",
	"partition": "aws",
	"regions":   "all",
	"roleName":  "DatadogIntegrationRole",
	"tags":      []any{},
	"logs":      obj{"lambdas": []any{}, "sources": []any{}},
	"metrics": obj{
		"enabled": true, "automute": true, "collectCloudwatchAlarms": true, "collectCustomMetrics": true,
		"namespaces": obj{"exclude": []any{"AWS/SQS", "AWS/ElasticMapReduce"}},
		"tagFilters": obj{},
	},
	"resources": obj{"cspm": true, "extendedCollection": true},
	"traces":    obj{"xrayServices": []any{}},
	"importId":  stateID,
}

// roundTrip gives an entry, as JSON, to Decode under its key and returns
// the account.
func roundTrip(t *testing.T, key string, entry obj) awsaccounts.Account {
	t.Helper()
	raw, err := json.Marshal(obj{key: entry})
	require.NoError(t, err)
	p := &configkit.Problems{}
	got := awsaccounts.Decode(p, string(raw), true)
	require.NoError(t, p.Err(), "the entry decodes: %s", raw)
	require.Contains(t, got, key)
	return got[key]
}

func TestFromTerraformProduction(t *testing.T) {
	t.Parallel()
	key, entry, err := awsaccounts.FromTerraform(productionState())
	require.NoError(t, err)
	assert.Equal(t, "aws-391835788720", key)
	assert.True(t, configkit.IsKey(key))
	assert.Equal(t, productionEntry, entry)
	assert.NotContains(t, entry, "externalId", "Datadog's generated external id stays out of the stack file")

	want := productionAccount()
	want.Metrics.Namespaces = awsaccounts.Namespaces{Mode: awsaccounts.Exclude, Names: []string{"AWS/SQS", "AWS/ElasticMapReduce"}}
	want.ImportID = stateID
	assert.Equal(t, want, roundTrip(t, key, entry), "the same values as the state, adopted by its id")
}

// TestFromTerraformBlocksAsLists: nested blocks written as lists of one
// object (as an SDKv2 provider's, or a raw state's) map the same way.
func TestFromTerraformBlocksAsLists(t *testing.T) {
	t.Parallel()
	var listify func(v any) any
	listify = func(v any) any {
		m, ok := v.(obj)
		if !ok {
			return v
		}
		out := obj{}
		for k, e := range m {
			if inner, isObj := e.(obj); isObj {
				out[k] = []any{listify(inner)}
			} else {
				out[k] = e
			}
		}
		return out
	}
	state := listify(productionState()).(obj)
	require.IsType(t, []any{}, state["auth_config"], "blocks are lists now")
	_, entry, err := awsaccounts.FromTerraform(state)
	require.NoError(t, err)
	assert.Equal(t, productionEntry, entry)

	// An empty list or null is an absent block: Datadog's defaults.
	state = productionState()
	state["logs_config"] = []any{}
	state["traces_config"] = nil
	state["aws_regions"] = nil
	_, entry, err = awsaccounts.FromTerraform(state)
	require.NoError(t, err)
	assert.NotContains(t, entry, "logs")
	assert.NotContains(t, entry, "traces")
	assert.NotContains(t, entry, "regions")
	a := roundTrip(t, "a", entry)
	assert.True(t, a.AllRegions)
	assert.Equal(t, awsaccounts.Traces{XrayServices: []string{}}, a.Traces)
}

func TestFromTerraformRoundTrips(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		edit  func(s obj)
		entry func(e obj)
		want  func(a *awsaccounts.Account)
	}{
		"listed regions and tags": {
			edit: func(s obj) {
				s["aws_regions"] = obj{"include_all": nil, "include_only": []any{"us-east-1", "us-west-2"}}
				s["account_tags"] = []any{"team:infra"}
			},
			entry: func(e obj) { e["regions"] = []any{"us-east-1", "us-west-2"}; e["tags"] = []any{"team:infra"} },
			want: func(a *awsaccounts.Account) {
				a.AllRegions, a.Regions = false, []string{"us-east-1", "us-west-2"}
				a.Tags = []string{"team:infra"}
			},
		},
		"included namespaces win over a leftover exclusion": {
			edit: func(s obj) {
				s["metrics_config"].(obj)["namespace_filters"] = obj{"include_only": []any{"AWS/EC2"}, "exclude_only": []any{"AWS/SQS"}}
			},
			entry: func(e obj) { e["metrics"].(obj)["namespaces"] = obj{"include": []any{"AWS/EC2"}} },
			want: func(a *awsaccounts.Account) {
				a.Metrics.Namespaces = awsaccounts.Namespaces{Mode: awsaccounts.Include, Names: []string{"AWS/EC2"}}
			},
		},
		"no namespace filter at all": {
			edit:  func(s obj) { s["metrics_config"].(obj)["namespace_filters"] = nil },
			entry: func(e obj) { e["metrics"].(obj)["namespaces"] = obj{} },
			want:  func(a *awsaccounts.Account) { a.Metrics.Namespaces = awsaccounts.Namespaces{} },
		},
		"tag filters, forwarders, every X-Ray service": {
			edit: func(s obj) {
				s["metrics_config"].(obj)["tag_filters"] = []any{
					obj{"namespace": "AWS/EC2", "tags": []any{"datadog:true"}},
					obj{"namespace": "AWS/RDS", "tags": nil},
				}
				s["logs_config"] = obj{"lambda_forwarder": obj{
					"lambdas": []any{"arn:aws:lambda:us-east-1:391835788720:function:datadog-forwarder"},
					"sources": []any{"s3"},
					"log_source_config": obj{"tag_filters": []any{
						obj{"source": "s3", "tags": []any{"env:prod"}},
					}},
				}}
				s["traces_config"] = obj{"xray_services": obj{"include_all": true, "include_only": nil}}
			},
			entry: func(e obj) {
				e["metrics"].(obj)["tagFilters"] = obj{"AWS/EC2": []any{"datadog:true"}, "AWS/RDS": []any{}}
				e["logs"] = obj{
					"lambdas":    []any{"arn:aws:lambda:us-east-1:391835788720:function:datadog-forwarder"},
					"sources":    []any{"s3"},
					"tagFilters": obj{"s3": []any{"env:prod"}},
				}
				e["traces"] = obj{"xrayServices": "all"}
			},
			want: func(a *awsaccounts.Account) {
				a.Metrics.TagFilters = map[string][]string{"AWS/EC2": {"datadog:true"}, "AWS/RDS": {}}
				a.Logs = awsaccounts.Logs{
					Lambdas:    []string{"arn:aws:lambda:us-east-1:391835788720:function:datadog-forwarder"},
					Sources:    []string{"s3"},
					TagFilters: map[string][]string{"s3": {"env:prod"}},
				}
				a.Traces = awsaccounts.Traces{AllXrayServices: true}
			},
		},
		"no metric name filters: an empty list": {
			edit:  func(s obj) { s["metrics_config"].(obj)["metric_name_filters"] = []any{} },
			entry: func(e obj) {},
			want:  func(a *awsaccounts.Account) {},
		},
		"no metric name filters: null": {
			edit:  func(s obj) { s["metrics_config"].(obj)["metric_name_filters"] = nil },
			entry: func(e obj) {},
			want:  func(a *awsaccounts.Account) {},
		},
		"collection off, null booleans left to the defaults": {
			edit: func(s obj) {
				s["metrics_config"].(obj)["enabled"] = false
				s["metrics_config"].(obj)["automute_enabled"] = nil
				s["resources_config"] = obj{"cloud_security_posture_management_collection": nil, "extended_collection": false}
				s["aws_partition"] = nil
			},
			entry: func(e obj) {
				e["metrics"].(obj)["enabled"] = false
				delete(e["metrics"].(obj), "automute")
				e["resources"] = obj{"extendedCollection": false}
				delete(e, "partition")
			},
			want: func(a *awsaccounts.Account) {
				a.Metrics.Enabled = false
				a.Resources = awsaccounts.Resources{CSPM: false, ExtendedCollection: false}
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			state := productionState()
			tc.edit(state)
			key, entry, err := awsaccounts.FromTerraform(state)
			require.NoError(t, err)

			wantEntry := deepCopy(t, productionEntry)
			tc.entry(wantEntry)
			assert.Equal(t, wantEntry, entry)

			want := productionAccount()
			want.Metrics.Namespaces = awsaccounts.Namespaces{Mode: awsaccounts.Exclude, Names: []string{"AWS/SQS", "AWS/ElasticMapReduce"}}
			want.ImportID = stateID
			tc.want(&want)
			assert.Equal(t, want, roundTrip(t, key, entry))
		})
	}
}

func deepCopy(t *testing.T, m obj) obj {
	t.Helper()
	data, err := json.Marshal(m)
	require.NoError(t, err)
	var out obj
	require.NoError(t, json.Unmarshal(data, &out))
	return out
}

func TestFromTerraformRefuses(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		edit     func(s obj)
		fragment string
	}{
		"no id":         {func(s obj) { delete(s, "id") }, "datadog_integration_aws_account: no id attribute"},
		"no account id": {func(s obj) { s["aws_account_id"] = nil }, "no aws_account_id attribute"},
		"access keys": {func(s obj) {
			s["auth_config"] = obj{"aws_auth_config_keys": obj{"access_key_id": "AKIAEXAMPLE0000000000", "secret_access_key": nil}, "aws_auth_config_role": nil}
		}, "authenticates with access keys; this stack supports role delegation only"},
		"no auth":             {func(s obj) { s["auth_config"] = nil }, "no auth_config block"},
		"no role name":        {func(s obj) { s["auth_config"] = obj{"aws_auth_config_role": obj{"role_name": nil}} }, "has no role_name"},
		"no regions":          {func(s obj) { s["aws_regions"] = obj{"include_all": false, "include_only": nil} }, "aws_regions has neither include_all nor include_only"},
		"two blocks":          {func(s obj) { s["aws_regions"] = []any{obj{}, obj{}} }, "aws_regions is not one block"},
		"a block not a block": {func(s obj) { s["metrics_config"] = "x" }, "metrics_config is not one block"},
		"tags not a list":     {func(s obj) { s["account_tags"] = "team:infra" }, "account_tags is not a list"},
		"a tag not a string":  {func(s obj) { s["account_tags"] = []any{1.0} }, "account_tags[0] is not a string"},
		"a namespace filtered twice": {func(s obj) {
			s["metrics_config"].(obj)["tag_filters"] = []any{obj{"namespace": "AWS/EC2"}, obj{"namespace": "AWS/EC2"}}
		}, `metrics_config.tag_filters[1]: namespace "AWS/EC2" is filtered twice`},
		"a tag filter without its namespace": {func(s obj) {
			s["metrics_config"].(obj)["tag_filters"] = []any{obj{"tags": []any{}}}
		}, "metrics_config.tag_filters[0] has no namespace"},
		"a log tag filter not a block": {func(s obj) {
			s["logs_config"] = obj{"lambda_forwarder": obj{"log_source_config": obj{"tag_filters": []any{"s3"}}}}
		}, "log_source_config.tag_filters[0] is not a block"},
		// FromAPI refuses them too (TestFromAPIErrors): an entry without
		// them would remove them.
		"metric name filters": {func(s obj) {
			s["metrics_config"].(obj)["metric_name_filters"] = []any{obj{"namespace": "AWS/EC2", "include_only": []any{"aws.ec2.cpu*"}, "exclude_only": nil}}
		}, "(account 391835788720): it has metric name filters, which this stack does not express (adopting it would remove them)"},
		"metric name filters as one block": {func(s obj) {
			s["metrics_config"].(obj)["metric_name_filters"] = obj{"namespace": "AWS/EC2", "exclude_only": []any{"aws.ec2.network*"}}
		}, "it has metric name filters"},
		"X-Ray services not a list": {func(s obj) {
			s["traces_config"] = obj{"xray_services": obj{"include_only": "api"}}
		}, "traces_config.xray_services.include_only is not a list"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			state := productionState()
			tc.edit(state)
			key, entry, err := awsaccounts.FromTerraform(state)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.fragment)
			assert.Empty(t, key)
			assert.Nil(t, entry)
		})
	}
}

// TestFromTerraformNamesTheObject: errors after the id say which
// integration and account they are about.
func TestFromTerraformNamesTheObject(t *testing.T) {
	t.Parallel()
	state := productionState()
	state["auth_config"] = nil
	_, _, err := awsaccounts.FromTerraform(state)
	require.Error(t, err)
	assert.Equal(t, "datadog_integration_aws_account "+stateID+" (account 391835788720): no auth_config block", err.Error())
	assert.Equal(t, "datadog_integration_aws_account", awsaccounts.TerraformType)
	assert.Equal(t, "aws_account_id", awsaccounts.MatchOn)
}
