package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
)

// withSecrets fills in the secrets the tests refer to ({{ NAME }}) from
// where Datadog's values come from: secrets.<name> of the stack's secret
// config, decrypted with the stack's passphrase, or else the environment
// variable NAME (the repository secret the workflows set it from). A test
// whose secrets cannot be had is left out, and why is returned, one line
// a test; values lists every secret value used, for redact.
func withSecrets(sf *stackfile.Stack, tests map[string]synthetics.Test) (out map[string]synthetics.Test, values []string, skipped []string) {
	out = map[string]synthetics.Test{}
	found := map[string]string{}
	why := map[string]string{}
	for _, key := range kit.SortedKeys(tests) {
		t := tests[key]
		var missing []string
		for _, name := range t.Secrets {
			if _, ok := found[name]; ok {
				continue
			}
			if _, failed := why[name]; failed {
				missing = append(missing, name)
				continue
			}
			if v := os.Getenv(synthetics.VariableName(name)); v != "" {
				found[name] = v
				continue
			}
			path := kit.SecretsKey + "." + name
			if _, inFile := sf.Ciphertexts[path]; !inFile {
				why[name] = fmt.Sprintf("export %s, or set it in the stack: pulumi config set --secret --path '%s' <value>", synthetics.VariableName(name), path)
				missing = append(missing, name)
				continue
			}
			v, err := sf.Decrypt(path)
			if err != nil {
				why[name] = fmt.Sprintf("export %s; decrypting it from %s: %v", synthetics.VariableName(name), sf.Path, err)
				if errors.Is(err, stackfile.ErrNoPassphrase) {
					why[name] = fmt.Sprintf("export %s, or PULUMI_CONFIG_PASSPHRASE to decrypt it from %s", synthetics.VariableName(name), sf.Path)
				}
				missing = append(missing, name)
				continue
			}
			found[name] = v
		}
		if len(missing) > 0 {
			for _, name := range missing {
				skipped = append(skipped, fmt.Sprintf("%s.%s: not run: it needs %s.%s (%s)",
					synthetics.Section, key, kit.SecretsKey, name, why[name]))
			}
			continue
		}
		out[key] = synthetics.Substitute(t, found)
	}
	for _, v := range found {
		values = append(values, v)
	}
	return out, values, skipped
}

// redactor writes through to w with every secret value replaced by
// "[secret]": a response or an error can echo what a test sent. It holds
// back a partial line until the next newline or Close.
type redactor struct {
	w       io.Writer
	secrets []string
	buf     bytes.Buffer
}

func newRedactor(w io.Writer, secrets []string) *redactor {
	return &redactor{w: w, secrets: secrets}
}

func (r *redactor) Write(p []byte) (int, error) {
	if len(r.secrets) == 0 {
		return r.w.Write(p)
	}
	r.buf.Write(p)
	if i := bytes.LastIndexByte(r.buf.Bytes(), '\n'); i >= 0 {
		line := r.buf.Next(i + 1)
		if _, err := io.WriteString(r.w, r.redact(string(line))); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (r *redactor) redact(s string) string {
	for _, v := range r.secrets {
		if v != "" {
			s = strings.ReplaceAll(s, v, "[secret]")
		}
	}
	return s
}

// Close writes what is held back.
func (r *redactor) Close() error {
	if r.buf.Len() == 0 {
		return nil
	}
	_, err := io.WriteString(r.w, r.redact(r.buf.String()))
	r.buf.Reset()
	return err
}
