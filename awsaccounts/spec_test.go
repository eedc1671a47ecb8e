package awsaccounts_test

import (
	"testing"

	"github.com/pytorch-fdn/pytorch-datadog/awsaccounts"
	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit/kittest"
)

// The decoder and the declaration (the schema, the reference) agree on
// every field, each of a namespace filter's forms and of the all-or-list
// fields' included.
func TestSpecAgreesWithDecode(t *testing.T) {
	t.Parallel()
	decode := func(p *kit.Problems, raw string) any { return awsaccounts.Decode(p, raw, true) }
	tests := map[string]map[string]any{
		// Production's account, every field written, some at another
		// value than its default.
		"production, namespaces excluded": {
			"accountId": "391835788720", "partition": "aws", "regions": "all", "roleName": "DatadogIntegrationRole",
			"externalId": "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "tags": []any{"team:pytorch-dev-infra"},
			"logs": map[string]any{
				"lambdas":    []any{"arn:aws:lambda:us-east-1:391835788720:function:datadog-forwarder"},
				"sources":    []any{"s3", "elbv2"},
				"tagFilters": map[string]any{"s3": []any{"env:prod"}},
			},
			"metrics": map[string]any{
				"enabled": true, "automute": true, "collectCloudwatchAlarms": true, "collectCustomMetrics": true,
				"namespaces": map[string]any{"exclude": []any{"AWS/SQS", "AWS/ElasticMapReduce"}},
				"tagFilters": map[string]any{"AWS/EC2": []any{"datadog:true"}},
			},
			"resources": map[string]any{"cspm": true, "extendedCollection": true},
			"traces":    map[string]any{"xrayServices": []any{}},
			"importId":  "a1b2c3d4-0000-1111-2222-333344445555",
		},
		"listed regions, namespaces included, every X-Ray service": {
			"accountId": "123456789012", "partition": "aws", "regions": []any{"us-east-1", "us-west-2"}, "roleName": "DatadogIntegrationRole",
			"metrics":   map[string]any{"enabled": false, "namespaces": map[string]any{"include": []any{"AWS/EC2"}}},
			"resources": map[string]any{"cspm": false, "extendedCollection": false},
			"traces":    map[string]any{"xrayServices": "all"},
		},
		"Datadog's namespace filter, listed X-Ray services": {
			"accountId": "123456789012", "roleName": "DatadogIntegrationRole",
			"metrics": map[string]any{"namespaces": map[string]any{}},
			"traces":  map[string]any{"xrayServices": []any{"api", "web"}},
		},
	}
	for name, base := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			kittest.Agree(t, awsaccounts.Section, awsaccounts.Spec, base, decode, kittest.IntoListItems())
		})
	}
}
