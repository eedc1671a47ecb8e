package stackfile

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
)

// ErrNoPassphrase is returned by Decrypt when it cannot decrypt: the
// stack does not use the passphrase secrets provider, or neither
// PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set.
var ErrNoPassphrase = errors.New("the stack's secrets need its passphrase: export PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE)")

// Decrypt decrypts the stack file's `secure:` value at path with the
// stack's passphrase, as the Pulumi CLI would: for `ddstack check`, which
// sends a test's secrets where Datadog would. Only the passphrase secrets
// provider can be used without the Pulumi service or a cloud KMS.
func (s *Stack) Decrypt(path string) (string, error) {
	ct, ok := s.Ciphertexts[path]
	if !ok {
		return "", fmt.Errorf("%s is not a secure value of %s", path, s.Path)
	}
	if s.EncryptionSalt == "" || (s.SecretsProvider != "" && s.SecretsProvider != "passphrase") {
		return "", ErrNoPassphrase
	}
	phrase, set := os.LookupEnv("PULUMI_CONFIG_PASSPHRASE")
	if !set {
		file := os.Getenv("PULUMI_CONFIG_PASSPHRASE_FILE")
		if file == "" {
			return "", ErrNoPassphrase
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("PULUMI_CONFIG_PASSPHRASE_FILE: %w", err)
		}
		phrase = strings.TrimRight(string(data), "\r\n")
	}
	parts := strings.SplitN(s.EncryptionSalt, ":", 3)
	if len(parts) < 2 || parts[0] != "v1" {
		return "", fmt.Errorf("%s: encryptionsalt is not one the passphrase provider wrote", s.Path)
	}
	salt, err := base64.StdEncoding.DecodeString(parts[1])
	if err != nil {
		return "", fmt.Errorf("%s: encryptionsalt: %w", s.Path, err)
	}
	crypter := config.NewSymmetricCrypterFromPassphrase(phrase, salt)
	if len(parts) == 3 {
		// The salt carries "pulumi" encrypted: a wrong passphrase is told
		// as such, not as a bad value.
		if known, err := crypter.DecryptValue(context.Background(), parts[2]); err != nil || known != "pulumi" {
			return "", errors.New("incorrect passphrase (PULUMI_CONFIG_PASSPHRASE)")
		}
	}
	v, err := crypter.DecryptValue(context.Background(), ct)
	if err != nil {
		return "", fmt.Errorf("%s: cannot be decrypted with the stack's passphrase: %w", path, err)
	}
	return v, nil
}
