package awsaccounts_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/awsaccounts"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit/kittest"
)

// decode decodes an awsAccounts section as present and returns the
// accounts and every problem found, each a *configkit.PathError.
func decode(t *testing.T, raw string) (map[string]awsaccounts.Account, []*configkit.PathError) {
	t.Helper()
	p := &configkit.Problems{}
	out := awsaccounts.Decode(p, raw, true)
	return out, kittest.Problems(t, p)
}

// account is one minimal valid account "a", with extra fields appended.
func account(extra string) string {
	return `{"a": {"accountId": "123456789012", "roleName": "DatadogIntegrationRole"` + extra + `}}`
}

// production is the account as production.md describes it.
const production = `{"pytorch": {
	"accountId": "391835788720",
	"partition": "aws",
	"regions": "all",
	"roleName": "DatadogIntegrationRole",
	"tags": [],
	"logs": {"lambdas": [], "sources": []},
	"metrics": {"enabled": true, "automute": true, "collectCloudwatchAlarms": true, "collectCustomMetrics": true, "namespaces": {}},
	"resources": {"cspm": true, "extendedCollection": true},
	"traces": {"xrayServices": []}
}}`

// productionAccount is what production decodes to.
func productionAccount() awsaccounts.Account {
	return awsaccounts.Account{
		AccountID: "391835788720", Partition: "aws", AllRegions: true,
		RoleName: "DatadogIntegrationRole", Tags: []string{},
		Logs: awsaccounts.Logs{Lambdas: []string{}, Sources: []string{}, TagFilters: map[string][]string{}},
		Metrics: awsaccounts.Metrics{
			Enabled: true, Automute: true, CollectCloudwatchAlarms: true, CollectCustomMetrics: true,
			TagFilters: map[string][]string{},
		},
		Resources: awsaccounts.Resources{CSPM: true, ExtendedCollection: true},
		Traces:    awsaccounts.Traces{XrayServices: []string{}},
	}
}

func TestDecodeProduction(t *testing.T) {
	t.Parallel()
	got, problems := decode(t, production)
	require.Empty(t, problems)
	assert.Equal(t, map[string]awsaccounts.Account{"pytorch": productionAccount()}, got)
}

func TestDecodeDefaults(t *testing.T) {
	t.Parallel()
	got, problems := decode(t, account(""))
	require.Empty(t, problems)
	want := awsaccounts.Account{
		AccountID: "123456789012", RoleName: "DatadogIntegrationRole",
		Partition: "aws", AllRegions: true, Tags: []string{},
		Logs: awsaccounts.Logs{Lambdas: []string{}, Sources: []string{}, TagFilters: map[string][]string{}},
		Metrics: awsaccounts.Metrics{
			Enabled: true, Automute: true, CollectCloudwatchAlarms: false, CollectCustomMetrics: false,
			Namespaces: awsaccounts.Namespaces{}, TagFilters: map[string][]string{},
		},
		Resources: awsaccounts.Resources{CSPM: false, ExtendedCollection: true},
		Traces:    awsaccounts.Traces{AllXrayServices: false, XrayServices: []string{}},
	}
	assert.Equal(t, want, got["a"], "Datadog's defaults, every list empty rather than unset")
	assert.Equal(t, "aws", awsaccounts.DefaultPartition)

	// Empty blocks are the same defaults.
	got, problems = decode(t, account(`, "logs": {}, "metrics": {}, "resources": {}, "traces": {}`))
	require.Empty(t, problems)
	assert.Equal(t, want, got["a"])
}

