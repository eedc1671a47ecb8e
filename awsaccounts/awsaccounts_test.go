package awsaccounts_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/awsaccounts"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock/ddmocktest"
)

type obj = map[string]any

type registered = ddmocktest.Registered

// register runs awsaccounts.New under the mock with an explicit provider,
// as the program does, and returns the accounts it registered.
func register(t *testing.T, accounts map[string]awsaccounts.Account) registered {
	t.Helper()
	var made map[string]*aws.IntegrationAccount
	rec, err := ddmock.Run(configkit.Namespace, "test", nil, nil, ddmock.WithProvider(func(ctx *pulumi.Context, provider pulumi.ResourceOrInvokeOption) (err error) {
		made, err = awsaccounts.New(ctx, accounts, provider)
		return err
	}))
	require.NoError(t, err)
	assert.Len(t, made, len(accounts), "New returns every account by key")
	for key := range accounts {
		assert.NotNil(t, made[key], key)
	}
	out := ddmocktest.Collect(t, rec, awsaccounts.Token)
	for _, r := range out.ByName {
		assert.Equal(t, "4.68.0", r.Version, "the SDK pins the provider version")
	}
	return out
}

// decoded decodes a section that must have no problems.
func decoded(t *testing.T, raw string) map[string]awsaccounts.Account {
	t.Helper()
	got, problems := decode(t, raw)
	require.Empty(t, problems)
	return got
}

// productionInputs are the inputs of production's account: every block
// present, Datadog's defaults written out, lists sent empty.
var productionInputs = obj{
	"awsAccountId": "391835788720",
	"awsPartition": "aws",
	"accountTags":  []any{},
	"authConfig":   obj{"awsAuthConfigRole": obj{"roleName": "DatadogIntegrationRole"}},
	"awsRegions":   obj{"includeAll": true},
	"logsConfig":   obj{"lambdaForwarder": obj{"lambdas": []any{}, "sources": []any{}}},
	"metricsConfig": obj{
		"enabled": true, "automuteEnabled": true, "collectCloudwatchAlarms": true, "collectCustomMetrics": true,
		"namespaceFilters": obj{}, "tagFilters": []any{},
	},
	"resourcesConfig": obj{"cloudSecurityPostureManagementCollection": true, "extendedCollection": true},
	"tracesConfig":    obj{"xrayServices": obj{"includeOnlies": []any{}}},
}

func TestNewPinsProduction(t *testing.T) {
	t.Parallel()
	got := register(t, decoded(t, production))
	assert.Equal(t, []string{"pytorch"}, got.Order, "one resource per key, named by it")
	assert.Equal(t, productionInputs, got.Inputs["pytorch"])
	r := got.ByName["pytorch"]
	assert.Equal(t, got.Provider, r.Provider, "registered with the explicit provider")
	assert.Empty(t, r.ImportID, "created, not adopted")
}

// TestNewSendsEveryBlockOfAMinimalAccount: an entry with only its id and
// role still sends every block, with Datadog's defaults, so that an
// imported account gets the blocks the provider needs to refresh it.
func TestNewSendsEveryBlockOfAMinimalAccount(t *testing.T) {
	t.Parallel()
	got := register(t, decoded(t, account("")))
	assert.Equal(t, obj{
		"awsAccountId": "123456789012",
		"awsPartition": "aws",
		"accountTags":  []any{},
		"authConfig":   obj{"awsAuthConfigRole": obj{"roleName": "DatadogIntegrationRole"}},
		"awsRegions":   obj{"includeAll": true},
		"logsConfig":   obj{"lambdaForwarder": obj{"lambdas": []any{}, "sources": []any{}}},
		"metricsConfig": obj{
			"enabled": true, "automuteEnabled": true, "collectCloudwatchAlarms": false, "collectCustomMetrics": false,
			"namespaceFilters": obj{}, "tagFilters": []any{},
		},
		"resourcesConfig": obj{"cloudSecurityPostureManagementCollection": false, "extendedCollection": true},
		"tracesConfig":    obj{"xrayServices": obj{"includeOnlies": []any{}}},
	}, got.Inputs["a"])
}

