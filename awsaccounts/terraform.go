package awsaccounts

import (
	"errors"
	"fmt"
)

// TerraformType is the Terraform resource this package replaces; ddstack
// import matches its objects with entries on MatchOn.
const (
	TerraformType = "datadog_integration_aws_account"
	MatchOn       = "aws_account_id"
)

// FromTerraform maps the attributes of one `datadog_integration_aws_account`
// of a Terraform state (`tofu show -json`: snake_case names, nested blocks
// as objects or as lists of one object) onto a config entry that manages
// the same integration with the same values, importId included. The key
// is `aws-<account id>`: the integration has no name of its own.
//
// The role's external id is left out: unset, the provider keeps the one
// Datadog generated, and it need not be copied into the stack file. An
// account the stack cannot express is refused, as FromAPI refuses it: one
// authenticated by access keys (the stack supports role delegation only),
// or one with metric name filters (the stack has none, and would remove
// them).
func FromTerraform(attrs map[string]any) (key string, entry map[string]any, err error) {
	id, _ := attrs["id"].(string)
	if id == "" {
		return "", nil, errors.New(TerraformType + ": no id attribute")
	}
	accountID, _ := attrs["aws_account_id"].(string)
	if accountID == "" {
		return "", nil, fmt.Errorf("%s %s: no aws_account_id attribute", TerraformType, id)
	}
	fail := func(err error) (string, map[string]any, error) {
		return "", nil, fmt.Errorf("%s %s (account %s): %w", TerraformType, id, accountID, err)
	}
	entry = map[string]any{"accountId": accountID, "importId": id}
	if partition, ok := attrs["aws_partition"].(string); ok && partition != "" {
		entry["partition"] = partition
	}
	steps := []func(map[string]any, map[string]any) error{tfTags, tfAuth, tfRegions, tfLogs, tfMetrics, tfResources, tfTraces}
	for _, step := range steps {
		if err := step(attrs, entry); err != nil {
			return fail(err)
		}
	}
	return "aws-" + accountID, entry, nil
}

func tfTags(attrs, entry map[string]any) error {
	tags, err := strList(attrs["account_tags"], "account_tags")
	entry["tags"] = tags
	return err
}

func tfAuth(attrs, entry map[string]any) error {
	auth, ok, err := block(attrs["auth_config"], "auth_config")
	if err != nil || !ok {
		return orMissing(err, "auth_config")
	}
	keys, hasKeys, err := block(auth["aws_auth_config_keys"], "auth_config.aws_auth_config_keys")
	if err != nil {
		return err
	}
	if hasKeys && keys["access_key_id"] != nil {
		return errors.New("authenticates with access keys; this stack supports role delegation only: give Datadog an IAM role in the account, then add the entry with its roleName")
	}
	role, hasRole, err := block(auth["aws_auth_config_role"], "auth_config.aws_auth_config_role")
	if err != nil || !hasRole {
		return orMissing(err, "auth_config.aws_auth_config_role")
	}
	name, _ := role["role_name"].(string)
	if name == "" {
		return errors.New("auth_config.aws_auth_config_role has no role_name")
	}
	entry["roleName"] = name
	return nil
}

func tfRegions(attrs, entry map[string]any) error {
	r, ok, err := block(attrs["aws_regions"], "aws_regions")
	if err != nil || !ok {
		return err // absent: the provider's default, every region
	}
	all, _ := r["include_all"].(bool)
	regions, err := strList(r["include_only"], "aws_regions.include_only")
	switch {
	case err != nil:
		return err
	case all:
		entry["regions"] = All
	case len(regions) > 0:
		entry["regions"] = regions
	default:
		return errors.New("aws_regions has neither include_all nor include_only")
	}
	return nil
}

func tfLogs(attrs, entry map[string]any) error {
	lc, ok, err := block(attrs["logs_config"], "logs_config")
	if err != nil || !ok {
		return err
	}
	fwd, ok, err := block(lc["lambda_forwarder"], "logs_config.lambda_forwarder")
	if err != nil || !ok {
		return err
	}
	logs := map[string]any{}
	if logs["lambdas"], err = strList(fwd["lambdas"], "logs_config.lambda_forwarder.lambdas"); err != nil {
		return err
	}
	if logs["sources"], err = strList(fwd["sources"], "logs_config.lambda_forwarder.sources"); err != nil {
		return err
	}
	lsc, ok, err := block(fwd["log_source_config"], "logs_config.lambda_forwarder.log_source_config")
	if err != nil {
		return err
	}
	if ok {
		filters, err := tagFilters(lsc["tag_filters"], "source", "logs_config.lambda_forwarder.log_source_config.tag_filters")
		if err != nil {
			return err
		}
		if len(filters) > 0 {
			logs["tagFilters"] = filters
		}
	}
	entry["logs"] = logs
	return nil
}

