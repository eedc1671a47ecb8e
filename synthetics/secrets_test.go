package synthetics_test

import (
	"testing"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
)

func TestDecodeSecretReferences(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		extra string
		url   string
		// want are the secrets the test needs, or the problems by path.
		want     []string
		problems map[string]string
	}{
		"bearer from a secret": {
			extra: `, "headers": {"Authorization": "Bearer {{ HUD_TOKEN }}"}`,
			want:  []string{"hud-token"},
		},
		"url, header and body": {
			url:   "https://hud.pytorch.org/api?key={{ API_KEY }}",
			extra: `, "headers": {"X-Trace": "{{TRACE_ID}}"}, "body": "{\"t\": \"{{ API_KEY }}\"}"`,
			want:  []string{"api-key", "trace-id"},
		},
		"Datadog's own functions are not secrets": {
			extra: `, "headers": {"X-Request": "{{ numeric(3) }}"}`,
			want:  nil,
		},
		"plaintext Authorization": {
			extra:    `, "headers": {"Authorization": "Bearer abc123"}`,
			problems: map[string]string{"synthetics.t.headers.Authorization": "carries a credential in plaintext"},
		},
		"plaintext api key header and cookie": {
			extra: `, "headers": {"DD-Api-Key": "abc", "Cookie": "session=1", "X-Auth-Token": "t"}`,
			problems: map[string]string{
				"synthetics.t.headers.DD-Api-Key":   "{{ MY_TOKEN }}",
				"synthetics.t.headers.Cookie":       "carries a credential",
				"synthetics.t.headers.X-Auth-Token": "carries a credential",
			},
		},
		"plaintext token in the query": {
			url:      "https://hud.pytorch.org/api?access_token=abc123",
			problems: map[string]string{"synthetics.t.url": `query parameter "access_token" carries a credential in plaintext`},
		},
		"a name that is no secret's": {
			extra:    `, "headers": {"X-A": "{{ A__B }}"}`,
			problems: map[string]string{"synthetics.t.headers.X-A": "{{ A__B }} cannot name a secret"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw := httpTest(tc.extra)
			if tc.url != "" {
				raw = `{"t": {"name": "T", "url": "` + tc.url + `", "message": "m", "assertions": [` + statusOK + `]` + tc.extra + `}}`
			}
			out, problems := decode(t, raw)
			if tc.problems != nil {
				requireExactly(t, problems, tc.problems)
				for _, pe := range problems {
					assert.NotContains(t, pe.Msg, "abc", "a credential is never echoed")
				}
				return
			}
			require.Empty(t, problems)
			assert.Equal(t, tc.want, out["t"].Secrets)
		})
	}
}

func TestSecretsAreSecureConfigVariables(t *testing.T) {
	t.Parallel()
	tests := decodeOK(t, httpTest(`, "headers": {"Authorization": "Bearer {{ HUD_TOKEN }}"}`))
	rec, err := ddmock.Run(configkit.Namespace, "test", nil, nil, ddmock.WithProvider(func(ctx *pulumi.Context, provider pulumi.ResourceOrInvokeOption) error {
		_, err := synthetics.New(ctx, tests, map[string]string{"hud-token": "s3cr3t-value"}, provider)
		return err
	}))
	require.NoError(t, err)
	var inputs resource.PropertyMap
	for _, r := range rec.Resources() {
		if r.Type == synthetics.Token {
			inputs = r.Inputs
		}
	}
	require.NotNil(t, inputs)
	assert.Equal(t, []string{"configVariables[0].pattern"}, ddmock.SecretPaths(inputs), "the value is a secret output")
	plain := ddmock.PlainMap(inputs)
	assert.Equal(t, []any{map[string]any{"name": "HUD_TOKEN", "type": "text", "pattern": "[secret]", "secure": true}}, plain["configVariables"])
	assert.Equal(t, map[string]any{"Authorization": "Bearer {{ HUD_TOKEN }}"}, plain["requestHeaders"], "Datadog fills the variable in")
	assert.NotContains(t, ddmock.Fingerprinted(inputs), "s3cr3t-value")

	_, err = ddmock.Run(configkit.Namespace, "test", nil, nil, ddmock.WithProvider(func(ctx *pulumi.Context, provider pulumi.ResourceOrInvokeOption) error {
		_, err := synthetics.New(ctx, tests, nil, provider)
		return err
	}))
	require.Error(t, err, "a missing secret registers nothing")
	assert.Contains(t, err.Error(), "secrets.hud-token is not set")
}

func TestSubstitute(t *testing.T) {
	t.Parallel()
	in := synthetics.Test{URL: "https://x/?k={{ API_KEY }}", Body: "{{API_KEY}} {{ OTHER }}", Headers: map[string]string{"Authorization": "Bearer {{ HUD_TOKEN }}"}}
	out := synthetics.Substitute(in, map[string]string{"api-key": "k1", "hud-token": "t1"})
	assert.Equal(t, "https://x/?k=k1", out.URL)
	assert.Equal(t, "k1 {{ OTHER }}", out.Body, "a reference without a value is left")
	assert.Equal(t, "Bearer t1", out.Headers["Authorization"])
	assert.Equal(t, "Bearer {{ HUD_TOKEN }}", in.Headers["Authorization"], "the test given is not changed")
	_ = datadog.SyntheticsTest{}
}
