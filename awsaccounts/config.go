package awsaccounts

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Section is the config key of the AWS accounts: `pytorch-datadog:awsAccounts`.
const Section = "awsAccounts"

// ImportID is the form of an AWS account integration's import id: the UUID
// Datadog gives the integration (Terraform's `datadog_integration_aws_account`
// id), not the AWS account id.
var ImportID = kit.UUID

// Partitions are the AWS partitions Datadog integrates.
var Partitions = []string{"aws", "aws-cn", "aws-us-gov"}

// DefaultPartition is the commercial partition, where PyTorch's account
// and nearly every AWS account live.
const DefaultPartition = "aws"

// All is the value of `regions` (every region) and of
// `traces.xrayServices` (every X-Ray service).
const All = "all"

// Namespace filter modes of Metrics.Namespaces.
const (
	// Include collects only the listed CloudWatch namespaces.
	Include = "include"
	// Exclude collects every namespace but the listed ones.
	Exclude = "exclude"
)

// Account is an AWS account integrated with Datadog. Every block of the
// integration (regions, auth, logs, metrics, resources, traces) is sent to
// the provider explicitly, defaults included: the provider saves an
// imported account without its default blocks and then fails every
// refresh, and a value left unset would let a change made in the Datadog
// UI go unnoticed.
type Account struct {
	// AccountID is the 12-digit AWS account id. Required, unique.
	AccountID string
	// Partition is aws, aws-cn or aws-us-gov. Default DefaultPartition.
	Partition string
	// AllRegions collects from every region, now and future; otherwise
	// only from Regions. Default true, as in Datadog.
	AllRegions bool
	// Regions are the regions collected from when AllRegions is false.
	Regions []string
	// RoleName is the IAM role Datadog assumes (role delegation). Required:
	// authentication by an IAM user's access keys is not supported, as its
	// secret key would sit in this section.
	RoleName string
	// ExternalID is the role's external id; "" keeps the one Datadog
	// generated, which the role's trust policy names.
	ExternalID string
	// Tags are added to every metric of the account (`key:value`).
	// Default none.
	Tags []string
	// Logs is the Lambda forwarder's log collection.
	Logs Logs
	// Metrics is the CloudWatch metric collection.
	Metrics Metrics
	// Resources is the resource collection.
	Resources Resources
	// Traces is the X-Ray trace collection.
	Traces Traces
	// ImportID adopts an existing integration (its UUID).
	ImportID string
}

// Logs configures log autosubscription of the Datadog Forwarder Lambdas.
type Logs struct {
	// Lambdas are the forwarder functions' ARNs. Default none.
	Lambdas []string
	// Sources are the AWS services whose logs are subscribed (s3, elb,
	// lambda, ...). Default none.
	Sources []string
	// TagFilters limit a source's collection to resources with these tags,
	// by source. Default none.
	TagFilters map[string][]string
}

// Metrics configures CloudWatch metric collection. The defaults are
// Datadog's.
type Metrics struct {
	// Enabled collects AWS metrics at all. Default true.
	Enabled bool
	// Automute mutes monitors of EC2 hosts that AWS stopped on purpose.
	// Default true.
	Automute bool
	// CollectCloudwatchAlarms imports CloudWatch alarms as events. Default
	// false.
	CollectCloudwatchAlarms bool
	// CollectCustomMetrics collects metrics of custom namespaces. Default
	// false.
	CollectCustomMetrics bool
	// Namespaces filters the CloudWatch namespaces collected.
	Namespaces Namespaces
	// TagFilters limit a namespace's collection to resources with these
	// tags, by namespace. Default none.
	TagFilters map[string][]string
}

// Namespaces is a filter of CloudWatch namespaces.
type Namespaces struct {
	// Mode is Include, Exclude, or "" for Datadog's default filter (which
	// excludes AWS/SQS, AWS/ElasticMapReduce and AWS/Usage, to keep the
	// account's CloudWatch bill down).
	Mode string
	// Names are the namespaces included or excluded, such as AWS/EC2.
	Names []string
}

