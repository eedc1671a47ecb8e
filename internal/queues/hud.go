package queues

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// DefaultHUD is PyTorch HUD, whose public endpoints the queue tests read.
const DefaultHUD = "https://hud.pytorch.org"

// DefaultTimeout bounds one request to HUD, answer included.
const DefaultTimeout = 30 * time.Second

// DefaultMaxBody bounds an answer: 90 days of hourly rows for a few hundred
// machine types are tens of MiB.
const DefaultMaxBody = 256 << 20

// HUD fetches what coverage and backtest read from PyTorch HUD.
type HUD struct {
	// Base is HUD's address, DefaultHUD when empty.
	Base string
	// Timeout bounds each request, DefaultTimeout when 0.
	Timeout time.Duration
	// MaxBody bounds each answer, DefaultMaxBody when 0.
	MaxBody int64
	// Progress, when set, is told what is fetched.
	Progress io.Writer
	// Client is the HTTP client; a default one when nil.
	Client *http.Client
}

// MachineTypes returns the labels of the last 3 days' jobs:
// /api/clickhouse/all_machine_types.
func (h *HUD) MachineTypes(ctx context.Context) ([]string, error) {
	data, u, err := h.get(ctx, "all_machine_types", "{}", "machine types")
	if err != nil {
		return nil, err
	}
	types, n, err := parseTypesJSON(data)
	if err != nil {
		return nil, fmt.Errorf("HUD's answer from %s: %w", u, err)
	}
	h.progress("fetched %s: %d machine types\n", u, n)
	return types, nil
}

// HUDTimeLayout is how the history's parameters give times: UTC, without a
// zone, as HUD's pages send them.
const HUDTimeLayout = "2006-01-02T15:04:05.000"

// History returns the hourly history of [from, to):
// /api/clickhouse/queue_times_historical with granularity hour.
func (h *HUD) History(ctx context.Context, from, to time.Time) ([]Row, error) {
	params, _ := json.Marshal(map[string]string{
		"granularity": Granularity,
		"startTime":   from.UTC().Format(HUDTimeLayout),
		"stopTime":    to.UTC().Format(HUDTimeLayout),
	})
	data, u, err := h.get(ctx, "queue_times_historical", string(params), "history")
	if err != nil {
		return nil, err
	}
	rows, err := ParseHistory(data)
	if err != nil {
		return nil, fmt.Errorf("HUD's answer from %s: %w", u, err)
	}
	h.progress("fetched %s (%d rows)\n", u, len(rows))
	return rows, nil
}

func (h *HUD) progress(format string, args ...any) {
	if h.Progress != nil {
		fmt.Fprintf(h.Progress, format, args...)
	}
}

// get fetches a query's answer, and returns it with the address it asked.
func (h *HUD) get(ctx context.Context, query, params, what string) ([]byte, string, error) {
	base := h.Base
	if base == "" {
		base = DefaultHUD
	}
	bu, err := url.Parse(base)
	if err != nil || (bu.Scheme != "http" && bu.Scheme != "https") || bu.Host == "" {
		return nil, base, fmt.Errorf("--hud %q is not an http(s) address such as %s", base, DefaultHUD)
	}
	u := strings.TrimRight(base, "/") + "/api/clickhouse/" + query + "?parameters=" + url.QueryEscape(params)
	timeout := h.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	limit := h.MaxBody
	if limit == 0 {
		limit = DefaultMaxBody
	}
	client := h.Client
	if client == nil {
		client = &http.Client{}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, u, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "ddstack-queues (github.com/pytorch-fdn/pytorch-datadog)")
	h.progress("fetching %s from %s ...\n", what, u)
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return nil, u, h.fetchError(ctx, u, timeout, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, u, h.fetchError(ctx, u, timeout, err)
	}
	if int64(len(data)) > limit {
		return nil, u, fmt.Errorf("HUD's answer from %s is larger than %s; it was cut there and not read", u, size(limit))
	}
	if resp.StatusCode != http.StatusOK {
		return nil, u, fmt.Errorf("HUD answered %s for %s%s", resp.Status, u, excerpt(resp.Header.Get("Content-Type"), data))
	}
	h.progress("  %d bytes in %s\n", len(data), time.Since(start).Round(time.Millisecond))
	if isHTML(resp.Header.Get("Content-Type"), data) {
		return nil, u, fmt.Errorf("HUD answered %s with an HTML page, not JSON: a bot-protection or error page?%s", u, excerpt("text/html", data))
	}
	return data, u, nil
}

func (h *HUD) fetchError(ctx context.Context, u string, timeout time.Duration, err error) error {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("HUD did not answer %s within %s (--timeout)", u, timeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("cannot reach HUD at %s: connection refused; is HUD down, or --hud wrong?", u)
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return fmt.Errorf("cannot reach HUD at %s: %s does not resolve (%v)", u, dns.Name, dns.Err)
	}
	return fmt.Errorf("cannot fetch %s: %w", u, err)
}

var titleRE = regexp.MustCompile(`(?is)<title[^>]*>\s*(.*?)\s*</title>`)

func isHTML(contentType string, data []byte) bool {
	if strings.Contains(strings.ToLower(contentType), "html") {
		return true
	}
	t := bytes.TrimSpace(data)
	return bytes.HasPrefix(t, []byte("<"))
}

// excerpt shows what a bad answer says: an HTML page's title, or the start
// of any other body.
func excerpt(contentType string, data []byte) string {
	if isHTML(contentType, data) {
		if m := titleRE.FindSubmatch(data); m != nil {
			return fmt.Sprintf(" (page title %q)", strings.Join(strings.Fields(string(m[1])), " "))
		}
		return " (an HTML page)"
	}
	t := strings.Join(strings.Fields(string(data)), " ")
	if t == "" {
		return ""
	}
	if len(t) > 200 {
		t = t[:200] + "..."
	}
	return fmt.Sprintf(": %s", t)
}

