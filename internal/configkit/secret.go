package configkit

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
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

// Redactor hides secret values (a synthetics test's secrets, Datadog's
// keys) in what is reported: each value as it is, URL-escaped, JSON/Go-quoted (with or without "\/" for
// "/") and HTML-escaped (the forms an error or an echoing endpoint may
// show it in), longest first, as "[secret]". A value transformed in
// another way (upper-cased by a test's script) is not found.
func Redactor(secrets []string) func(string) string {
	var forms []string
	for _, v := range secrets {
		if v == "" {
			continue
		}
		q := strconv.Quote(v)
		forms = append(forms, v, url.QueryEscape(v), url.PathEscape(v), q[1:len(q)-1],
			html.EscapeString(v), strings.ReplaceAll(v, "/", `\/`), strings.ReplaceAll(q[1:len(q)-1], "/", `\/`))
	}
	if len(forms) == 0 {
		return func(s string) string { return s }
	}
	slices.SortFunc(forms, func(a, b string) int { return len(b) - len(a) })
	forms = slices.Compact(forms)
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, "[secret]")
	}
	r := strings.NewReplacer(pairs...)
	return r.Replace
}