// Resources configures resource collection.
type Resources struct {
	// CSPM scans resources for Cloud Security Posture Management. Needs
	// ExtendedCollection. Default false, as in Datadog.
	CSPM bool
	// ExtendedCollection collects resources' attributes and
	// configuration. Default true, as in Datadog.
	ExtendedCollection bool
}

// Traces configures X-Ray trace collection.
type Traces struct {
	// AllXrayServices collects from every X-Ray service; otherwise only
	// from XrayServices. Default false.
	AllXrayServices bool
	// XrayServices are the services collected from when AllXrayServices
	// is false. Default none, as in Datadog.
	XrayServices []string
}

// Defaults is an account with every optional field at its default: the
// provider's (Datadog's) defaults, written out so that they are sent.
func Defaults() Account {
	return Account{
		Partition:  DefaultPartition,
		AllRegions: true,
		Tags:       []string{},
		Logs:       Logs{Lambdas: []string{}, Sources: []string{}, TagFilters: map[string][]string{}},
		Metrics: Metrics{
			Enabled: true, Automute: true,
			TagFilters: map[string][]string{},
		},
		Resources: Resources{ExtendedCollection: true},
		Traces:    Traces{XrayServices: []string{}},
	}
}

var (
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
	// AWS region names: us-east-1, ap-southeast-2, us-gov-west-1, cn-north-1.
	regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	// IAM role names: 1 to 64 of letters, digits and +=,.@_-.
	roleNamePattern = regexp.MustCompile(`^[A-Za-z0-9+=,.@_-]{1,64}$`)
	// IAM external ids: minExternalID to maxExternalID (checked apart:
	// more than regexp's limit) of letters, digits and +=,.@:/_-.
	externalIDPattern = regexp.MustCompile(`^[A-Za-z0-9+=,.@:/_-]+$`)
	// An account tag: a key starting with a letter, a colon, a value
	// without commas or spaces ([\t\n\f\r ] is RE2's \s, written out so
	// that the schema's ECMA-262 reads the same).
	tagPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_./-]*:[^\t\n\f\r ,]+$`)
	// A Lambda function's ARN, optionally with a version or alias.
	lambdaARNPattern = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$`)
	// A log source's service id: s3, elbv2, apigw-access-logs.
	logSourcePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
)

// The length of an IAM external id.
const (
	minExternalID = 2
	maxExternalID = 1224
)

// What the schema says of the decoders' checks that are not regexps:
// trimmed is a name that is not empty and has no spaces around it
// (checkName, a tag filter's key; the decoder refuses Unicode spaces
// around it too); resourceTag a resource tag without commas or spaces.
const (
	trimmed     = `^[^ \t\n\r]([\s\S]*[^ \t\n\r])?$`
	resourceTag = `^[^ \t\r\n,]+$`
)

// notes are what the reference says of the section beyond its fields.
//
//go:embed notes.md
var notes string

