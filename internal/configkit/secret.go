package configkit

import (
	"crypto/sha256"
	"encoding/hex"
)

// SecretPlaceholder is what ddstack passes the program for a `secure:` value
// it cannot decrypt: "[secret:" and a fingerprint of the ciphertext, so that
// a diff can tell a changed secret from an unchanged one without any
// plaintext. The ciphertext is in the stack file already; the fingerprint
// says nothing about the value. Whether a value is secret is never decided
// from this text: the engine's flag (Raw.Secret) and the stack file's
// `secure:` leaves (Raw.SecurePaths) say so.
func SecretPlaceholder(ciphertext string) string {
	sum := sha256.Sum256([]byte(ciphertext))
	return "[secret:" + hex.EncodeToString(sum[:4]) + "]"
}
