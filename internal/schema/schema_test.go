package schema_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/plan"
	"github.com/pytorch-fdn/pytorch-datadog/internal/schema"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
	"github.com/pytorch-fdn/pytorch-datadog/program"
	stackschema "github.com/pytorch-fdn/pytorch-datadog/schema"
)

var update = flag.Bool("update", false, "write the generated files (as go generate ./internal/schema does)")

const root = "../.."

// The committed schema and reference are what the declarations make: run
// go generate ./internal/schema (or this test with -update) after changing
// a declaration.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	t.Parallel()
	data, err := schema.JSON()
	require.NoError(t, err)
	for path, want := range map[string]string{
		"schema/stack.schema.json": string(data),
		"docs/configuration.md":    schema.Reference(),
	} {
		file := filepath.Join(root, path)
		if *update {
			require.NoError(t, os.WriteFile(file, []byte(want), 0o644))
		}
		got, err := os.ReadFile(file)
		require.NoError(t, err)
		assert.Equal(t, want, string(got), "%s is stale: run go generate ./internal/schema", path)
	}
}

// Every declaration is consistent, and every key the program reads is
// declared.
func TestEveryKeyIsDeclared(t *testing.T) {
	t.Parallel()
	names := map[string]bool{}
	for _, k := range program.Keys() {
		assert.Empty(t, k.Spec.Check(k.Name), k.Name)
		names[k.Name] = true
	}
	for _, section := range program.Sections() {
		assert.True(t, names["pytorch-datadog:"+section], "section %s is declared", section)
	}
	for _, typ := range program.Types {
		assert.NotNil(t, typ.Spec, "%s declares its entries", typ.Section)
	}
}

// verdicts says what ddstack plan (the decoders) and the schema make of a
// stack file: the problems' paths of each.
func verdicts(t *testing.T, file string, data []byte) (planPaths, schemaPaths []string) {
	t.Helper()
	dir := t.TempDir()
	project, err := os.ReadFile(filepath.Join(root, "Pulumi.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), project, 0o644))
	s, err := stackfile.LoadData(dir, "prod", file, data)
	if err == nil {
		_, err = plan.Load(s)
	}
	for _, e := range leaves(err) {
		planPaths = append(planPaths, e.Error())
	}
	compiled, cerr := stackschema.Compile()
	require.NoError(t, cerr)
	problems, cerr := stackschema.Check(compiled, data)
	if cerr != nil {
		// Not a document the schema applies to: refused.
		return planPaths, []string{cerr.Error()}
	}
	for _, p := range problems {
		schemaPaths = append(schemaPaths, p.String())
	}
	return planPaths, schemaPaths
}

func leaves(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leaves(e)...)
		}
		return out
	}
	return []error{err}
}

// The schema never refuses a stack the program accepts: every valid stack
// of the repository (the production stack, the fixtures) is valid against
// it, so an editor never flags a correct file.
func TestSchemaAcceptsEveryValidStack(t *testing.T) {
	t.Parallel()
	var files []string
	for _, pattern := range []string{"Pulumi.*.yaml", "testdata/stacks/*.yaml", "internal/*/testdata/*.yaml", "internal/*/testdata/*/*.yaml"} {
		found, err := filepath.Glob(filepath.Join(root, pattern))
		require.NoError(t, err)
		files = append(files, found...)
	}
	valid := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		planned, schemed := verdicts(t, file, data)
		if len(planned) > 0 {
			continue
		}
		valid++
		assert.Empty(t, schemed, "%s is valid, and the schema says otherwise", file)
	}
	assert.GreaterOrEqual(t, valid, 5, "the repository's valid stacks")
}

// header is a valid stack's start, to which each case adds.
const header = "config:\n  pulumi:disable-default-providers: [datadog]\n  datadog:apiUrl: https://api.us3.datadoghq.com/\n" +
	"  pytorch-datadog:users:\n    jane: {email: jane@example.org, roles: [Datadog Read Only Role]}\n"