// Spec declares the awsAccounts section: the decoder, the stack file's
// JSON Schema and the reference (docs/configuration.md) are made from it.
var Spec = &kit.Spec{
	Notes: notes,
	Title: "AWS accounts", Kind: kit.Map, KeyPattern: kit.KeyPattern, Default: map[string]any{},
	Doc: "AWS accounts integrated with Datadog (`datadog:aws/integrationAccount:IntegrationAccount`) by key; the key is the resource's logical name. " +
		"Datadog reaches an account through an IAM role that it assumes; access keys are not supported, as the secret key would have to sit in this section. " +
		"Every block of the integration (regions, auth, logs, metrics, resources, traces) is sent on every run, Datadog's defaults written out and lists sent empty rather than left unset: " +
		"right after an import the provider saves the account without its default blocks, and every later refresh fails until they are written; and a change made in the Datadog UI shows as drift, and is undone.",
	Values: &kit.Spec{Title: "an AWS account", Kind: kit.Object, Fields: []*kit.Spec{
		{Name: "accountId", Kind: kit.String, Required: true, Pattern: accountIDPattern.String(), PatternDoc: "12 digits, quoted",
			Doc: "The AWS account id, **quoted** (`\"391835788720\"`): an unquoted YAML number is an error, as a leading zero would be lost. Unique across entries."},
		{Name: "partition", Kind: kit.String, Enum: Partitions, Default: DefaultPartition,
			Doc: "The AWS partition. The default is the commercial partition, where PyTorch's account is. Regions and forwarder ARNs must belong to it (`cn-*` in `aws-cn`, `us-gov-*` in `aws-us-gov`)."},
		{Name: "regions", Kind: kit.String, Enum: []string{All}, Default: All,
			AnyOf: []*kit.Spec{{Kind: kit.List, Unique: true, Title: "the regions listed", MinItems: 1,
				Items: &kit.Spec{Kind: kit.String, Pattern: regionPattern.String(), PatternDoc: "a region name such as us-east-1"}}},
			Doc: "Which regions Datadog collects from: `all` (Datadog's default), which also covers regions AWS adds later, or a list of region names (`[us-east-1, us-west-2]`), not empty, each once (`[all]` is an error: write `all` alone)."},
		{Name: "roleName", Kind: kit.String, Required: true, Pattern: roleNamePattern.String(), PatternDoc: "an IAM role name: 1 to 64 letters, digits and +=,.@_-",
			Doc: "The IAM role Datadog assumes, by its name alone and not by ARN (`DatadogIntegrationRole`)."},
		{Name: "externalId", Kind: kit.String, Pattern: externalIDPattern.String(), PatternDoc: "letters, digits and +=,.@:/_-", MinLength: minExternalID,
			DefaultDoc: "unset: Datadog's is kept",
			Doc:        fmt.Sprintf("The role's external ID, %d to %d characters. Unset, the provider keeps the one Datadog generated, which is the ID the role's trust policy names; sending another would lock Datadog out.", minExternalID, maxExternalID)},
		{Name: "tags", Kind: kit.List, Unique: true, Default: []any{},
			Items: &kit.Spec{Kind: kit.String, Pattern: tagPattern.String(), PatternDoc: "key:value, the key starting with a letter"},
			Doc:   "Tags added to every metric from the account (`team:infra`), each once."},
		logsSpec, metricsSpec, resourcesSpec, tracesSpec,
		ImportID.Spec("the integration's UUID, the `id` of Terraform's `datadog_integration_aws_account`, and not the AWS account id"),
	}},
}

// logsSpec declares an account's logs.
var logsSpec = &kit.Spec{Name: "logs", Title: "the Lambda forwarder's log collection", Kind: kit.Object,
	Default: map[string]any{"lambdas": []any{}, "sources": []any{}},
	Doc:     "Log autosubscription through the Datadog Forwarder Lambda; the default is Datadog's.",
	Fields: []*kit.Spec{
		{Name: "lambdas", Kind: kit.List, Unique: true, Default: []any{},
			Items: &kit.Spec{Kind: kit.String, Pattern: lambdaARNPattern.String(), PatternDoc: "a Lambda function's ARN, with a version or alias or not"},
			Doc:   "The forwarder functions that Datadog subscribes to log sources, by ARN, each once, in the account's partition."},
		{Name: "sources", Kind: kit.List, Unique: true, Default: []any{},
			Items: &kit.Spec{Kind: kit.String, Pattern: logSourcePattern.String(), PatternDoc: "an AWS log source id such as s3"},
			Doc:   "The services whose logs Datadog subscribes to automatically, by AWS log source id (`s3`, `elbv2`, `apigw-access-logs`, …), each once."},
		{Name: "tagFilters", Kind: kit.Map, Default: map[string]any{}, KeyPattern: trimmed, Values: resourceTags,
			Doc: "By source: collect the source's logs only from resources that carry these tags (`env:prod`, `!team:ml`). The block is sent only when the map is not empty."},
	}}

