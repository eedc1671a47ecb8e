// Command ddstack shows what the pytorch-datadog program registers, with no
// credentials, no network and no Pulumi CLI; see internal/cli.
package main

import (
	"os"

	"github.com/pytorch-fdn/pytorch-datadog/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