// The schema and ddstack plan agree on a table of good and bad stacks:
// accepted by both, or refused by both. What only the program can tell
// (a role that exists, a notified channel, two entries with one name) is
// not in the table: the schema cannot know it (TestSchemaAcceptsEvery-
// ValidStack proves it never refuses such a stack when valid).
func TestSchemaAndPlanAgree(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		stack string
		ok    bool
	}{
		"a minimal stack":                    {header, true},
		"a section without its namespace":    {"config:\n  datadog:apiUrl: https://api.us3.datadoghq.com/\n  users:\n    jane: {email: jane@example.org, roles: [Datadog Read Only Role]}\n", true},
		"no users":                           {"config:\n  datadog:apiUrl: https://api.us3.datadoghq.com/\n", false},
		"no apiUrl":                          {"config:\n  pytorch-datadog:users:\n    jane: {email: jane@example.org, roles: [Datadog Read Only Role]}\n", false},
		"apiUrl of another host":             {strings.Replace(header, "https://api.us3.datadoghq.com/", "https://api.datadoghq.com.evil.example/", 1), false},
		"apiUrl over http":                   {strings.Replace(header, "https://api.us3.datadoghq.com/", "http://api.us3.datadoghq.com/", 1), false},
		"apiUrl on the EU site":              {strings.Replace(header, "https://api.us3.datadoghq.com/", "https://api.datadoghq.eu/", 1), true},
		"apiUrl with https's own port":       {strings.Replace(header, "https://api.us3.datadoghq.com/", "https://api.us3.datadoghq.com:443/", 1), true},
		"apiUrl of a site in upper case":     {strings.Replace(header, "https://api.us3.datadoghq.com/", "https://API.US3.DATADOGHQ.COM/", 1), false},
		"apiUrl on loopback (tests)":         {strings.Replace(header, "https://api.us3.datadoghq.com/", "https://127.0.0.1:8443/", 1), true},
		"confg for config":                   {strings.Replace(header, "config:", "confg:", 1), false},
		"an unknown section":                 {header + "  pytorch-datadog:user: {}\n", false},
		"an unknown provider key":            {header + "  datadog:site: us3\n", false},
		"a plaintext api key":                {header + "  datadog:apiKey: abc123\n", false},
		"a secure api key":                   {header + "  datadog:apiKey: {secure: v1:abc}\n", true},
		"a user without roles":               {header + "    bob: {email: bob@example.org}\n", false},
		"a user with empty roles":            {header + "    bob: {email: bob@example.org, roles: []}\n", false},
		"a user with a typo'd field":         {header + "    bob: {email: bob@example.org, roles: [r], rols: [r]}\n", false},
		"a user disabled as a string":        {header + "    bob: {email: bob@example.org, roles: [r], disabled: \"yes\"}\n", false},
		"an email with a space":              {header + "    bob: {email: bob @example.org, roles: [r]}\n", false},
		"a key in capitals":                  {header + "    Bob: {email: bob@example.org, roles: [r]}\n", false},
		"a role":                             {header + "  pytorch-datadog:roles:\n    r: {name: R, permissions: [logs_read_data]}\n", true},
		"a role without permissions":         {header + "  pytorch-datadog:roles:\n    r: {name: R, permissions: []}\n", false},
		"a team":                             {header + "  pytorch-datadog:teams:\n    t: {name: T, description: The T team., members: [jane]}\n", true},
		"a team handle with capitals":        {header + "  pytorch-datadog:teams:\n    t: {name: T, description: D., handle: Bad Handle}\n", false},
		"a channel that is no handle":        {header + "  pytorch-datadog:channels:\n    c: slack-infra\n", false},
		"a slack channel":                    {header + "  pytorch-datadog:slackChannels:\n    c: {account: PyTorch, channel: \"#infra\"}\n", true},
		"a slack channel unquoted":           {header + "  pytorch-datadog:slackChannels:\n    c:\n      account: PyTorch\n      channel: #infra\n", false},
		"a webhook":                          {header + "  pytorch-datadog:webhooks:\n    w: {url: \"https://example.org/h\", payload: {a: $ID}}\n", true},
		"a webhook over http":                {header + "  pytorch-datadog:webhooks:\n    w: {url: \"http://example.org/h\", payload: {a: $ID}}\n", false},
		"a webhook encoded as xml":           {header + "  pytorch-datadog:webhooks:\n    w: {url: \"https://example.org/h\", payload: {a: $ID}, encodeAs: xml}\n", false},
		"a metric monitor":                   {header + "  pytorch-datadog:monitors:\n    m: {name: M, kind: metric, query: \"avg(last_5m):avg:x{*}\", critical: 5, message: Hi.}\n", true},
		"a metric monitor with a search":     {header + "  pytorch-datadog:monitors:\n    m: {name: M, kind: metric, query: \"avg(last_5m):avg:x{*}\", search: x, critical: 5, message: Hi.}\n", false},
		"an event monitor without search":    {header + "  pytorch-datadog:monitors:\n    m: {name: M, kind: event, critical: 5, message: Hi.}\n", false},
		"a monitor of another kind":          {header + "  pytorch-datadog:monitors:\n    m: {name: M, kind: composite, query: q, critical: 5, message: Hi.}\n", false},
		"a priority of 9":                    {header + "  pytorch-datadog:monitors:\n    m: {name: M, kind: metric, query: \"avg(last_5m):avg:x{*}\", critical: 5, message: Hi., priority: 9}\n", false},
		"an http test":                       {header + "  pytorch-datadog:synthetics:\n    t: {name: T, url: \"https://pytorch.org\", assertions: [{type: statusCode, operator: is, target: 200}], message: Down.}\n", true},
		"an ssl test":                        {header + "  pytorch-datadog:synthetics:\n    t: {name: T, kind: ssl, host: pytorch.org, assertions: [{type: certificate, operator: isInMoreThan, target: 14}], message: Expiring.}\n", true},
		"an http test without url":           {header + "  pytorch-datadog:synthetics:\n    t: {name: T, assertions: [{type: statusCode, operator: is, target: 200}], message: Down.}\n", false},
		"an assertion without type":          {header + "  pytorch-datadog:synthetics:\n    t: {name: T, url: \"https://pytorch.org\", assertions: [{operator: is, target: 200}], message: Down.}\n", false},
		"a queue test":                       {header + "  pytorch-datadog:synthetics:\n    t: {name: T, kind: queue, queue: {contains: .rocm., thresholdHours: 24}, message: Slow.}\n", true},
		"a queue threshold of 0.0001 hours":  {header + "  pytorch-datadog:synthetics:\n    t: {name: T, kind: queue, queue: {contains: .rocm., thresholdHours: 0.0001}, message: Slow.}\n", false},
		"a queue threshold of 1e300 hours":   {header + "  pytorch-datadog:synthetics:\n    t: {name: T, kind: queue, queue: {contains: .rocm., thresholdHours: 1e300}, message: Slow.}\n", false},
		"a dashboard by its JSON":            {header + "  pytorch-datadog:dashboards:\n    d: {json: '{\"title\": \"D\", \"layout_type\": \"ordered\", \"widgets\": []}'}\n", true},
		"a dashboard of another layout":      {header + "  pytorch-datadog:dashboards:\n    d: {title: D, layoutType: grid, widgets: []}\n", false},
		"an aws account":                     {header + "  pytorch-datadog:awsAccounts:\n    a: {accountId: \"391835788720\", roleName: DatadogIntegrationRole}\n", true},
		"an aws account id as a number":      {header + "  pytorch-datadog:awsAccounts:\n    a: {accountId: 391835788720, roleName: DatadogIntegrationRole}\n", false},
		"a status code compared by lessThan": {header + "  pytorch-datadog:synthetics:\n    t: {name: T, url: \"https://pytorch.org\", assertions: [{type: statusCode, operator: lessThan, target: 200}], message: Down.}\n", false},
		"a body compared by lessThan":        {header + "  pytorch-datadog:synthetics:\n    t: {name: T, url: \"https://pytorch.org\", assertions: [{type: body, operator: lessThan, target: x}], message: Down.}\n", false},
		"a body that contains":               {header + "  pytorch-datadog:synthetics:\n    t: {name: T, url: \"https://pytorch.org\", assertions: [{type: body, operator: contains, target: x}], message: Down.}\n", true},
		"a header compared by isInMoreThan":  {header + "  pytorch-datadog:synthetics:\n    t: {name: T, url: \"https://pytorch.org\", assertions: [{type: header, property: x-a, operator: isInMoreThan, target: 1}], message: Down.}\n", false},
		"a response time of 0 ms":            {header + "  pytorch-datadog:synthetics:\n    t: {name: T, url: \"https://pytorch.org\", assertions: [{type: responseTime, operator: lessThan, target: 0}], message: Down.}\n", false},
		"a response time as a string":        {header + "  pytorch-datadog:synthetics:\n    t: {name: T, url: \"https://pytorch.org\", assertions: [{type: responseTime, operator: lessThan, target: \"500\"}], message: Down.}\n", false},
		"a response time compared by is":     {header + "  pytorch-datadog:synthetics:\n    t: {name: T, url: \"https://pytorch.org\", assertions: [{type: responseTime, operator: is, target: 500}], message: Down.}\n", false},
		"a certificate in an http test":      {header + "  pytorch-datadog:synthetics:\n    t: {name: T, url: \"https://pytorch.org\", assertions: [{type: certificate, operator: isInMoreThan, target: 14}], message: Down.}\n", false},
		"a status code in an ssl test":       {header + "  pytorch-datadog:synthetics:\n    t: {name: T, kind: ssl, host: pytorch.org, assertions: [{type: statusCode, operator: is, target: 200}], message: Expiring.}\n", false},
		"a certificate of 3651 days":         {header + "  pytorch-datadog:synthetics:\n    t: {name: T, kind: ssl, host: pytorch.org, assertions: [{type: certificate, operator: isInMoreThan, target: 3651}], message: Expiring.}\n", false},
		"a certificate compared by is":       {header + "  pytorch-datadog:synthetics:\n    t: {name: T, kind: ssl, host: pytorch.org, assertions: [{type: certificate, operator: is, target: 14}], message: Expiring.}\n", false},
		"apiUrl with https in capitals":      {strings.Replace(header, "https://api.us3.datadoghq.com/", "HTTPS://api.us3.datadoghq.com/", 1), false},
		"apiUrl with an empty port":          {strings.Replace(header, "https://api.us3.datadoghq.com/", "https://api.us3.datadoghq.com:/", 1), false},
		"a key YAML reads as a number":       {header + "    1: {email: one@example.org, roles: [r]}\n", false},
		"a second document":                  {header + "---\nconfig: {}\n", false},
		"config that is not a map":           {"config: hello\n", false},
		"an infinite threshold":              {header + "  pytorch-datadog:monitors:\n    m: {name: M, kind: metric, query: \"avg(last_5m):avg:x{*}\", critical: .inf, message: Hi.}\n", false},
		"a merge key":                        {header + "  pytorch-datadog:teams:\n    t: &t {name: T, description: The team., members: [jane]}\n    u: {<<: *t, name: U}\n", true},
		"a webhook url with a password":      {header + "  pytorch-datadog:webhooks:\n    w: {url: \"https://u:pw@example.org/h\", payload: {a: $ID}}\n", false},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			planned, schemed := verdicts(t, "Pulumi.prod.yaml", []byte(tc.stack))
			if tc.ok {
				assert.Empty(t, planned, "ddstack plan accepts it")
				assert.Empty(t, schemed, "the schema accepts it")
				return
			}
			assert.NotEmpty(t, planned, "ddstack plan refuses it")
			assert.NotEmpty(t, schemed, "the schema refuses it")
		})
	}
}