func TestNewPinsEveryInput(t *testing.T) {
	t.Parallel()
	got := register(t, decoded(t, `{
		"listed": {"accountId": "123456789012", "roleName": "DatadogIntegrationRole", "externalId": "0123456789abcdef",
			"regions": ["us-west-2", "us-east-1"], "tags": ["team:infra", "env:prod"],
			"logs": {"lambdas": ["arn:aws:lambda:us-east-1:123456789012:function:datadog-forwarder"], "sources": ["s3", "lambda"],
			         "tagFilters": {"s3": ["env:prod"], "lambda": ["!team:ml", "team:infra"]}},
			"metrics": {"enabled": false, "automute": false, "namespaces": {"include": ["AWS/Lambda", "AWS/EC2"]},
			            "tagFilters": {"AWS/RDS": ["env:prod"], "AWS/EC2": ["datadog:true", "!env:dev"]}},
			"resources": {"cspm": false, "extendedCollection": false},
			"traces": {"xrayServices": ["checkout", "api"]}},
		"everything": {"accountId": "210987654321", "partition": "aws-us-gov", "roleName": "dd",
			"metrics": {"namespaces": {"exclude": ["AWS/SQS"]}},
			"traces": {"xrayServices": "all"}}
	}`))
	assert.Equal(t, []string{"everything", "listed"}, got.Order, "sorted key order")
	assert.Equal(t, obj{
		"awsAccountId": "123456789012",
		"awsPartition": "aws",
		"accountTags":  []any{"team:infra", "env:prod"},
		"authConfig":   obj{"awsAuthConfigRole": obj{"roleName": "DatadogIntegrationRole", "externalId": "0123456789abcdef"}},
		"awsRegions":   obj{"includeOnlies": []any{"us-west-2", "us-east-1"}},
		"logsConfig": obj{"lambdaForwarder": obj{
			"lambdas": []any{"arn:aws:lambda:us-east-1:123456789012:function:datadog-forwarder"},
			"sources": []any{"s3", "lambda"},
			"logSourceConfig": obj{"tagFilters": []any{
				obj{"source": "lambda", "tags": []any{"!team:ml", "team:infra"}},
				obj{"source": "s3", "tags": []any{"env:prod"}},
			}},
		}},
		"metricsConfig": obj{
			"enabled": false, "automuteEnabled": false, "collectCloudwatchAlarms": false, "collectCustomMetrics": false,
			"namespaceFilters": obj{"includeOnlies": []any{"AWS/Lambda", "AWS/EC2"}},
			"tagFilters": []any{
				obj{"namespace": "AWS/EC2", "tags": []any{"datadog:true", "!env:dev"}},
				obj{"namespace": "AWS/RDS", "tags": []any{"env:prod"}},
			},
		},
		"resourcesConfig": obj{"cloudSecurityPostureManagementCollection": false, "extendedCollection": false},
		"tracesConfig":    obj{"xrayServices": obj{"includeOnlies": []any{"checkout", "api"}}},
	}, got.Inputs["listed"], "lists in config order; tag filters sorted by namespace and source")

	every := got.Inputs["everything"]
	assert.Equal(t, "aws-us-gov", every["awsPartition"])
	assert.Equal(t, obj{"includeAll": true}, every["awsRegions"], "all regions: include_all alone, never with include_only")
	assert.Equal(t, obj{"xrayServices": obj{"includeAll": true}}, every["tracesConfig"], "every X-Ray service: include_all alone")
	assert.Equal(t, obj{"excludeOnlies": []any{"AWS/SQS"}}, every["metricsConfig"].(obj)["namespaceFilters"])
	assert.NotContains(t, every["logsConfig"].(obj)["lambdaForwarder"], "logSourceConfig", "no log source block without filters")
	assert.NotContains(t, every["authConfig"].(obj)["awsAuthConfigRole"], "externalId", "unset: Datadog's generated one is kept")
}