func TestDecodeEveryField(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw  string
		want func(a *awsaccounts.Account)
	}{
		"listed regions, included namespaces, filters": {account(`,
			"partition": "aws", "regions": ["us-east-1", "eu-west-1"], "externalId": "0123456789abcdef0123456789abcdef",
			"tags": ["team:infra", "env:prod"],
			"logs": {"lambdas": ["arn:aws:lambda:us-east-1:123456789012:function:datadog-forwarder", "arn:aws:lambda:us-east-1:123456789012:function:fwd:live"],
			         "sources": ["s3", "apigw-access-logs"], "tagFilters": {"s3": ["env:prod", "!team:ml"]}},
			"metrics": {"enabled": false, "automute": false, "collectCloudwatchAlarms": true, "collectCustomMetrics": true,
			            "namespaces": {"include": ["AWS/EC2", "AWS/Lambda"]}, "tagFilters": {"AWS/EC2": ["datadog:true"], "AWS/RDS": []}},
			"resources": {"cspm": false, "extendedCollection": false},
			"traces": {"xrayServices": "all"},
			"importId": "a1b2c3d4-0000-1111-2222-333344445555"`),
			func(a *awsaccounts.Account) {
				a.AllRegions, a.Regions = false, []string{"us-east-1", "eu-west-1"}
				a.ExternalID = "0123456789abcdef0123456789abcdef"
				a.Tags = []string{"team:infra", "env:prod"}
				a.Logs = awsaccounts.Logs{
					Lambdas:    []string{"arn:aws:lambda:us-east-1:123456789012:function:datadog-forwarder", "arn:aws:lambda:us-east-1:123456789012:function:fwd:live"},
					Sources:    []string{"s3", "apigw-access-logs"},
					TagFilters: map[string][]string{"s3": {"env:prod", "!team:ml"}},
				}
				a.Metrics = awsaccounts.Metrics{
					Enabled: false, Automute: false, CollectCloudwatchAlarms: true, CollectCustomMetrics: true,
					Namespaces: awsaccounts.Namespaces{Mode: awsaccounts.Include, Names: []string{"AWS/EC2", "AWS/Lambda"}},
					TagFilters: map[string][]string{"AWS/EC2": {"datadog:true"}, "AWS/RDS": {}},
				}
				a.Resources = awsaccounts.Resources{CSPM: false, ExtendedCollection: false}
				a.Traces = awsaccounts.Traces{AllXrayServices: true}
				a.ImportID = "a1b2c3d4-0000-1111-2222-333344445555"
			}},
		"excluded namespaces, listed X-Ray services": {account(`,
			"metrics": {"namespaces": {"exclude": ["AWS/SQS", "AWS/ElasticMapReduce"]}},
			"traces": {"xrayServices": ["checkout", "api"]}`),
			func(a *awsaccounts.Account) {
				a.Metrics.Namespaces = awsaccounts.Namespaces{Mode: awsaccounts.Exclude, Names: []string{"AWS/SQS", "AWS/ElasticMapReduce"}}
				a.Traces = awsaccounts.Traces{XrayServices: []string{"checkout", "api"}}
			}},
		"excluding nothing": {account(`, "metrics": {"namespaces": {"exclude": []}}`),
			func(a *awsaccounts.Account) {
				a.Metrics.Namespaces = awsaccounts.Namespaces{Mode: awsaccounts.Exclude, Names: []string{}}
			}},
		"GovCloud": {`{"gov": {"accountId": "000000000001", "partition": "aws-us-gov", "roleName": "dd",
			"regions": ["us-gov-west-1"], "logs": {"lambdas": ["arn:aws-us-gov:lambda:us-gov-west-1:000000000001:function:f"]}}}`,
			func(a *awsaccounts.Account) {
				a.AccountID, a.RoleName, a.Partition = "000000000001", "dd", "aws-us-gov"
				a.AllRegions, a.Regions = false, []string{"us-gov-west-1"}
				a.Logs.Lambdas = []string{"arn:aws-us-gov:lambda:us-gov-west-1:000000000001:function:f"}
			}},
		"China": {`{"cn": {"accountId": "000000000002", "partition": "aws-cn", "roleName": "dd", "regions": ["cn-north-1", "cn-northwest-1"]}}`,
			func(a *awsaccounts.Account) {
				a.AccountID, a.RoleName, a.Partition = "000000000002", "dd", "aws-cn"
				a.AllRegions, a.Regions = false, []string{"cn-north-1", "cn-northwest-1"}
			}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, problems := decode(t, tc.raw)
			require.Empty(t, problems)
			require.Len(t, got, 1)
			for _, a := range got {
				want := awsaccounts.Defaults()
				want.AccountID, want.RoleName = "123456789012", "DatadogIntegrationRole"
				tc.want(&want)
				assert.Equal(t, want, a)
			}
		})
	}
}