// metricsSpec declares an account's metrics.
var metricsSpec = &kit.Spec{Name: "metrics", Title: "the CloudWatch metric collection", Kind: kit.Object, Default: map[string]any{},
	Doc: "CloudWatch metric collection; each field's default is Datadog's.",
	Fields: []*kit.Spec{
		{Name: "enabled", Kind: kit.Bool, Default: true, Doc: "Collect AWS metrics at all."},
		{Name: "automute", Kind: kit.Bool, Default: true, Doc: "Mute the monitors of EC2 hosts that were stopped on purpose."},
		{Name: "collectCloudwatchAlarms", Kind: kit.Bool, Default: false, Doc: "Import CloudWatch alarms as events."},
		{Name: "collectCustomMetrics", Kind: kit.Bool, Default: false, Doc: "Collect metrics from custom namespaces."},
		{Name: "namespaces", Title: "a namespace filter", AnyOf: namespaceForms, DefaultDoc: "`{}`: Datadog's default filter",
			Doc: "Which CloudWatch namespaces to collect. `{include: [...]}` collects only the listed ones; `{exclude: [...]}` collects every one but the listed ones; " +
				"`{}` sends an empty filter, so that Datadog's default applies: provider 4.68 (Terraform 3.90) excludes `AWS/SQS`, `AWS/ElasticMapReduce` and `AWS/Usage`, to keep the account's CloudWatch bill down. " +
				"A filter has `include` or `exclude`, not both."},
		{Name: "tagFilters", Kind: kit.Map, Default: map[string]any{}, KeyPattern: trimmed, Values: resourceTags,
			Doc: "By namespace: collect the namespace's metrics only from resources that carry these tags (`\"AWS/EC2\": [datadog:true]`). Always sent, `[]` when there are none."},
	}}

// namespaceForms are a namespace filter's forms: {include}, and {exclude}
// or {} (Datadog's default filter).
var namespaceForms = []*kit.Spec{
	{Title: "only the namespaces listed", Kind: kit.Object, Fields: []*kit.Spec{
		{Name: Include, Kind: kit.List, Unique: true, Required: true, MinItems: 1, Items: namespaceName,
			Doc: "The namespaces collected (`AWS/EC2`), each once; not empty (to collect none, set `enabled` to false)."},
	}},
	{Title: "every namespace but those listed", Kind: kit.Object, Fields: []*kit.Spec{
		{Name: Exclude, Kind: kit.List, Unique: true, Items: namespaceName, DefaultDoc: "unset: Datadog's default filter",
			Doc: "The namespaces not collected (`AWS/SQS`), each once."},
	}},
}

// namespaceFields is the decoder's view of a namespace filter: both
// fields, none required.
var namespaceFields = &kit.Spec{Title: "a namespace filter", Kind: kit.Object, Fields: []*kit.Spec{
	namespaceForms[0].Fields[0].Optional(), namespaceForms[1].Fields[0].Optional(),
}}

// namespaceWhat describes a namespace filter in messages.
var namespaceWhat = "a namespace filter (" + namespaceForms[0].FieldSet() + " or " + namespaceForms[1].FieldSet() + "; {} for Datadog's default)"

var (
	namespaceName = &kit.Spec{Kind: kit.String, Pattern: trimmed, PatternDoc: "a CloudWatch namespace such as AWS/EC2"}
	resourceTags  = &kit.Spec{Kind: kit.List, Title: "resource tags",
		Items: &kit.Spec{Kind: kit.String, Pattern: resourceTag, PatternDoc: "a resource tag such as env:prod or !region:us-east-1"}}
)

// resourcesSpec declares an account's resources.
var resourcesSpec = &kit.Spec{Name: "resources", Title: "the resource collection", Kind: kit.Object,
	Default: map[string]any{"cspm": false, "extendedCollection": true},
	Doc:     "Resource collection; the default is Datadog's.",
	Fields: []*kit.Spec{
		{Name: "cspm", Kind: kit.Bool, Default: false,
			Doc: "Cloud Security Posture Management: scan the account's resources for misconfigurations. Needs `extendedCollection`."},
		{Name: "extendedCollection", Kind: kit.Bool, Default: true, Doc: "Collect the resources' attributes and configuration."},
	}}