// errMetricNameFilters refuses an account with metric name filters, which
// the stack does not express: an entry without them would remove them.
var errMetricNameFilters = errors.New("it has metric name filters, which this stack does not express (adopting it would remove them): set them aside in Datadog, or write the entry by hand")

func tfMetrics(attrs, entry map[string]any) error {
	mc, ok, err := block(attrs["metrics_config"], "metrics_config")
	if err != nil || !ok {
		return err
	}
	if set(mc["metric_name_filters"]) {
		return errMetricNameFilters
	}
	metrics := map[string]any{}
	copyBools(mc, metrics, map[string]string{
		"enabled":                   "enabled",
		"automute_enabled":          "automute",
		"collect_cloudwatch_alarms": "collectCloudwatchAlarms",
		"collect_custom_metrics":    "collectCustomMetrics",
	})
	nf, ok, err := block(mc["namespace_filters"], "metrics_config.namespace_filters")
	if err != nil {
		return err
	}
	namespaces := map[string]any{}
	if ok {
		include, err := strList(nf["include_only"], "metrics_config.namespace_filters.include_only")
		if err != nil {
			return err
		}
		exclude, err := strList(nf["exclude_only"], "metrics_config.namespace_filters.exclude_only")
		if err != nil {
			return err
		}
		switch {
		case len(include) > 0:
			namespaces[Include] = include
		case nf["exclude_only"] != nil:
			namespaces[Exclude] = exclude
		}
	}
	metrics["namespaces"] = namespaces
	if metrics["tagFilters"], err = tagFilters(mc["tag_filters"], "namespace", "metrics_config.tag_filters"); err != nil {
		return err
	}
	entry["metrics"] = metrics
	return nil
}

func tfResources(attrs, entry map[string]any) error {
	rc, ok, err := block(attrs["resources_config"], "resources_config")
	if err != nil || !ok {
		return err
	}
	resources := map[string]any{}
	copyBools(rc, resources, map[string]string{
		"cloud_security_posture_management_collection": "cspm",
		"extended_collection":                          "extendedCollection",
	})
	entry["resources"] = resources
	return nil
}

func tfTraces(attrs, entry map[string]any) error {
	tc, ok, err := block(attrs["traces_config"], "traces_config")
	if err != nil || !ok {
		return err
	}
	traces := map[string]any{}
	xray, ok, err := block(tc["xray_services"], "traces_config.xray_services")
	if err != nil {
		return err
	}
	if ok {
		if all, _ := xray["include_all"].(bool); all {
			traces["xrayServices"] = All
		} else if traces["xrayServices"], err = strList(xray["include_only"], "traces_config.xray_services.include_only"); err != nil {
			return err
		}
	}
	entry["traces"] = traces
	return nil
}

// block reads a nested block, which `tofu show -json` writes as an object
// (a framework provider's single nested block) or as a list of at most one
// object; null or an empty list is an absent block.
func block(v any, name string) (map[string]any, bool, error) {
	switch x := v.(type) {
	case nil:
		return nil, false, nil
	case map[string]any:
		return x, true, nil
	case []any:
		switch len(x) {
		case 0:
			return nil, false, nil
		case 1:
			if m, ok := x[0].(map[string]any); ok {
				return m, true, nil
			}
		}
	}
	return nil, false, fmt.Errorf("%s is not one block: %T", name, v)
}

func orMissing(err error, name string) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("no %s block", name)
}

// strList reads a list of strings; null is the empty list.
func strList(v any, name string) ([]any, error) {
	out := []any{}
	if v == nil {
		return out, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s is not a list: %T", name, v)
	}
	for i, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("%s[%d] is not a string: %T", name, i, e)
		}
		out = append(out, s)
	}
	return out, nil
}

// tagFilters reads a list of {<keyAttr>, tags} blocks into a map of the
// key to its tags.
func tagFilters(v any, keyAttr, name string) (map[string]any, error) {
	out := map[string]any{}
	if v == nil {
		return out, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s is not a list: %T", name, v)
	}
	for i, e := range list {
		f, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s[%d] is not a block: %T", name, i, e)
		}
		k, _ := f[keyAttr].(string)
		if k == "" {
			return nil, fmt.Errorf("%s[%d] has no %s", name, i, keyAttr)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("%s[%d]: %s %q is filtered twice", name, i, keyAttr, k)
		}
		tags, err := strList(f["tags"], fmt.Sprintf("%s[%d].tags", name, i))
		if err != nil {
			return nil, err
		}
		out[k] = tags
	}
	return out, nil
}

// set says whether a state attribute holds something: not null, and not
// an empty list or block. A value of an unexpected type counts, so that
// it is refused rather than dropped.
func set(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

// copyBools copies the booleans the state has, renamed; null ones are left
// to the config's defaults.
func copyBools(from, to map[string]any, names map[string]string) {
	for tf, cfg := range names {
		if b, ok := from[tf].(bool); ok {
			to[cfg] = b
		}
	}
}
