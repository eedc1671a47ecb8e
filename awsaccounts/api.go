package awsaccounts

import (
	"errors"
	"fmt"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV2"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
)

const listEndpoint = "GET /api/v2/integration/aws/accounts"

// List reads every AWS account integrated with the organisation (GET
// /api/v2/integration/aws/accounts: one answer, the endpoint is not
// paginated), each matched on its AWS account id; its ID is the
// integration's UUID, the import id.
func List(r *live.Reader) (live.List, error) {
	resp, _, err := datadogV2.NewAWSIntegrationApi(r.Client()).ListAWSAccounts(r.Context())
	if err := live.Decoded(resp, err); err != nil {
		return live.List{}, live.Wrap(listEndpoint, err)
	}
	out := live.List{Objects: []live.Object{}}
	for _, a := range resp.Data {
		accountID := a.Attributes.GetAwsAccountId()
		if a.Id == "" || accountID == "" {
			return live.List{}, &live.EndpointError{Endpoint: listEndpoint, Err: fmt.Errorf("answered an account without an id or an AWS account id (id %q, account %q)", a.Id, accountID)}
		}
		out.Objects = append(out.Objects, live.Object{
			ID: a.Id, On: accountID, Name: "AWS account " + accountID, Key: KeyOf(accountID),
			Data: a,
		})
	}
	return out, nil
}

// KeyOf is the config key of an account's entry, as ddstack import and
// audit write it: `aws-<account id>`, the integration having no name of
// its own.
func KeyOf(accountID string) string { return "aws-" + accountID }

// FromAPI turns an account as List found it into an awsAccounts entry
// that manages the same integration with the same values, as FromTerraform
// does from a Terraform state: every block Datadog answers with is
// written, defaults included, and importId is the integration's UUID. The
// role's external id is left out (unset, the provider keeps the one
// Datadog generated). An account the stack cannot express is an error:
// one authenticated by access keys (the stack supports role delegation
// only), or one with metric name filters (the stack has none, and would
// remove them).
func FromAPI(o live.Object) (map[string]any, error) {
	a, ok := o.Data.(datadogV2.AWSAccountResponseData)
	if !ok {
		return nil, fmt.Errorf("%s: no account data to write it from (%T)", o.Name, o.Data)
	}
	attrs := a.Attributes
	accountID := attrs.GetAwsAccountId()
	if accountID == "" || o.ID == "" {
		return nil, fmt.Errorf("AWS account integration %q (account %q): Datadog gave it no id or AWS account id", o.ID, accountID)
	}
	fail := func(err error) (map[string]any, error) {
		return nil, fmt.Errorf("AWS account %s (integration %s): %w", accountID, o.ID, err)
	}
	if attrs == nil {
		return fail(errors.New("no attributes in Datadog's answer"))
	}
	entry := map[string]any{"accountId": accountID, "importId": o.ID, "tags": stringList(attrs.GetAccountTags())}
	if p, ok := attrs.GetAwsPartitionOk(); ok && *p != "" {
		entry["partition"] = string(*p)
	}
	steps := []func(*datadogV2.AWSAccountResponseAttributes, map[string]any) error{apiAuth, apiRegions, apiLogs, apiMetrics, apiResources, apiTraces}
	for _, step := range steps {
		if err := step(attrs, entry); err != nil {
			return fail(err)
		}
	}
	if _, err := kit.DecodeEntry(o.Key, entry, Decode); err != nil {
		return fail(fmt.Errorf("cannot be written as config: %w", err))
	}
	return entry, nil
}

func apiAuth(attrs *datadogV2.AWSAccountResponseAttributes, entry map[string]any) error {
	auth := attrs.AuthConfig
	switch {
	case auth == nil:
		return errors.New("no auth_config in Datadog's answer")
	case auth.AWSAuthConfigKeys != nil:
		return errors.New("authenticates with access keys; this stack supports role delegation only: give Datadog an IAM role in the account, then add the entry with its roleName")
	case auth.AWSAuthConfigRole == nil || auth.AWSAuthConfigRole.RoleName == "":
		return errors.New("auth_config names no role")
	}
	entry["roleName"] = auth.AWSAuthConfigRole.RoleName
	return nil
}

func apiRegions(attrs *datadogV2.AWSAccountResponseAttributes, entry map[string]any) error {
	r := attrs.AwsRegions
	switch {
	case r == nil:
		// Absent: the provider's default, every region.
	case r.AWSRegionsIncludeAll != nil && r.AWSRegionsIncludeAll.IncludeAll:
		entry["regions"] = All
	case r.AWSRegionsIncludeOnly != nil && len(r.AWSRegionsIncludeOnly.IncludeOnly) > 0:
		entry["regions"] = stringList(r.AWSRegionsIncludeOnly.IncludeOnly)
	default:
		return errors.New("aws_regions has neither include_all nor include_only")
	}
	return nil
}

