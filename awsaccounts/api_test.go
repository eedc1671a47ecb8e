package awsaccounts_test

import (
	"testing"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadog"
	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/awsaccounts"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddfake"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
)

// Production's integration, by the ids the Terraform state gives it.
const (
	integrationID = "ac68bbf9-21d9-53d1-cfab-916cb6120864"
	pytorchID     = "391835788720"
)

// apiAccount is production's AWS account as GET
// /api/v2/integration/aws/accounts answers it; change alters it.
func apiAccount(id, accountID string, change func(*datadogV2.AWSAccountResponseAttributes)) datadogV2.AWSAccountResponseData {
	partition := datadogV2.AWSACCOUNTPARTITION_AWS
	auth := datadogV2.AWSAuthConfigRoleAsAWSAuthConfig(&datadogV2.AWSAuthConfigRole{RoleName: "DatadogIntegrationRole", ExternalId: datadog.PtrString("0123456789abcdef")})
	regions := datadogV2.AWSRegionsIncludeAllAsAWSRegions(&datadogV2.AWSRegionsIncludeAll{IncludeAll: true})
	namespaces := datadogV2.AWSNamespaceFiltersExcludeOnlyAsAWSNamespaceFilters(&datadogV2.AWSNamespaceFiltersExcludeOnly{ExcludeOnly: []string{"AWS/SQS", "AWS/ElasticMapReduce", "AWS/Usage"}})
	xray := datadogV2.XRayServicesIncludeOnlyAsXRayServicesList(&datadogV2.XRayServicesIncludeOnly{IncludeOnly: []string{}})
	attrs := &datadogV2.AWSAccountResponseAttributes{
		AccountTags:  *datadog.NewNullableList(&[]string{}),
		AuthConfig:   &auth,
		AwsAccountId: accountID,
		AwsPartition: &partition,
		AwsRegions:   &regions,
		LogsConfig:   &datadogV2.AWSLogsConfig{LambdaForwarder: &datadogV2.AWSLambdaForwarderConfig{Lambdas: []string{}, Sources: []string{}}},
		MetricsConfig: &datadogV2.AWSMetricsConfig{
			AutomuteEnabled: datadog.PtrBool(true), CollectCloudwatchAlarms: datadog.PtrBool(true),
			CollectCustomMetrics: datadog.PtrBool(true), Enabled: datadog.PtrBool(true),
			NamespaceFilters: &namespaces, TagFilters: []datadogV2.AWSNamespaceTagFilter{},
		},
		ResourcesConfig: &datadogV2.AWSResourcesConfig{CloudSecurityPostureManagementCollection: datadog.PtrBool(true), ExtendedCollection: datadog.PtrBool(true)},
		TracesConfig:    &datadogV2.AWSTracesConfig{XrayServices: &xray},
	}
	if change != nil {
		change(attrs)
	}
	return datadogV2.AWSAccountResponseData{Id: id, Type: datadogV2.AWSACCOUNTTYPE_ACCOUNT, Attributes: attrs}
}

// accountObject is an account as List makes it.
func accountObject(a datadogV2.AWSAccountResponseData) live.Object {
	accountID := a.Attributes.GetAwsAccountId()
	return live.Object{ID: a.Id, On: accountID, Name: "AWS account " + accountID, Key: awsaccounts.KeyOf(accountID), Data: a}
}

// apiProductionEntry is what both doors write for production's account:
// every block, defaults included.
func apiProductionEntry() map[string]any {
	return map[string]any{
		"accountId": pytorchID, "importId": integrationID, "partition": "aws", "tags": []any{},
		"roleName": "DatadogIntegrationRole", "regions": "all",
		"logs": map[string]any{"lambdas": []any{}, "sources": []any{}},
		"metrics": map[string]any{
			"enabled": true, "automute": true, "collectCloudwatchAlarms": true, "collectCustomMetrics": true,
			"namespaces": map[string]any{"exclude": []any{"AWS/SQS", "AWS/ElasticMapReduce", "AWS/Usage"}},
			"tagFilters": map[string]any{},
		},
		"resources": map[string]any{"cspm": true, "extendedCollection": true},
		"traces":    map[string]any{"xrayServices": []any{}},
	}
}