// tracesSpec declares an account's traces.
var tracesSpec = &kit.Spec{Name: "traces", Title: "the X-Ray trace collection", Kind: kit.Object,
	Default: map[string]any{"xrayServices": []any{}},
	Doc:     "X-Ray trace collection; the default is Datadog's.",
	Fields: []*kit.Spec{
		{Name: "xrayServices", Kind: kit.List, Unique: true, Default: []any{},
			Items: &kit.Spec{Kind: kit.String, Pattern: trimmed, PatternDoc: "an X-Ray service name"},
			AnyOf: []*kit.Spec{{Kind: kit.String, Enum: []string{All}, Title: "every X-Ray service"}},
			Doc:   "The X-Ray services collected from: `[]` (Datadog's default: the block is present, and lists no service), a list of service names, each once, or `all`."},
	}}

// Decode decodes and validates the awsAccounts section, reporting every
// problem to p. An absent section is no accounts.
func Decode(p *kit.Problems, raw string, present bool) map[string]Account {
	out := map[string]Account{}
	byID := map[string]string{}
	importIDs := map[string]string{}
	for _, e := range p.Entries(Section, raw, present, "account key to AWS account ({accountId, roleName, ...})") {
		key, path := e.Key, e.Path
		a, ok := decodeAccount(p, path, e.Value)
		if !ok {
			continue
		}
		if a.AccountID != "" {
			if other, dup := byID[a.AccountID]; dup {
				p.Add(path+".accountId", "%q is also the accountId of %s.%s; Datadog integrates an AWS account once", a.AccountID, Section, other)
			}
			byID[a.AccountID] = key
		}
		importIDs[key] = a.ImportID
		out[key] = a
	}
	p.UniqueImportIDs(Section, importIDs)
	return out
}

func decodeAccount(p *kit.Problems, path string, v any) (Account, bool) {
	a := Defaults()
	partitionOK := true
	fields := []kit.Field{
		{Name: "accountId", Decode: func(fp string, v any) { decodeAccountID(p, fp, v, &a.AccountID) }},
		{Name: "partition", Decode: func(fp string, v any) { partitionOK = decodePartition(p, fp, v, &a.Partition) }},
		{Name: "regions", Decode: func(fp string, v any) {
			a.AllRegions, a.Regions = decodeAllOrList(p, fp, v, "region names such as [us-east-1, us-west-2]", checkRegion)
			if !a.AllRegions && a.Regions != nil && len(a.Regions) == 0 {
				p.Add(fp, "is empty; write %s for every region, or list at least one region such as us-east-1", All)
			}
		}},
		{Name: "roleName", Decode: func(fp string, v any) {
			if p.String(fp, v, &a.RoleName) {
				checkRoleName(p, fp, a.RoleName)
			}
		}},
		{Name: "externalId", Decode: func(fp string, v any) {
			if p.String(fp, v, &a.ExternalID) && (!externalIDPattern.MatchString(a.ExternalID) || len(a.ExternalID) < minExternalID || len(a.ExternalID) > maxExternalID) {
				p.Add(fp, "%q is not an IAM external id (%d to %d letters, digits and +=,.@:/_-)", a.ExternalID, minExternalID, maxExternalID)
			}
		}},
		{Name: "tags", Decode: func(fp string, v any) {
			if p.StringList(fp, v, "key:value tags", &a.Tags) {
				checkTags(p, fp, a.Tags)
			}
		}},
		{Name: "logs", Decode: func(fp string, v any) { decodeLogs(p, fp, v, &a.Logs) }},
		{Name: "metrics", Decode: func(fp string, v any) { decodeMetrics(p, fp, v, &a.Metrics) }},
		{Name: "resources", Decode: func(fp string, v any) { decodeResources(p, fp, v, &a.Resources) }},
		{Name: "traces", Decode: func(fp string, v any) { decodeTraces(p, fp, v, &a.Traces) }},
		ImportID.Field(p, &a.ImportID),
	}
	if !p.Object(path, v, Spec.Values, fields) {
		return a, false
	}
	if partitionOK {
		checkPartition(p, path, a)
	}
	return a, true
}