func TestDecodeReportsOneProblem(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw, path, fragment string
	}{
		"account id as a YAML number": {`{"a": {"accountId": 391835788720, "roleName": "r"}}`,
			"awsAccounts.a.accountId", `must be a string; quote it: accountId: "391835788720" (as a YAML number, an id with a leading zero would lose it)`},
		"account id too short": {`{"a": {"accountId": "12345678901", "roleName": "r"}}`,
			"awsAccounts.a.accountId", `"12345678901" is not an AWS account id: 12 digits, such as "123456789012"`},
		"account id with dashes": {`{"a": {"accountId": "3918-3578-8720", "roleName": "r"}}`,
			"awsAccounts.a.accountId", `write it without dashes or spaces: "391835788720"`},
		"account id as a list": {`{"a": {"accountId": ["391835788720"], "roleName": "r"}}`,
			"awsAccounts.a.accountId", "must be a string, got a list"},
		"missing account id": {`{"a": {"roleName": "r"}}`,
			"awsAccounts.a.accountId", "missing; it is required"},
		"missing role": {`{"a": {"accountId": "123456789012"}}`,
			"awsAccounts.a.roleName", "missing; it is required"},
		"role as an ARN": {`{"a": {"accountId": "123456789012", "roleName": "arn:aws:iam::123456789012:role/DatadogIntegrationRole"}}`,
			"awsAccounts.a.roleName", "is an ARN; give the role's name alone"},
		"role with a space": {`{"a": {"accountId": "123456789012", "roleName": "Datadog Role"}}`,
			"awsAccounts.a.roleName", `"Datadog Role" is not an IAM role name`},
		"empty role": {`{"a": {"accountId": "123456789012", "roleName": ""}}`,
			"awsAccounts.a.roleName", `"" is not an IAM role name`},
		"bad external id": {account(`, "externalId": "x"`),
			"awsAccounts.a.externalId", `"x" is not an IAM external id`},
		"unknown partition": {account(`, "partition": "aws-gov"`),
			"awsAccounts.a.partition", `"aws-gov" is not one of aws, aws-cn, aws-us-gov (did you mean "aws-us-gov"?)`},
		"China by name": {account(`, "partition": "china"`),
			"awsAccounts.a.partition", `(did you mean "aws-cn"?)`},
		"partition misspelt": {account(`, "partition": "asw"`),
			"awsAccounts.a.partition", `"asw" is not one of aws, aws-cn, aws-us-gov (did you mean "aws"?)`},
		"partition a number": {account(`, "partition": 1`),
			"awsAccounts.a.partition", "must be one of aws, aws-cn, aws-us-gov, got the number 1"},
		"regions as a word": {account(`, "regions": "every"`),
			"awsAccounts.a.regions", `must be all or a list of region names such as [us-east-1, us-west-2], got the string "every"`},
		"regions capitalised": {account(`, "regions": "All"`),
			"awsAccounts.a.regions", `(did you mean "all"?)`},
		"one region, not in a list": {account(`, "regions": "us-east-1"`),
			"awsAccounts.a.regions", `(write a list: ["us-east-1"])`},
		"regions empty": {account(`, "regions": []`),
			"awsAccounts.a.regions", "is empty; write all for every region, or list at least one region"},
		"regions a boolean": {account(`, "regions": true`),
			"awsAccounts.a.regions", "must be all or a list of region names such as [us-east-1, us-west-2], got the boolean true"},
		"not a region": {account(`, "regions": ["us-east-1", "US-WEST-2"]`),
			"awsAccounts.a.regions[1]", `"US-WEST-2" is not an AWS region name such as us-east-1`},
		"all in a list": {account(`, "regions": ["all"]`),
			"awsAccounts.a.regions[0]", `"all" in a list names nothing; write all alone`},
		"region twice": {account(`, "regions": ["us-east-1", "us-west-2", "us-east-1"]`),
			"awsAccounts.a.regions[2]", `"us-east-1" is listed twice (also at [0])`},
		"region of another partition": {account(`, "regions": ["us-east-1", "cn-north-1"]`),
			"awsAccounts.a.regions[1]", `"cn-north-1" is a region of partition aws-cn, not aws`},
		"commercial region in GovCloud": {account(`, "partition": "aws-us-gov", "regions": ["us-east-1"]`),
			"awsAccounts.a.regions[0]", `"us-east-1" is a region of partition aws, not aws-us-gov`},
		"tag without a value": {account(`, "tags": ["team:infra", "prod"]`),
			"awsAccounts.a.tags[1]", `"prod" is not a key:value tag such as team:infra`},
		"tag with a space": {account(`, "tags": ["team:infra ops"]`),
			"awsAccounts.a.tags[0]", "is not a key:value tag"},
		"tag twice": {account(`, "tags": ["team:infra", "team:infra"]`),
			"awsAccounts.a.tags[1]", `"team:infra" is listed twice (also at [0])`},
		"tags as a string": {account(`, "tags": "team:infra"`),
			"awsAccounts.a.tags", `(write it as a list: ["team:infra"])`},
		"lambda not an ARN": {account(`, "logs": {"lambdas": ["datadog-forwarder"]}`),
			"awsAccounts.a.logs.lambdas[0]", `"datadog-forwarder" is not a Lambda function ARN`},
		"lambda of another partition": {account(`, "logs": {"lambdas": ["arn:aws-cn:lambda:cn-north-1:123456789012:function:f"]}`),
			"awsAccounts.a.logs.lambdas[0]", "is in partition aws-cn, not the account's aws"},
		"lambda twice": {account(`, "logs": {"lambdas": ["arn:aws:lambda:us-east-1:123456789012:function:f", "arn:aws:lambda:us-east-1:123456789012:function:f"]}`),
			"awsAccounts.a.logs.lambdas[1]", "is listed twice (also at [0])"},
		"log source in capitals": {account(`, "logs": {"sources": ["S3"]}`),
			"awsAccounts.a.logs.sources[0]", `"S3" is not an AWS log source id such as s3`},
		"misspelt logs field": {account(`, "logs": {"lambda": []}`),
			"awsAccounts.a.logs.lambda", `unknown field (did you mean "lambdas"?); known fields: lambdas, sources, tagFilters`},
		"log tag filters as a list": {account(`, "logs": {"tagFilters": ["s3"]}`),
			"awsAccounts.a.logs.tagFilters", "must be a map of log source to lists of resource tags, got a list"},
		"log tag filter with a blank tag": {account(`, "logs": {"tagFilters": {"s3": ["env:prod", " "]}}`),
			"awsAccounts.a.logs.tagFilters.s3[1]", `" " is not a resource tag`},
		"logs a list": {account(`, "logs": []`),
			"awsAccounts.a.logs", "must be the Lambda forwarder's log collection ({lambdas, sources, tagFilters}), got a list"},
		"metrics flag as a string": {account(`, "metrics": {"enabled": "yes"}`),
			"awsAccounts.a.metrics.enabled", `must be true or false, got the string "yes"`},
		"misspelt metrics field": {account(`, "metrics": {"collectCloudWatchAlarms": true}`),
			"awsAccounts.a.metrics.collectCloudWatchAlarms", `unknown field (did you mean "collectCloudwatchAlarms"?)`},
		"include and exclude": {account(`, "metrics": {"namespaces": {"include": ["AWS/EC2"], "exclude": ["AWS/SQS"]}}`),
			"awsAccounts.a.metrics.namespaces", "has both include and exclude; a filter does one"},
		"include nothing": {account(`, "metrics": {"namespaces": {"include": []}}`),
			"awsAccounts.a.metrics.namespaces.include", "is empty, which would collect no namespace; to collect none, set metrics.enabled to false"},
		"namespace twice": {account(`, "metrics": {"namespaces": {"exclude": ["AWS/SQS", "AWS/SQS"]}}`),
			"awsAccounts.a.metrics.namespaces.exclude[1]", `"AWS/SQS" is listed twice`},
		"padded namespace": {account(`, "metrics": {"namespaces": {"exclude": [" AWS/SQS"]}}`),
			"awsAccounts.a.metrics.namespaces.exclude[0]", `" AWS/SQS" has leading or trailing spaces`},
		"namespaces as a list": {account(`, "metrics": {"namespaces": ["AWS/EC2"]}`),
			"awsAccounts.a.metrics.namespaces", "must be a namespace filter ({include} or {exclude}; {} for Datadog's default), got a list"},
		"namespace filter misspelt": {account(`, "metrics": {"namespaces": {"excludes": ["AWS/SQS"]}}`),
			"awsAccounts.a.metrics.namespaces.excludes", `unknown field (did you mean "exclude"?)`},
		"metric tag filter as a string": {account(`, "metrics": {"tagFilters": {"AWS/EC2": "datadog:true"}}`),
			"awsAccounts.a.metrics.tagFilters.AWS/EC2", `(write it as a list: ["datadog:true"])`},
		"metric tag filter on a blank namespace": {account(`, "metrics": {"tagFilters": {"": ["a:b"]}}`),
			"awsAccounts.a.metrics.tagFilters.", `"" is not a CloudWatch namespace`},
		"cspm without extended collection": {account(`, "resources": {"cspm": true, "extendedCollection": false}`),
			"awsAccounts.a.resources.cspm", "needs extendedCollection"},
		"misspelt resources field": {account(`, "resources": {"cloudSecurityPostureManagementCollection": true}`),
			"awsAccounts.a.resources.cloudSecurityPostureManagementCollection", "unknown field; known fields: cspm, extendedCollection"},
		"xray services as a word": {account(`, "traces": {"xrayServices": "none"}`),
			"awsAccounts.a.traces.xrayServices", `must be all or a list of X-Ray service names, got the string "none"`},
		"xray service blank": {account(`, "traces": {"xrayServices": [""]}`),
			"awsAccounts.a.traces.xrayServices[0]", "is empty; name a X-Ray service"},
		"traces without a block": {account(`, "traces": []`),
			"awsAccounts.a.traces", "must be the X-Ray trace collection ({xrayServices}), got a list"},
		"importId not a UUID": {account(`, "importId": "391835788720"`),
			"awsAccounts.a.importId", `"391835788720" is not an id of this type, such as a1b2c3d4-0000-1111-2222-333344445555`},
		"a field of Terraform's": {account(`, "aws_account_id": "123456789012"`),
			"awsAccounts.a.aws_account_id", "unknown field"},
		"key not kebab-case": {`{"PyTorch": {"accountId": "123456789012", "roleName": "r"}}`,
			"awsAccounts.PyTorch", `key "PyTorch" must be lowercase letters and digits joined by '-'`},
		"account not a map": {`{"a": "391835788720"}`,
			"awsAccounts.a", `must be an AWS account ({accountId, partition, regions, roleName, externalId, tags, logs, metrics, resources, traces}), got the string "391835788720"`},
		"section a list": {`[{"accountId": "391835788720"}]`,
			"awsAccounts", "must be a map of account key to AWS account ({accountId, roleName, ...}), got a list"},
		"section not JSON": {`pytorch`,
			"awsAccounts", `must be a map of account key to AWS account ({accountId, roleName, ...}), got the string "pytorch"`},
		"same account twice": {`{"a": {"accountId": "123456789012", "roleName": "r"}, "b": {"accountId": "123456789012", "roleName": "r"}}`,
			"awsAccounts.b.accountId", `"123456789012" is also the accountId of awsAccounts.a; Datadog integrates an AWS account once`},
		"same import id twice": {`{"a": {"accountId": "123456789012", "roleName": "r", "importId": "a1b2c3d4-0000-1111-2222-333344445555"},
			"b": {"accountId": "210987654321", "roleName": "r", "importId": "a1b2c3d4-0000-1111-2222-333344445555"}}`,
			"awsAccounts.b.importId", "is also the importId of awsAccounts.a"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, got := decode(t, tc.raw)
			require.Len(t, got, 1, "problems: %v", got)
			assert.Equal(t, tc.path, got[0].Path)
			assert.Contains(t, got[0].Msg, tc.fragment)
		})
	}
}

