// Command pytorch-datadog is the Pulumi program that manages the PyTorch
// Foundation's Datadog organisation (custom roles, users, teams, Slack
// channels, webhooks, monitors, synthetics API tests, dashboards and AWS
// account integrations); see the program package.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pytorch-fdn/pytorch-datadog/program"
)

func main() {
	pulumi.Run(program.Run)
}