// ParseHistory reads queue_times_historical's answer: a JSON array of
// {granularity_bucket, machine_type, avg_queue_s}; other keys are ignored.
// A bucket is an ISO time, UTC when it names no zone (with or without
// milliseconds, T or a space); avg_queue_s a number or a numeric string.
func ParseHistory(data []byte) ([]Row, error) {
	if rows, ok := readPlainHistory(data); ok {
		return rows, nil
	}
	return decodeHistory(data)
}

// decodeHistory is ParseHistory with encoding/json, for any data: what
// readPlainHistory does not read, and what it is checked against.
func decodeHistory(data []byte) ([]Row, error) {
	var raw []struct {
		Bucket      *string      `json:"granularity_bucket"`
		MachineType *string      `json:"machine_type"`
		AvgQueueS   *json.Number `json:"avg_queue_s"`
	}
	if err := unmarshalList(data, &raw, "{granularity_bucket, machine_type, avg_queue_s}"); err != nil {
		return nil, err
	}
	rows := make([]Row, 0, len(raw))
	for i, r := range raw {
		switch {
		case r.Bucket == nil:
			return nil, fmt.Errorf("row %d has no granularity_bucket (rows are {granularity_bucket, machine_type, avg_queue_s})", i)
		case r.MachineType == nil:
			return nil, fmt.Errorf("row %d has no machine_type (rows are {granularity_bucket, machine_type, avg_queue_s})", i)
		case r.AvgQueueS == nil:
			return nil, fmt.Errorf("row %d has no avg_queue_s (rows are {granularity_bucket, machine_type, avg_queue_s})", i)
		}
		at, err := ParseBucket(*r.Bucket)
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
		wait, err := strconv.ParseFloat(string(*r.AvgQueueS), 64)
		if err != nil {
			return nil, fmt.Errorf("row %d: avg_queue_s %q is not a number of seconds", i, *r.AvgQueueS)
		}
		rows = append(rows, Row{Bucket: at, MachineType: *r.MachineType, AvgQueueS: wait})
	}
	return rows, nil
}

var bucketLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
}

// ParseBucket reads a granularity_bucket: 2026-08-21T15:00:00.000Z,
// 2026-08-21T15:00:00Z, 2026-08-21T15:00:00 (UTC) or with a space for T.
func ParseBucket(s string) (time.Time, error) {
	for _, layout := range bucketLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("granularity_bucket %q is not an ISO time such as 2026-08-21T15:00:00.000Z", s)
}

// unmarshalList decodes a JSON array into list, saying what it got
// instead.
func unmarshalList(data []byte, list any, rowShape string) error {
	t := bytes.TrimSpace(data)
	switch {
	case len(t) == 0:
		return errors.New("it is empty, not JSON")
	case t[0] == '<':
		return fmt.Errorf("it is HTML, not JSON: a bot-protection or error page?%s", excerpt("text/html", data))
	case !json.Valid(t):
		return fmt.Errorf("it is not JSON%s", excerpt("", data))
	case t[0] == '{':
		var obj map[string]any
		_ = json.Unmarshal(t, &obj)
		if msg, ok := obj["error"]; ok {
			return fmt.Errorf("it is an error, not a list of rows: %v", msg)
		}
		return fmt.Errorf("it is a JSON object, not a list of rows %s", rowShape)
	case t[0] != '[':
		return fmt.Errorf("it is a JSON value, not a list of rows %s", rowShape)
	}
	if err := json.Unmarshal(t, list); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return fmt.Errorf("a row's %s is a JSON %s, not what rows %s hold", typeErr.Field, typeErr.Value, rowShape)
		}
		return fmt.Errorf("it is not a list of rows %s: %v", rowShape, err)
	}
	return nil
}

// ParseTypes reads a list of machine types: a HUD JSON array (of strings,
// or of objects with machine_type), or text with one type a line (blank
// lines and lines starting with # skipped).
func ParseTypes(data []byte) ([]string, error) {
	t := bytes.TrimSpace(data)
	if len(t) > 0 && (t[0] == '[' || t[0] == '{') {
		types, _, err := parseTypesJSON(t)
		return types, err
	}
	if len(t) > 0 && t[0] == '<' {
		return nil, fmt.Errorf("it is HTML, not a list of machine types%s", excerpt("text/html", data))
	}
	var types []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		types = append(types, line)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(types) == 0 {
		return nil, errors.New("it lists no machine type")
	}
	return types, nil
}

// parseTypesJSON reads all_machine_types's answer: an array of strings or
// of objects with machine_type. It returns the types and how many rows
// there were.
func parseTypesJSON(data []byte) ([]string, int, error) {
	var raw []json.RawMessage
	if err := unmarshalList(data, &raw, `(machine types, or {"machine_type": ...})`); err != nil {
		return nil, 0, err
	}
	types := make([]string, 0, len(raw))
	for i, r := range raw {
		var s string
		if err := json.Unmarshal(r, &s); err == nil {
			types = append(types, strings.TrimSpace(s))
			continue
		}
		var obj struct {
			MachineType *string `json:"machine_type"`
		}
		if err := json.Unmarshal(r, &obj); err != nil || obj.MachineType == nil {
			return nil, 0, fmt.Errorf("row %d has no machine_type: %s (rows are machine types, or {\"machine_type\": ...})", i, shorten(string(r)))
		}
		types = append(types, strings.TrimSpace(*obj.MachineType))
	}
	return types, len(raw), nil
}

// size shows a number of bytes: 256 MiB, 1000 bytes.
func size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

func shorten(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
