// Package program is the pytorch-datadog Pulumi program: it decodes the
// stack config once (Load), then registers the one explicit Datadog
// provider and every resource type of the registry (Types) in order: the
// custom roles, the users, the teams and their members, the Slack channels,
// the webhooks, the monitors, the synthetics API tests, the dashboards and
// the AWS account integrations.
// main.go runs it under the Pulumi engine; ddstack runs the very same Build
// under the mock engine.
package program

import (
	"fmt"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ProviderName is the logical name of the explicit Datadog provider.
const ProviderName = "datadog"

// ProviderToken is the Pulumi type of the Datadog provider.
const ProviderToken = "pulumi:providers:datadog"

// Run is the Pulumi program: it decodes the config the engine hands it,
// and registers nothing unless the whole of it is valid.
func Run(ctx *pulumi.Context) error {
	cfg, err := Load(FromContext(ctx))
	if err != nil {
		return err
	}
	if missing := MissingSecrets(cfg); len(missing) > 0 {
		return missingSecretsError(missing)
	}
	return Build(ctx, cfg)
}

// Build registers everything a validated config describes: the provider,
// then each type of the registry in order, each in sorted key order.
func Build(ctx *pulumi.Context, cfg *Config) error {
	provider, err := NewProvider(ctx, cfg.Datadog)
	if err != nil {
		return err
	}
	withProvider := pulumi.Provider(provider)
	made := &registered{}
	for _, t := range Types {
		if err := t.register(ctx, cfg, made, withProvider); err != nil {
			return err
		}
	}
	return nil
}

// NewProvider registers the one explicit Datadog provider. Its keys come
// from secret config when set there, and otherwise the provider reads
// DD_API_KEY and DD_APP_KEY from the environment, so they never reach the
// state.
func NewProvider(ctx *pulumi.Context, dd Datadog) (*datadog.Provider, error) {
	args := &datadog.ProviderArgs{ApiUrl: pulumi.String(dd.APIURL)}
	if dd.APIKey != "" {
		args.ApiKey = pulumi.ToSecret(pulumi.String(dd.APIKey)).(pulumi.StringOutput)
	}
	if dd.AppKey != "" {
		args.AppKey = pulumi.ToSecret(pulumi.String(dd.AppKey)).(pulumi.StringOutput)
	}
	p, err := datadog.NewProvider(ctx, ProviderName, args)
	if err != nil {
		return nil, fmt.Errorf("datadog provider: %w", err)
	}
	return p, nil
}
