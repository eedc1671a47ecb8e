// Package synthetics manages the Datadog synthetics API tests of the stack
// config (`pytorch-datadog:synthetics`): their config, its decoding and
// validation, the stack-wide defaults, and one datadog.SyntheticsTest per
// config key: HTTP tests, SSL certificate tests, and queue tests that run
// the embedded queue-check script against PyTorch HUD. ddstack check runs
// the very same Test values locally.
package synthetics

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Token is the Pulumi type the tests register as.
const Token = "datadog:index/syntheticsTest:SyntheticsTest"

// Subtype is the Datadog API test subtype of a kind: queue tests are HTTP
// tests with a JavaScript assertion.
func Subtype(kind string) string {
	if kind == SSL {
		return "ssl"
	}
	return "http"
}

// Message renders a test's message: its text, Datadog's failure message so
// the alert says what failed, then the channel handles.
func Message(t Test) string {
	return kit.WithHandles(t.Message+"\n\n"+FailureMessage, t.Notify)
}

// Tags are the stack-wide tags, the service tag and the test's own.
func Tags(t Test) []string {
	return slices.Concat(DefaultTags, []string{"service:" + t.Service}, t.Tags)
}

// New registers one datadog.SyntheticsTest per config key, in sorted key
// order, each named by its key, and returns them by key.
//
// A test that refers to secrets declares each as a secure config variable
// whose value is the secret, a secret output: Datadog fills it in, and
// the state holds it encrypted. secrets holds every secret the tests need.
func New(ctx *pulumi.Context, tests map[string]Test, secrets map[string]string, opts ...pulumi.ResourceOption) (map[string]*datadog.SyntheticsTest, error) {
	out := map[string]*datadog.SyntheticsTest{}
	for _, key := range kit.SortedKeys(tests) {
		t := tests[key]
		options := &datadog.SyntheticsTestOptionsListArgs{
			TickEvery: pulumi.Int(t.TickEvery),
			Retry: &datadog.SyntheticsTestOptionsListRetryArgs{
				Count:    pulumi.Int(t.RetryCount),
				Interval: pulumi.Int(t.RetryIntervalMs),
			},
		}
		if t.MinFailureDuration > 0 {
			options.MinFailureDuration = pulumi.Int(t.MinFailureDuration)
		}
		request := &datadog.SyntheticsTestRequestDefinitionArgs{}
		switch t.Kind {
		case SSL:
			request.Host = pulumi.String(t.Host)
			request.Port = pulumi.String(strconv.Itoa(t.Port))
		default:
			// Set in the inputs either way, so the state records what the
			// test says. Only true reaches Datadog: the provider (4.68.0)
			// sends the option only when it is true, and Datadog treats an
			// unset option as "do not follow" (synthetics.md §2). So false
			// is what a new test gets, but turning following off on a test
			// that had it on does not reach Datadog (docs/configuration.md, "Synthetics
			// tests").
			options.FollowRedirects = pulumi.Bool(t.FollowRedirects)
			request.Method = pulumi.String(t.Method)
			request.Url = pulumi.String(t.URL)
			if t.Body != "" {
				request.Body = pulumi.String(t.Body)
			}
			if t.TimeoutSeconds > 0 {
				request.Timeout = pulumi.Int(t.TimeoutSeconds)
			}
		}
		a := &datadog.SyntheticsTestArgs{
			Type:              pulumi.String("api"),
			Subtype:           pulumi.String(Subtype(t.Kind)),
			Name:              pulumi.String(t.Name),
			Message:           pulumi.String(Message(t)),
			Status:            pulumi.String(t.Status),
			Tags:              pulumi.ToStringArray(Tags(t)),
			Locations:         pulumi.ToStringArray(t.Locations),
			OptionsList:       options,
			RequestDefinition: request,
			Assertions:        assertions(t.Assertions),
		}
		if len(t.Headers) > 0 {
			a.RequestHeaders = pulumi.ToStringMap(t.Headers)
		}
		var variables datadog.SyntheticsTestConfigVariableArray
		for _, name := range t.Secrets {
			v, ok := secrets[name]
			if !ok {
				return nil, fmt.Errorf("%s.%s: refers to {{ %s }}, but %s.%s is not set: pulumi config set --secret --path '%s.%s' <value>",
					Section, key, kit.EnvName(name), kit.SecretsKey, name, kit.SecretsKey, name)
			}
			variables = append(variables, datadog.SyntheticsTestConfigVariableArgs{
				Name:    pulumi.String(kit.EnvName(name)),
				Type:    pulumi.String("text"),
				Pattern: pulumi.ToSecret(pulumi.String(v)).(pulumi.StringOutput),
				Secure:  pulumi.Bool(true),
			})
		}
		if len(variables) > 0 {
			a.ConfigVariables = variables
		}
		test, err := datadog.NewSyntheticsTest(ctx, key, a, kit.WithImport(t.ImportID, opts...)...)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", Section, key, err)
		}
		out[key] = test
	}
	return out, nil
}

func assertions(list []Assertion) datadog.SyntheticsTestAssertionArray {
	out := datadog.SyntheticsTestAssertionArray{}
	for _, a := range list {
		args := datadog.SyntheticsTestAssertionArgs{Type: pulumi.String(a.Type)}
		if a.Code != "" {
			args.Code = pulumi.String(a.Code)
		}
		if a.Operator != "" {
			args.Operator = pulumi.String(a.Operator)
		}
		if a.Property != "" {
			args.Property = pulumi.String(a.Property)
		}
		if a.HasTarget {
			args.Target = pulumi.String(a.Target)
		}
		if a.TimingsScope != "" {
			args.TimingsScope = pulumi.String(a.TimingsScope)
		}
		out = append(out, args)
	}
	return out
}