func TestNewAdoptsByImportID(t *testing.T) {
	t.Parallel()
	got := register(t, decoded(t, `{
		"adopted": {"accountId": "123456789012", "roleName": "r", "importId": "a1b2c3d4-0000-1111-2222-333344445555"},
		"created": {"accountId": "210987654321", "roleName": "r"}
	}`))
	assert.Equal(t, "a1b2c3d4-0000-1111-2222-333344445555", got.ByName["adopted"].ImportID)
	assert.Empty(t, got.ByName["created"].ImportID)
	assert.Equal(t, got.Provider, got.ByName["adopted"].Provider, "the import keeps the provider")
	assert.Equal(t, got.Provider, got.ByName["created"].Provider)
	assert.NotContains(t, got.Inputs["adopted"], "importId", "the import id is an option, not an input")
}

func TestNewWithNoAccounts(t *testing.T) {
	t.Parallel()
	got := register(t, map[string]awsaccounts.Account{})
	assert.Empty(t, got.Order)
}

// TestInputsConformToTheProvider checks what New registers against the
// provider's schema (testdata/datadog-provider-4.68.0.json): every input,
// nested ones included, is a known property of the right kind, and every
// required one is set.
func TestInputsConformToTheProvider(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../testdata/datadog-provider-4.68.0.json")
	require.NoError(t, err)
	type prop struct {
		Required bool   `json:"required"`
		Kind     string `json:"kind"`
	}
	var schema struct {
		Resources map[string]map[string]prop `json:"resources"`
		Types     map[string]map[string]prop `json:"types"`
	}
	require.NoError(t, json.Unmarshal(data, &schema))
	props, ok := schema.Resources[awsaccounts.Token]
	require.True(t, ok, "%s is in the schema", awsaccounts.Token)

	var check func(where string, props map[string]prop, inputs obj)
	var value func(where, kind string, v any)
	value = func(where, kind string, v any) {
		switch {
		case kind == "string":
			assert.IsType(t, "", v, where)
		case kind == "boolean":
			assert.IsType(t, true, v, where)
		case strings.HasPrefix(kind, "array<") && strings.HasSuffix(kind, ">"):
			list, ok := v.([]any)
			if assert.True(t, ok, "%s is a list", where) {
				for _, e := range list {
					value(where+"[]", kind[len("array<"):len(kind)-1], e)
				}
			}
		case strings.HasPrefix(kind, "object<") && strings.HasSuffix(kind, ">"):
			typ := kind[len("object<") : len(kind)-1]
			nested, known := schema.Types[typ]
			m, isMap := v.(obj)
			if assert.True(t, known, "%s: type %s", where, typ) && assert.True(t, isMap, "%s is an object", where) {
				check(where, nested, m)
			}
		default:
			t.Errorf("%s: kind %s not checked", where, kind)
		}
	}
	check = func(where string, props map[string]prop, inputs obj) {
		for name, v := range inputs {
			p, known := props[name]
			if assert.True(t, known, "%s.%s is a property of the provider", where, name) {
				value(where+"."+name, p.Kind, v)
			}
		}
		for name, p := range props {
			if p.Required {
				assert.Contains(t, inputs, name, "%s sets the required %s", where, name)
			}
		}
	}

	got := register(t, decoded(t, `{
		"production": `+strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(production), `{"pytorch": `), `}`)+`,
		"full": {"accountId": "123456789012", "roleName": "r", "externalId": "abcdef", "regions": ["us-east-1"], "tags": ["a:b"],
			"logs": {"lambdas": ["arn:aws:lambda:us-east-1:123456789012:function:f"], "sources": ["s3"], "tagFilters": {"s3": ["a:b"]}},
			"metrics": {"namespaces": {"exclude": ["AWS/SQS"]}, "tagFilters": {"AWS/EC2": ["a:b"]}},
			"traces": {"xrayServices": "all"}}
	}`))
	require.Len(t, got.Inputs, 2)
	for name, inputs := range got.Inputs {
		check(awsaccounts.Token+" "+name, props, inputs)
	}
}
