package ddfake

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/pytorch-fdn/pytorch-datadog/internal/tfstate"
)

// ProductionState is PyTorch's organisation as the Terraform state of the
// repository's testdata/tfstate/production.show.json holds it: its
// objects of the Terraform types given, each with the attributes it is
// matched on (as program.TerraformTypes names them).
func ProductionState(t testing.TB, types map[string][]string) []tfstate.Object {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	data, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "testdata", "tfstate", "production.show.json"))
	if err != nil {
		t.Fatal(err)
	}
	objects, err := tfstate.Read(data, types)
	if err != nil {
		t.Fatal(err)
	}
	return objects
}

// Production is a Fake holding PyTorch's organisation: SeedTerraform of
// every object of ProductionState.
func Production(t testing.TB, types map[string][]string) *Fake {
	t.Helper()
	f := New(t)
	if err := f.SeedTerraform(ProductionState(t, types)); err != nil {
		t.Fatal(err)
	}
	return f
}