// decodeAccountID takes the id as a string: a YAML number would lose a
// leading zero (and is the usual way to get here), so it is an error that
// says to quote it.
func decodeAccountID(p *kit.Problems, fp string, v any, out *string) {
	if n, isNum := v.(json.Number); isNum {
		p.Add(fp, "must be a string; quote it: accountId: \"%s\" (as a YAML number, an id with a leading zero would lose it)", n.String())
		return
	}
	var s string
	if !p.String(fp, v, &s) {
		return
	}
	if !accountIDPattern.MatchString(s) {
		hint := ""
		if digits := strings.NewReplacer("-", "", " ", "").Replace(s); accountIDPattern.MatchString(digits) {
			hint = fmt.Sprintf("; write it without dashes or spaces: %q", digits)
		}
		p.Add(fp, "%q is not an AWS account id: 12 digits, such as \"123456789012\"%s", s, hint)
		return
	}
	*out = s
}

// decodePartition is an Enum of Partitions that knows the partitions'
// other names: "aws-gov" is closest to "aws" by spelling, but means
// GovCloud.
func decodePartition(p *kit.Problems, fp string, v any, out *string) bool {
	if s, isStr := v.(string); isStr && !slices.Contains(Partitions, s) {
		lower := strings.ToLower(s)
		meant := ""
		switch {
		case strings.Contains(lower, "gov"):
			meant = "aws-us-gov"
		case strings.Contains(lower, "cn") || strings.Contains(lower, "china"):
			meant = "aws-cn"
		}
		if meant != "" {
			p.Add(fp, "%q is not one of %s (did you mean %q?)", s, strings.Join(Partitions, ", "), meant)
			return false
		}
	}
	return p.Enum(fp, v, Partitions, out)
}

// checkPartition checks that regions and forwarder ARNs belong to the
// account's partition: China regions are cn-*, GovCloud ones us-gov-*.
func checkPartition(p *kit.Problems, path string, a Account) {
	for i, r := range a.Regions {
		if !regionPattern.MatchString(r) {
			continue // reported already
		}
		if want := partitionOfRegion(r); want != a.Partition {
			p.Add(fmt.Sprintf("%s.regions[%d]", path, i), "%q is a region of partition %s, not %s", r, want, a.Partition)
		}
	}
	for i, arn := range a.Logs.Lambdas {
		if !lambdaARNPattern.MatchString(arn) {
			continue // reported already
		}
		if part := strings.Split(arn, ":")[1]; part != a.Partition {
			p.Add(fmt.Sprintf("%s.logs.lambdas[%d]", path, i), "is in partition %s, not the account's %s", part, a.Partition)
		}
	}
}