// TestDecodeReportsEveryProblemAtOnce checks that one pass finds all the
// problems, across blocks and accounts.
func TestDecodeReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	_, got := decode(t, `{
		"b": {"accountId": 123456789012, "regions": ["us-east"], "tags": ["x"],
		      "logs": {"sources": ["S3"]}, "metrics": {"automute": 1, "namespaces": {"include": [], "exclude": []}},
		      "resources": {"cspm": true, "extendedCollection": false}, "traces": {"xrayServices": "some"}, "extra": 1},
		"a": {"accountId": "1", "roleName": "a role", "partition": "aws-cn", "regions": ["us-east-1"]}
	}`)
	want := map[string]string{
		"awsAccounts.a.accountId":                  `"1" is not an AWS account id`,
		"awsAccounts.a.roleName":                   "is not an IAM role name",
		"awsAccounts.a.regions[0]":                 "is a region of partition aws, not aws-cn",
		"awsAccounts.b.extra":                      "unknown field",
		"awsAccounts.b.accountId":                  "quote it",
		"awsAccounts.b.roleName":                   "missing; it is required",
		"awsAccounts.b.regions[0]":                 `"us-east" is not an AWS region name`,
		"awsAccounts.b.tags[0]":                    "is not a key:value tag",
		"awsAccounts.b.logs.sources[0]":            "is not an AWS log source id",
		"awsAccounts.b.metrics.automute":           "must be true or false",
		"awsAccounts.b.metrics.namespaces.include": "would collect no namespace",
		"awsAccounts.b.metrics.namespaces":         "has both include and exclude",
		"awsAccounts.b.resources.cspm":             "needs extendedCollection",
		"awsAccounts.b.traces.xrayServices":        `got the string "some"`,
	}
	wantPaths := make([]string, 0, len(want))
	for path := range want {
		wantPaths = append(wantPaths, path)
	}
	sort.Strings(wantPaths)
	assert.Equal(t, wantPaths, kittest.SortedPaths(got), "every problem, each once")
	for _, pe := range got {
		assert.Contains(t, pe.Msg, want[pe.Path], pe.Path)
	}
	require.NotEmpty(t, got)
	assert.True(t, strings.HasPrefix(got[0].Path, "awsAccounts.a."), "accounts are decoded in sorted key order: %v", got[0])
}

