package queueplot_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	_ "image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/queueplot"
)

var start = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

// synthetic returns n machine types over days days of hourly data, with a
// few missing hours, a 10-hour spike on day 8 and a 2-hour spike on day 20,
// and the two episodes they cause against a 4h threshold (the first pages).
func synthetic(n, days int) ([]queueplot.Series, []queueplot.Episode) {
	series := make([]queueplot.Series, n)
	for i := range series {
		s := queueplot.Series{MachineType: fmt.Sprintf("linux.family.type%d.%dxlarge", i, i+1)}
		for h := 0; h < days*24; h++ {
			if (h+7*i)%97 == 0 { // hours with no data
				continue
			}
			v := 0.3*float64(i+1)/float64(n) + 0.4*(1+math.Sin(float64(h)/9+float64(i)))
			switch {
			case i == 0 && h >= 8*24+3 && h < 8*24+13:
				v = 4.5 + float64(h-(8*24+3))*0.4
			case i == 1 && h >= 20*24+10 && h < 20*24+12:
				v = 4.8
			}
			s.Points = append(s.Points, queueplot.Point{Time: start.Add(time.Duration(h) * time.Hour), Hours: v})
		}
		series[i] = s
	}
	episodes := []queueplot.Episode{
		{Start: start.Add((8*24 + 3) * time.Hour), End: start.Add((8*24 + 13) * time.Hour), Pages: true},
		{Start: start.Add((20*24 + 10) * time.Hour), End: start.Add((20*24 + 12) * time.Hour), Pages: false},
	}
	return series, episodes
}

func TestWritePNG(t *testing.T) {
	t.Parallel()
	series, episodes := synthetic(5, 30)
	path := filepath.Join(t.TempDir(), "lf.png")
	require.NoError(t, queueplot.Write(path, "Queue test: Linux Foundation runners", series, 4, episodes))

	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	cfg, format, err := image.DecodeConfig(f)
	require.NoError(t, err)
	assert.Equal(t, "png", format)
	assert.Equal(t, 1200, cfg.Width)
	assert.Equal(t, 500, cfg.Height)
	assertOnlyFile(t, filepath.Dir(path), "lf.png")
}

func TestWriteSVG(t *testing.T) {
	t.Parallel()
	series, episodes := synthetic(5, 30)
	path := filepath.Join(t.TempDir(), "lf.svg")
	require.NoError(t, queueplot.Write(path, "Queue test: Linux Foundation runners", series, 4, episodes))

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assertXML(t, data)
	assert.Contains(t, string(data), "Queue test: Linux Foundation runners")
	assert.Contains(t, string(data), "threshold 4h")
	assert.Contains(t, string(data), "hours waited")
	assert.Contains(t, string(data), "linux.family.type0.1xlarge")
	assert.Contains(t, string(data), "episode that paged")
	assertOnlyFile(t, filepath.Dir(path), "lf.svg")
}

func TestWriteFoldsManySeries(t *testing.T) {
	t.Parallel()
	series, episodes := synthetic(12, 3)
	path := filepath.Join(t.TempDir(), "many.svg")
	require.NoError(t, queueplot.Write(path, "many types", series, 1.5, episodes))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assertXML(t, data)
	assert.Contains(t, string(data), "other types (max)")
	assert.Contains(t, string(data), "threshold 1.5h")
}

func TestWriteUnknownExtension(t *testing.T) {
	t.Parallel()
	series, episodes := synthetic(2, 2)
	dir := t.TempDir()
	for _, name := range []string{"plot.jpg", "plot", "plot.svg.tmp"} {
		path := filepath.Join(dir, name)
		err := queueplot.Write(path, "t", series, 4, episodes)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), path)
	}
	assertOnlyFile(t, dir)
}

func TestWriteUnwritableDirectory(t *testing.T) {
	t.Parallel()
	series, episodes := synthetic(2, 2)
	dir := t.TempDir()
	notADir := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(notADir, []byte("x"), 0o644))

	paths := []string{
		filepath.Join(dir, "missing", "plot.png"), // no such directory
		filepath.Join(notADir, "plot.svg"),        // parent is a file
	}
	if os.Geteuid() != 0 { // root ignores directory permissions
		ro := filepath.Join(dir, "ro")
		require.NoError(t, os.Mkdir(ro, 0o555))
		t.Cleanup(func() { _ = os.Chmod(ro, 0o755) })
		paths = append(paths, filepath.Join(ro, "plot.png"))
	}
	for _, path := range paths {
		err := queueplot.Write(path, "t", series, 4, episodes)
		require.Error(t, err, path)
		assert.Contains(t, err.Error(), path)
	}
	assertOnlyFile(t, dir, "file", "ro")
	if _, err := os.Stat(filepath.Join(dir, "ro")); err == nil {
		assertOnlyFile(t, filepath.Join(dir, "ro"))
	}

	// A directory standing where the file should go: the rename fails, and
	// the temporary file must not be left behind.
	target := filepath.Join(dir, "plot.png")
	require.NoError(t, os.Mkdir(target, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(target, "keep"), nil, 0o644))
	err := queueplot.Write(target, "t", series, 4, episodes)
	require.Error(t, err)
	assert.Contains(t, err.Error(), target)
	assertOnlyFile(t, dir, "file", "ro", "plot.png")
}

func TestWriteNoSeries(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()

	png := filepath.Join(dir, "empty.png")
	require.NoError(t, queueplot.Write(png, "IBM s390x", nil, 2, nil))
	f, err := os.Open(png)
	require.NoError(t, err)
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	require.NoError(t, err)
	assert.Equal(t, image.Point{X: 1200, Y: 500}, image.Point{X: cfg.Width, Y: cfg.Height})

	svg := filepath.Join(dir, "empty.svg")
	require.NoError(t, queueplot.Write(svg, "IBM s390x", []queueplot.Series{}, 2, nil))
	data, err := os.ReadFile(svg)
	require.NoError(t, err)
	assertXML(t, data)
	assert.Contains(t, string(data), "no data")
	assert.Contains(t, string(data), "threshold 2h")
	assertOnlyFile(t, dir, "empty.png", "empty.svg")
}

func TestWriteOverwrites(t *testing.T) {
	t.Parallel()
	series, episodes := synthetic(3, 5)
	path := filepath.Join(t.TempDir(), "p.svg")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))
	require.NoError(t, queueplot.Write(path, "replaced", series, 4, episodes))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(data), "replaced")
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), info.Mode().Perm())
}

// TestExample renders the example picture when QUEUEPLOT_EXAMPLE names a
// path, e.g. QUEUEPLOT_EXAMPLE=/tmp/queueplot-example.png.
func TestExample(t *testing.T) {
	path := os.Getenv("QUEUEPLOT_EXAMPLE")
	if path == "" {
		t.Skip("QUEUEPLOT_EXAMPLE not set")
	}
	series, episodes := synthetic(10, 30)
	require.NoError(t, queueplot.Write(path, "Queue test: Linux Foundation runners (threshold 4h, 2h to page)", series, 4, episodes))
}

func assertXML(t *testing.T, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	sawSVG := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "svg" {
			sawSVG = true
		}
	}
	assert.True(t, sawSVG, "no <svg> element")
}

// assertOnlyFile checks that dir holds exactly the named entries (those that
// exist among them), i.e. that no temporary or partial file was left behind.
func assertOnlyFile(t *testing.T, dir string, names ...string) {
	t.Helper()
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.True(t, want[e.Name()], "unexpected file %s in %s", e.Name(), dir)
	}
}
