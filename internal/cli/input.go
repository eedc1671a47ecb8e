package cli

import (
	"crypto/x509"
	"fmt"

	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
)

// Bounds of the files given by flags (stackfile.ReadFile): far above any
// real one, they keep a file given by mistake from exhausting memory.
const (
	maxStateBytes  = 256 << 20 // a Terraform state, HUD history
	maxCACertBytes = 4 << 20   // a PEM bundle
	maxTypesBytes  = 64 << 20  // a list of machine types
)

// readCACert reads a --cacert file: the system's CA certificates and the
// file's, which must hold at least one.
func readCACert(path string) (*x509.CertPool, error) {
	pem, err := stackfile.ReadFile(path, maxCACertBytes)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no PEM certificate in %s", path)
	}
	return pool, nil
}