func TestDecodeAbsentSection(t *testing.T) {
	t.Parallel()
	p := &configkit.Problems{}
	got := awsaccounts.Decode(p, `{"a": "junk"}`, false)
	assert.NotNil(t, got)
	assert.Empty(t, got)
	assert.NoError(t, p.Err(), "an absent section is no accounts")

	got, problems := decode(t, `{}`)
	assert.Empty(t, got)
	assert.Empty(t, problems, "an empty section is no accounts")
}

// TestDecodeSurvivesAnyType puts a value of every JSON type in every field
// and block: the decoder must never panic, and a value of the wrong type
// is a problem at that field's path (or below it).
func TestDecodeSurvivesAnyType(t *testing.T) {
	t.Parallel()
	values := []string{`null`, `true`, `0`, `-1.5`, `""`, `"all"`, `"x"`, `[]`, `[null]`, `[1]`, `["x"]`, `{}`, `{"x": 1}`, `{"include": 1}`, `{"xrayServices": {}}`}
	fields := []string{
		"accountId", "partition", "regions", "roleName", "externalId", "tags", "importId",
		"logs", "logs.lambdas", "logs.sources", "logs.tagFilters", "logs.tagFilters.s3",
		"metrics", "metrics.enabled", "metrics.automute", "metrics.collectCloudwatchAlarms", "metrics.collectCustomMetrics",
		"metrics.namespaces", "metrics.namespaces.include", "metrics.namespaces.exclude", "metrics.tagFilters", "metrics.tagFilters.AWS/EC2",
		"resources", "resources.cspm", "resources.extendedCollection",
		"traces", "traces.xrayServices",
	}
	for _, field := range fields {
		for _, value := range values {
			raw := nest(field, value)
			t.Run(field+"="+value, func(t *testing.T) {
				t.Parallel()
				p := &configkit.Problems{}
				require.NotPanics(t, func() { awsaccounts.Decode(p, raw, true) })
				for _, pe := range kittest.Problems(t, p) {
					assert.True(t, strings.HasPrefix(pe.Path, "awsAccounts.a."+field), "problem at %s: %s", pe.Path, pe.Msg)
				}
			})
		}
	}
	// Whole sections and entries of every type.
	for _, value := range values {
		for _, raw := range []string{value, `{"a": ` + value + `}`} {
			p := &configkit.Problems{}
			require.NotPanics(t, func() { awsaccounts.Decode(p, raw, true) }, raw)
		}
	}
}

// nest writes an account whose field at a dotted path (within the minimal
// account) is the given JSON value.
func nest(path, value string) string {
	parts := strings.Split(path, ".")
	if len(parts) == 3 && parts[1] == "tagFilters" {
		// the namespace or source is one key: "AWS/EC2"
		return account(fmt.Sprintf(`, %q: {"tagFilters": {%q: %s}}`, parts[0], parts[2], value))
	}
	inner := value
	for i := len(parts) - 1; i >= 1; i-- {
		inner = fmt.Sprintf(`{%q: %s}`, parts[i], inner)
	}
	if parts[0] == "accountId" || parts[0] == "roleName" {
		return replaceField(parts[0], inner)
	}
	return account(fmt.Sprintf(`, %q: %s`, parts[0], inner))
}

// replaceField writes the minimal account with one of its own fields set
// to value.
func replaceField(field, value string) string {
	fields := map[string]string{"accountId": `"123456789012"`, "roleName": `"DatadogIntegrationRole"`}
	fields[field] = value
	return fmt.Sprintf(`{"a": {"accountId": %s, "roleName": %s}}`, fields["accountId"], fields["roleName"])
}