func TestFromAPI(t *testing.T) {
	t.Parallel()
	filter := func(namespace string, tags ...string) datadogV2.AWSNamespaceTagFilter {
		f := datadogV2.NewAWSNamespaceTagFilter()
		f.SetNamespace(namespace)
		f.SetTags(tags)
		return *f
	}
	logFilter := func(source string, tags ...string) datadogV2.AWSLogSourceTagFilter {
		f := datadogV2.NewAWSLogSourceTagFilter()
		f.SetSource(source)
		f.SetTags(tags)
		return *f
	}
	tests := map[string]struct {
		account datadogV2.AWSAccountResponseData
		entry   map[string]any
	}{
		"production's account": {apiAccount(integrationID, pytorchID, nil), apiProductionEntry()},
		"listed regions, included namespaces, tag filters, every X-Ray service": {
			account: apiAccount(integrationID, "123456789012", func(a *datadogV2.AWSAccountResponseAttributes) {
				a.AccountTags = *datadog.NewNullableList(&[]string{"team:infra"})
				regions := datadogV2.AWSRegionsIncludeOnlyAsAWSRegions(&datadogV2.AWSRegionsIncludeOnly{IncludeOnly: []string{"us-east-1", "us-west-2"}})
				a.AwsRegions = &regions
				a.LogsConfig.LambdaForwarder = &datadogV2.AWSLambdaForwarderConfig{
					Lambdas:         []string{"arn:aws:lambda:us-east-1:123456789012:function:datadog-forwarder"},
					Sources:         []string{"s3", "lambda"},
					LogSourceConfig: &datadogV2.AWSLambdaForwarderConfigLogSourceConfig{TagFilters: []datadogV2.AWSLogSourceTagFilter{logFilter("s3", "env:prod")}},
				}
				ns := datadogV2.AWSNamespaceFiltersIncludeOnlyAsAWSNamespaceFilters(&datadogV2.AWSNamespaceFiltersIncludeOnly{IncludeOnly: []string{"AWS/EC2"}})
				a.MetricsConfig = &datadogV2.AWSMetricsConfig{
					Enabled: datadog.PtrBool(true), AutomuteEnabled: datadog.PtrBool(false),
					NamespaceFilters: &ns, TagFilters: []datadogV2.AWSNamespaceTagFilter{filter("AWS/EC2", "env:prod", "!region:us-east-1")},
				}
				xray := datadogV2.XRayServicesIncludeAllAsXRayServicesList(&datadogV2.XRayServicesIncludeAll{IncludeAll: true})
				a.TracesConfig.XrayServices = &xray
				a.ResourcesConfig = &datadogV2.AWSResourcesConfig{ExtendedCollection: datadog.PtrBool(false)}
			}),
			entry: map[string]any{
				"accountId": "123456789012", "importId": integrationID, "partition": "aws", "tags": []any{"team:infra"},
				"roleName": "DatadogIntegrationRole", "regions": []any{"us-east-1", "us-west-2"},
				"logs": map[string]any{
					"lambdas":    []any{"arn:aws:lambda:us-east-1:123456789012:function:datadog-forwarder"},
					"sources":    []any{"s3", "lambda"},
					"tagFilters": map[string]any{"s3": []any{"env:prod"}},
				},
				"metrics": map[string]any{
					"enabled": true, "automute": false,
					"namespaces": map[string]any{"include": []any{"AWS/EC2"}},
					"tagFilters": map[string]any{"AWS/EC2": []any{"env:prod", "!region:us-east-1"}},
				},
				"resources": map[string]any{"extendedCollection": false},
				"traces":    map[string]any{"xrayServices": "all"},
			},
		},
		"only the role: every other block left to the defaults": {
			account: apiAccount(integrationID, pytorchID, func(a *datadogV2.AWSAccountResponseAttributes) {
				a.AccountTags = *datadog.NewNullableList[string](nil)
				a.AwsPartition, a.AwsRegions, a.LogsConfig, a.MetricsConfig, a.ResourcesConfig, a.TracesConfig = nil, nil, nil, nil, nil, nil
			}),
			entry: map[string]any{"accountId": pytorchID, "importId": integrationID, "tags": []any{}, "roleName": "DatadogIntegrationRole"},
		},
		"empty blocks": {
			account: apiAccount(integrationID, pytorchID, func(a *datadogV2.AWSAccountResponseAttributes) {
				a.LogsConfig = &datadogV2.AWSLogsConfig{}
				a.MetricsConfig = &datadogV2.AWSMetricsConfig{}
				a.TracesConfig = &datadogV2.AWSTracesConfig{}
			}),
			entry: func() map[string]any {
				e := apiProductionEntry()
				delete(e, "logs")
				e["metrics"] = map[string]any{"namespaces": map[string]any{}, "tagFilters": map[string]any{}}
				e["traces"] = map[string]any{}
				return e
			}(),
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			entry, err := awsaccounts.FromAPI(accountObject(tc.account))
			require.NoError(t, err)
			assert.Equal(t, tc.entry, entry)
		})
	}
}

func TestFromAPIErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		change   func(*datadogV2.AWSAccountResponseAttributes)
		contains []string
	}{
		"access keys": {func(a *datadogV2.AWSAccountResponseAttributes) {
			auth := datadogV2.AWSAuthConfigKeysAsAWSAuthConfig(&datadogV2.AWSAuthConfigKeys{AccessKeyId: "AKIAEXAMPLE"})
			a.AuthConfig = &auth
		}, []string{"AWS account 391835788720 (integration " + integrationID + "): authenticates with access keys", "role delegation only"}},
		"no auth": {func(a *datadogV2.AWSAccountResponseAttributes) { a.AuthConfig = nil }, []string{"no auth_config"}},
		"metric name filters": {func(a *datadogV2.AWSAccountResponseAttributes) {
			a.MetricsConfig.MetricNameFilters = []datadogV2.AWSMetricNameFilters{{AWSMetricNameFiltersIncludeOnly: &datadogV2.AWSMetricNameFiltersIncludeOnly{Namespace: "AWS/EC2", IncludeOnly: []string{"CPU*"}}}}
		}, []string{"metric name filters", "would remove them"}},
		"regions neither all nor listed": {func(a *datadogV2.AWSAccountResponseAttributes) {
			regions := datadogV2.AWSRegionsIncludeOnlyAsAWSRegions(&datadogV2.AWSRegionsIncludeOnly{IncludeOnly: []string{}})
			a.AwsRegions = &regions
		}, []string{"aws_regions has neither include_all nor include_only"}},
		"a namespace filtered twice": {func(a *datadogV2.AWSAccountResponseAttributes) {
			f := datadogV2.NewAWSNamespaceTagFilter()
			f.SetNamespace("AWS/EC2")
			a.MetricsConfig.TagFilters = []datadogV2.AWSNamespaceTagFilter{*f, *f}
		}, []string{`metrics_config.tag_filters[1]: namespace "AWS/EC2" is filtered twice`}},
		"a role given by its ARN": {func(a *datadogV2.AWSAccountResponseAttributes) {
			auth := datadogV2.AWSAuthConfigRoleAsAWSAuthConfig(&datadogV2.AWSAuthConfigRole{RoleName: "arn:aws:iam::391835788720:role/DatadogIntegrationRole"})
			a.AuthConfig = &auth
		}, []string{"cannot be written as config", "awsAccounts.aws-391835788720.roleName", "is an ARN"}},
		"CSPM without extended collection": {func(a *datadogV2.AWSAccountResponseAttributes) {
			a.ResourcesConfig.ExtendedCollection = datadog.PtrBool(false)
		}, []string{"cannot be written as config", "resources.cspm", "needs extendedCollection"}},
		"a region of another partition": {func(a *datadogV2.AWSAccountResponseAttributes) {
			regions := datadogV2.AWSRegionsIncludeOnlyAsAWSRegions(&datadogV2.AWSRegionsIncludeOnly{IncludeOnly: []string{"cn-north-1"}})
			a.AwsRegions = &regions
		}, []string{"cannot be written as config", `"cn-north-1" is a region of partition aws-cn`}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			entry, err := awsaccounts.FromAPI(accountObject(apiAccount(integrationID, pytorchID, tc.change)))
			require.Error(t, err)
			for _, c := range tc.contains {
				assert.Contains(t, err.Error(), c)
			}
			assert.Nil(t, entry)
		})
	}

	t.Run("no account data", func(t *testing.T) {
		t.Parallel()
		_, err := awsaccounts.FromAPI(live.Object{ID: integrationID, Name: "AWS account 1", Data: "x"})
		assert.ErrorContains(t, err, "AWS account 1: no account data")
	})
	t.Run("no attributes", func(t *testing.T) {
		t.Parallel()
		_, err := awsaccounts.FromAPI(live.Object{ID: integrationID, Name: "AWS account ?", Data: datadogV2.AWSAccountResponseData{Id: integrationID}})
		assert.ErrorContains(t, err, "Datadog gave it no id or AWS account id")
	})
}