func partitionOfRegion(r string) string {
	switch {
	case strings.HasPrefix(r, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(r, "us-gov-"):
		return "aws-us-gov"
	default:
		return "aws"
	}
}

func checkRegion(p *kit.Problems, path, r string) {
	if !regionPattern.MatchString(r) {
		p.Add(path, "%q is not an AWS region name such as us-east-1", r)
	}
}

func checkRoleName(p *kit.Problems, path, name string) {
	switch {
	case strings.HasPrefix(name, "arn:"):
		p.Add(path, "%q is an ARN; give the role's name alone, such as DatadogIntegrationRole", name)
	case !roleNamePattern.MatchString(name):
		p.Add(path, "%q is not an IAM role name (1 to 64 letters, digits and +=,.@_-), such as DatadogIntegrationRole", name)
	}
}

func checkTags(p *kit.Problems, path string, tags []string) {
	for i, t := range tags {
		if !tagPattern.MatchString(t) {
			p.Add(fmt.Sprintf("%s[%d]", path, i), "%q is not a key:value tag such as team:infra", t)
		}
	}
	noDuplicates(p, path, tags)
}

// noDuplicates reports an entry listed twice.
func noDuplicates(p *kit.Problems, path string, list []string) {
	seen := map[string]int{}
	for i, s := range list {
		if j, dup := seen[s]; dup {
			p.Add(fmt.Sprintf("%s[%d]", path, i), "%q is listed twice (also at [%d])", s, j)
			continue
		}
		seen[s] = i
	}
}

// decodeAllOrList decodes `all` or a list of names, each checked by check,
// without duplicates. A lone name is reported with the list it was
// probably meant to be. The list is nil unless v was a list.
func decodeAllOrList(p *kit.Problems, path string, v any, what string, check checker) (all bool, list []string) {
	switch x := v.(type) {
	case string:
		if x == All {
			return true, nil
		}
		p.Add(path, "must be %s or a list of %s, got the string %q%s", All, what, x, suggestAll(x))
		return false, nil
	case []any:
		if !p.StringList(path, v, what, &list) {
			return false, nil
		}
		for i, s := range list {
			ip := fmt.Sprintf("%s[%d]", path, i)
			if s == All {
				p.Add(ip, "%q in a list names nothing; write %s alone, not in a list, for every one", s, All)
				continue
			}
			check(p, ip, s)
		}
		noDuplicates(p, path, list)
		return false, list
	default:
		p.Add(path, "must be %s or a list of %s, got %s", All, what, kit.Describe(v))
		return false, nil
	}
}

func suggestAll(s string) string {
	if d := kit.DidYouMean(s, []string{All}); d != "" {
		return d
	}
	return fmt.Sprintf(" (write a list: [%q])", s)
}

// checker checks one name of a list, reporting a problem at its path.
type checker func(p *kit.Problems, path, s string)

// checkName is the checker of free-form names: not blank, not padded.
func checkName(what string) checker {
	return func(p *kit.Problems, path, s string) {
		switch {
		case strings.TrimSpace(s) == "":
			p.Add(path, "is empty; name a %s", what)
		case strings.TrimSpace(s) != s:
			p.Add(path, "%q has leading or trailing spaces", s)
		}
	}
}

// decodeNames decodes a list of names, each checked, without duplicates.
func decodeNames(p *kit.Problems, path string, v any, what string, check checker, out *[]string) {
	var list []string
	if !p.StringList(path, v, what, &list) {
		return
	}
	for i, s := range list {
		check(p, fmt.Sprintf("%s[%d]", path, i), s)
	}
	noDuplicates(p, path, list)
	*out = list
}

// decodeTagFilters decodes a map of a namespace or source to the resource
// tags it is filtered on.
func decodeTagFilters(p *kit.Problems, path string, v any, keyWhat string, out *map[string][]string) {
	m, ok := v.(map[string]any)
	if !ok {
		p.Add(path, "must be a map of %s to lists of resource tags, got %s", keyWhat, kit.Describe(v))
		return
	}
	res := map[string][]string{}
	for _, k := range kit.SortedKeys(m) {
		kp := path + "." + k
		if strings.TrimSpace(k) == "" || strings.TrimSpace(k) != k {
			p.Add(kp, "%q is not a %s: empty, or with leading or trailing spaces", k, keyWhat)
			continue
		}
		var tags []string
		if !p.StringList(kp, m[k], "resource tags such as env:prod", &tags) {
			continue
		}
		for i, t := range tags {
			if strings.TrimSpace(t) == "" || strings.ContainsAny(t, " \t\r\n,") {
				p.Add(fmt.Sprintf("%s[%d]", kp, i), "%q is not a resource tag such as env:prod or !region:us-east-1", t)
			}
		}
		noDuplicates(p, kp, tags)
		res[k] = tags
	}
	*out = res
}

func decodeLogs(p *kit.Problems, path string, v any, l *Logs) {
	p.Object(path, v, logsSpec, []kit.Field{
		{Name: "lambdas", Decode: func(fp string, v any) {
			decodeNames(p, fp, v, "Lambda function ARNs", func(p *kit.Problems, path, s string) {
				if !lambdaARNPattern.MatchString(s) {
					p.Add(path, "%q is not a Lambda function ARN such as arn:aws:lambda:us-east-1:123456789012:function:datadog-forwarder", s)
				}
			}, &l.Lambdas)
		}},
		{Name: "sources", Decode: func(fp string, v any) {
			decodeNames(p, fp, v, "AWS log sources such as [s3, elb, lambda]", func(p *kit.Problems, path, s string) {
				if !logSourcePattern.MatchString(s) {
					p.Add(path, "%q is not an AWS log source id such as s3, elbv2 or apigw-access-logs", s)
				}
			}, &l.Sources)
		}},
		{Name: "tagFilters", Decode: func(fp string, v any) { decodeTagFilters(p, fp, v, "log source", &l.TagFilters) }},
	})
}

func decodeMetrics(p *kit.Problems, path string, v any, m *Metrics) {
	p.Object(path, v, metricsSpec, []kit.Field{
		{Name: "enabled", Decode: func(fp string, v any) { p.Bool(fp, v, &m.Enabled) }},
		{Name: "automute", Decode: func(fp string, v any) { p.Bool(fp, v, &m.Automute) }},
		{Name: "collectCloudwatchAlarms", Decode: func(fp string, v any) { p.Bool(fp, v, &m.CollectCloudwatchAlarms) }},
		{Name: "collectCustomMetrics", Decode: func(fp string, v any) { p.Bool(fp, v, &m.CollectCustomMetrics) }},
		{Name: "namespaces", Decode: func(fp string, v any) { decodeNamespaces(p, fp, v, &m.Namespaces) }},
		{Name: "tagFilters", Decode: func(fp string, v any) { decodeTagFilters(p, fp, v, "CloudWatch namespace", &m.TagFilters) }},
	})
}

func decodeNamespaces(p *kit.Problems, path string, v any, n *Namespaces) {
	var include, exclude []string
	var hasInclude, hasExclude bool
	names := checkName("CloudWatch namespace such as AWS/EC2")
	if _, isMap := v.(map[string]any); !isMap {
		p.Add(path, "must be %s, got %s", namespaceWhat, kit.Describe(v))
		return
	}
	ok := p.Object(path, v, namespaceFields, []kit.Field{
		{Name: Include, Decode: func(fp string, v any) {
			hasInclude = true
			if decodeNames(p, fp, v, "CloudWatch namespaces such as [AWS/EC2]", names, &include); include != nil && len(include) == 0 {
				p.Add(fp, "is empty, which would collect no namespace; to collect none, set metrics.enabled to false")
			}
		}},
		{Name: Exclude, Decode: func(fp string, v any) {
			hasExclude = true
			decodeNames(p, fp, v, "CloudWatch namespaces such as [AWS/SQS]", names, &exclude)
		}},
	})
	switch {
	case !ok:
	case hasInclude && hasExclude:
		p.Add(path, "has both include and exclude; a filter does one: include only the listed namespaces, or exclude them")
	case hasInclude:
		*n = Namespaces{Mode: Include, Names: include}
	case hasExclude:
		*n = Namespaces{Mode: Exclude, Names: exclude}
	}
}

func decodeResources(p *kit.Problems, path string, v any, r *Resources) {
	if !p.Object(path, v, resourcesSpec, []kit.Field{
		{Name: "cspm", Decode: func(fp string, v any) { p.Bool(fp, v, &r.CSPM) }},
		{Name: "extendedCollection", Decode: func(fp string, v any) { p.Bool(fp, v, &r.ExtendedCollection) }},
	}) {
		return
	}
	if r.CSPM && !r.ExtendedCollection {
		p.Add(path+".cspm", "needs extendedCollection: cloud security posture management scans the resources extended collection gathers")
	}
}

func decodeTraces(p *kit.Problems, path string, v any, t *Traces) {
	p.Object(path, v, tracesSpec, []kit.Field{
		{Name: "xrayServices", Decode: func(fp string, v any) {
			all, list := decodeAllOrList(p, fp, v, "X-Ray service names", checkName("X-Ray service"))
			t.AllXrayServices = all
			if all {
				t.XrayServices = nil
			} else if list != nil {
				t.XrayServices = list
			}
		}},
	})
}