func apiLogs(attrs *datadogV2.AWSAccountResponseAttributes, entry map[string]any) error {
	if attrs.LogsConfig == nil || attrs.LogsConfig.LambdaForwarder == nil {
		return nil
	}
	fwd := attrs.LogsConfig.LambdaForwarder
	logs := map[string]any{"lambdas": stringList(fwd.Lambdas), "sources": stringList(fwd.Sources)}
	if lsc := fwd.LogSourceConfig; lsc != nil {
		filters := map[string]any{}
		for i, f := range lsc.TagFilters {
			if err := addFilter(filters, f.GetSource(), f.GetTags(), fmt.Sprintf("logs_config.lambda_forwarder.log_source_config.tag_filters[%d]", i), "source"); err != nil {
				return err
			}
		}
		if len(filters) > 0 {
			logs["tagFilters"] = filters
		}
	}
	entry["logs"] = logs
	return nil
}

func apiMetrics(attrs *datadogV2.AWSAccountResponseAttributes, entry map[string]any) error {
	mc := attrs.MetricsConfig
	if mc == nil {
		return nil
	}
	if len(mc.MetricNameFilters) > 0 {
		return errMetricNameFilters
	}
	metrics := map[string]any{}
	for field, b := range map[string]*bool{
		"enabled":                 mc.Enabled,
		"automute":                mc.AutomuteEnabled,
		"collectCloudwatchAlarms": mc.CollectCloudwatchAlarms,
		"collectCustomMetrics":    mc.CollectCustomMetrics,
	} {
		if b != nil {
			metrics[field] = *b
		}
	}
	namespaces := map[string]any{}
	if nf := mc.NamespaceFilters; nf != nil {
		switch {
		case nf.AWSNamespaceFiltersIncludeOnly != nil && len(nf.AWSNamespaceFiltersIncludeOnly.IncludeOnly) > 0:
			namespaces[Include] = stringList(nf.AWSNamespaceFiltersIncludeOnly.IncludeOnly)
		case nf.AWSNamespaceFiltersExcludeOnly != nil:
			namespaces[Exclude] = stringList(nf.AWSNamespaceFiltersExcludeOnly.ExcludeOnly)
		}
	}
	metrics["namespaces"] = namespaces
	filters := map[string]any{}
	for i, f := range mc.TagFilters {
		if err := addFilter(filters, f.GetNamespace(), f.GetTags(), fmt.Sprintf("metrics_config.tag_filters[%d]", i), "namespace"); err != nil {
			return err
		}
	}
	metrics["tagFilters"] = filters
	entry["metrics"] = metrics
	return nil
}

func apiResources(attrs *datadogV2.AWSAccountResponseAttributes, entry map[string]any) error {
	rc := attrs.ResourcesConfig
	if rc == nil {
		return nil
	}
	resources := map[string]any{}
	if rc.CloudSecurityPostureManagementCollection != nil {
		resources["cspm"] = *rc.CloudSecurityPostureManagementCollection
	}
	if rc.ExtendedCollection != nil {
		resources["extendedCollection"] = *rc.ExtendedCollection
	}
	entry["resources"] = resources
	return nil
}

func apiTraces(attrs *datadogV2.AWSAccountResponseAttributes, entry map[string]any) error {
	tc := attrs.TracesConfig
	if tc == nil {
		return nil
	}
	traces := map[string]any{}
	if x := tc.XrayServices; x != nil {
		switch {
		case x.XRayServicesIncludeAll != nil && x.XRayServicesIncludeAll.IncludeAll:
			traces["xrayServices"] = All
		case x.XRayServicesIncludeOnly != nil:
			traces["xrayServices"] = stringList(x.XRayServicesIncludeOnly.IncludeOnly)
		default:
			traces["xrayServices"] = []any{}
		}
	}
	entry["traces"] = traces
	return nil
}

// addFilter adds one tag filter, its key (a source or a namespace) once.
func addFilter(filters map[string]any, k string, tags []string, path, keyAttr string) error {
	if k == "" {
		return fmt.Errorf("%s has no %s", path, keyAttr)
	}
	if _, dup := filters[k]; dup {
		return fmt.Errorf("%s: %s %q is filtered twice", path, keyAttr, k)
	}
	filters[k] = stringList(tags)
	return nil
}

// stringList is a list of strings as an entry holds it: never null.
func stringList(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}