// The two doors into the stack agree: production's account read from
// Datadog is the entry ddstack import writes from the Terraform state.
func TestFromAPIAgreesWithFromTerraform(t *testing.T) {
	t.Parallel()
	objs := ddfake.ProductionState(t, map[string][]string{awsaccounts.TerraformType: {awsaccounts.MatchOn}})
	require.Len(t, objs, 1, "production has one AWS account")
	key, fromTerraform, err := awsaccounts.FromTerraform(objs[0].Attrs)
	require.NoError(t, err)

	o := accountObject(apiAccount(objs[0].ID, objs[0].Key, nil))
	fromAPI, err := awsaccounts.FromAPI(o)
	require.NoError(t, err)
	assert.Equal(t, fromTerraform, fromAPI)
	assert.Equal(t, key, o.Key)
}

func TestList(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.AWSAccounts = []datadogV2.AWSAccountResponseData{
		apiAccount(integrationID, pytorchID, nil),
		apiAccount("bbbbbbbb-0000-1111-2222-333344445555", "123456789012", nil),
	}
	l, err := awsaccounts.List(f.Reader(t))
	require.NoError(t, err)
	assert.Empty(t, l.Partial)
	require.Len(t, l.Objects, 2)
	for i, want := range []struct{ id, account string }{{integrationID, pytorchID}, {"bbbbbbbb-0000-1111-2222-333344445555", "123456789012"}} {
		o := l.Objects[i]
		assert.Equal(t, want.id, o.ID, "the integration's UUID, its import id")
		assert.Equal(t, want.account, o.On, "matched on the AWS account id")
		assert.Equal(t, "AWS account "+want.account, o.Name)
		assert.Equal(t, "aws-"+want.account, o.Key)
		assert.False(t, o.Quiet)
	}
	entry, err := awsaccounts.FromAPI(l.Objects[0])
	require.NoError(t, err)
	assert.Equal(t, apiProductionEntry(), entry, "what the API answers converts as the model does")

	reqs := f.Requests()
	require.Len(t, reqs, 1, "one answer holds every account")
	assert.Equal(t, "/api/v2/integration/aws/accounts", reqs[0].Path)
	assert.Empty(t, reqs[0].Query)
}

func TestListFails(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Fault("/api/v2/integration/aws/accounts", ddfake.Fault{Status: 400, Body: `{"errors":["bad"]}`})
	l, err := awsaccounts.List(f.Reader(t))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "GET /api/v2/integration/aws/accounts: 400 Bad Request")
	assert.Empty(t, l.Objects)
}
