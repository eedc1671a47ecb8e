// Package awsaccounts manages the AWS accounts integrated with Datadog, from
// the stack config (`pytorch-datadog:awsAccounts`): their config, its
// decoding and validation, one aws.IntegrationAccount per config key, and
// the mapping of a Terraform `datadog_integration_aws_account` onto a
// config entry. Every block of the integration is sent explicitly,
// Datadog's defaults included, so that an imported account refreshes and a
// change made in the Datadog UI shows as drift.
package awsaccounts

import (
	"fmt"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Token is the Pulumi type the accounts register as.
const Token = "datadog:aws/integrationAccount:IntegrationAccount"

// New registers one aws.IntegrationAccount per config key, in sorted key
// order, each named by its key, and returns them by key.
func New(ctx *pulumi.Context, accounts map[string]Account, provider pulumi.ResourceOrInvokeOption) (map[string]*aws.IntegrationAccount, error) {
	out := map[string]*aws.IntegrationAccount{}
	for _, key := range kit.SortedKeys(accounts) {
		a := accounts[key]
		res, err := aws.NewIntegrationAccount(ctx, key, args(a), kit.WithImport(a.ImportID, provider)...)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", Section, key, err)
		}
		out[key] = res
	}
	return out, nil
}

// args renders an account as the provider's arguments: every block
// present, every list sent even when empty.
func args(a Account) *aws.IntegrationAccountArgs {
	return &aws.IntegrationAccountArgs{
		AwsAccountId:    pulumi.String(a.AccountID),
		AwsPartition:    pulumi.String(a.Partition),
		AccountTags:     list(a.Tags),
		AuthConfig:      auth(a),
		AwsRegions:      regions(a),
		LogsConfig:      logs(a.Logs),
		MetricsConfig:   metrics(a.Metrics),
		ResourcesConfig: resources(a.Resources),
		TracesConfig:    traces(a.Traces),
	}
}

// list sends names as a list, never as null, even when empty.
func list(names []string) pulumi.StringArray {
	out := pulumi.StringArray{}
	for _, s := range names {
		out = append(out, pulumi.String(s))
	}
	return out
}

// auth is role delegation: Datadog assumes the account's role.
func auth(a Account) aws.IntegrationAccountAuthConfigArgs {
	role := aws.IntegrationAccountAuthConfigAwsAuthConfigRoleArgs{RoleName: pulumi.String(a.RoleName)}
	// Unset, the provider keeps the external id Datadog generated, which
	// the role's trust policy names: sending another would lock Datadog
	// out.
	if a.ExternalID != "" {
		role.ExternalId = pulumi.String(a.ExternalID)
	}
	return aws.IntegrationAccountAuthConfigArgs{AwsAuthConfigRole: role}
}

// regions sends include_all or include_only, never both: the provider
// refuses the pair.
func regions(a Account) aws.IntegrationAccountAwsRegionsArgs {
	if a.AllRegions {
		return aws.IntegrationAccountAwsRegionsArgs{IncludeAll: pulumi.Bool(true)}
	}
	return aws.IntegrationAccountAwsRegionsArgs{IncludeOnlies: list(a.Regions)}
}

func logs(l Logs) aws.IntegrationAccountLogsConfigArgs {
	fwd := aws.IntegrationAccountLogsConfigLambdaForwarderArgs{
		Lambdas: list(l.Lambdas),
		Sources: list(l.Sources),
	}
	// Sent only when there are filters: an empty log source block is not
	// what the provider reads back for an account without them.
	if len(l.TagFilters) > 0 {
		filters := aws.IntegrationAccountLogsConfigLambdaForwarderLogSourceConfigTagFilterArray{}
		for _, src := range kit.SortedKeys(l.TagFilters) {
			filters = append(filters, aws.IntegrationAccountLogsConfigLambdaForwarderLogSourceConfigTagFilterArgs{
				Source: pulumi.String(src),
				Tags:   list(l.TagFilters[src]),
			})
		}
		fwd.LogSourceConfig = aws.IntegrationAccountLogsConfigLambdaForwarderLogSourceConfigArgs{TagFilters: filters}
	}
	return aws.IntegrationAccountLogsConfigArgs{LambdaForwarder: fwd}
}

func metrics(m Metrics) aws.IntegrationAccountMetricsConfigArgs {
	// An empty filter block is how the provider is told to use Datadog's
	// default exclusions.
	ns := aws.IntegrationAccountMetricsConfigNamespaceFiltersArgs{}
	switch m.Namespaces.Mode {
	case Include:
		ns.IncludeOnlies = list(m.Namespaces.Names)
	case Exclude:
		ns.ExcludeOnlies = list(m.Namespaces.Names)
	}
	filters := aws.IntegrationAccountMetricsConfigTagFilterArray{}
	for _, namespace := range kit.SortedKeys(m.TagFilters) {
		filters = append(filters, aws.IntegrationAccountMetricsConfigTagFilterArgs{
			Namespace: pulumi.String(namespace),
			Tags:      list(m.TagFilters[namespace]),
		})
	}
	return aws.IntegrationAccountMetricsConfigArgs{
		Enabled:                 pulumi.Bool(m.Enabled),
		AutomuteEnabled:         pulumi.Bool(m.Automute),
		CollectCloudwatchAlarms: pulumi.Bool(m.CollectCloudwatchAlarms),
		CollectCustomMetrics:    pulumi.Bool(m.CollectCustomMetrics),
		NamespaceFilters:        ns,
		TagFilters:              filters,
	}
}

func resources(r Resources) aws.IntegrationAccountResourcesConfigArgs {
	return aws.IntegrationAccountResourcesConfigArgs{
		CloudSecurityPostureManagementCollection: pulumi.Bool(r.CSPM),
		ExtendedCollection:                       pulumi.Bool(r.ExtendedCollection),
	}
}

// traces sends include_all or include_only, never both.
func traces(t Traces) aws.IntegrationAccountTracesConfigArgs {
	xray := aws.IntegrationAccountTracesConfigXrayServicesArgs{IncludeOnlies: list(t.XrayServices)}
	if t.AllXrayServices {
		xray = aws.IntegrationAccountTracesConfigXrayServicesArgs{IncludeAll: pulumi.Bool(true)}
	}
	return aws.IntegrationAccountTracesConfigArgs{XrayServices: xray}
}
