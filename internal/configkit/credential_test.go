package configkit

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIsCredential(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"Authorization":       true,
		"authorization":       true,
		"Proxy-Authorization": true,
		"Cookie":              true,
		"X-Api-Key":           true,
		"DD-API-KEY":          true,
		"Api-Key":             true,
		"X-Auth-Token":        true,
		"x-gitlab-token":      true,
		"Token":               true,
		"X-Team":              false,
		"Content-Type":        false,
		"X-Api-Keys":          false,
		"X-Tokenizer":         false,
		"Set-Cookie-Policy":   false,
		"Authorization-Hint":  false,
		"api_key":             true,
		"access_token":        true,
		"X-Client-Secret":     true,
		"password":            true,
		"Signature":           true,
		"X-Trace":             false,
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, want, IsCredential(name))
		})
	}
}
