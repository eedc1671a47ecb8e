// Package queueplot draws one picture per Datadog queue test for
// `ddstack queues backtest --plot DIR`: the queue time of each machine type of
// the test's family over the replayed period, the test's threshold, and the
// failure episodes the backtest found (paging ones darker).
//
// The drawing is done with gonum's plot library (gonum.org/v1/plot), the
// well-kept, pure-Go plotting library for Go, rather than hand-drawn graphics:
// it gives axes, ticks, legends and PNG/SVG back ends for free. Only the few
// pieces it lacks (full-height episode bands, a labelled horizontal threshold
// line, a date ticker aligned to UTC days) are small plot.Plotter/plot.Ticker
// implementations below.
package queueplot

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Point is one hour of one machine type: when, and its wait in hours.
type Point struct {
	Time  time.Time
	Hours float64
}

// Series is one machine type of the test's family over the period.
type Series struct {
	MachineType string
	Points      []Point // sorted by Time; hours with no data are absent
}

// Episode is a run of failing hours; Pages says whether it paged.
type Episode struct {
	Start, End time.Time
	Pages      bool
}

const (
	// maxLines is the most lines drawn; beyond it the lowest-peaking series
	// are folded into one "other types (max)" line.
	maxLines = 8
	// otherName names the folded line.
	otherName = "other types (max)"

	width  = 12 * vg.Inch
	height = 5 * vg.Inch
	dpi    = 100 // 12×5 in at 100 dpi = 1200×500 px

	// maxGap is the largest spacing between two points of a series that is
	// still drawn as a connected line; hours with no data break the line.
	maxGap = 90 * time.Minute

	// maxLegendName is the longest machine type name shown in the legend.
	maxLegendName = 40
)

var (
	// palette holds one colour per drawn machine type (tab10 without red and
	// orange, which are kept for the episode bands, and without grey, kept
	// for the folded line).
	palette = []color.Color{
		color.NRGBA{0x1f, 0x77, 0xb4, 0xff}, // blue
		color.NRGBA{0x2c, 0xa0, 0x2c, 0xff}, // green
		color.NRGBA{0x94, 0x67, 0xbd, 0xff}, // purple
		color.NRGBA{0x8c, 0x56, 0x4b, 0xff}, // brown
		color.NRGBA{0xe3, 0x77, 0xc2, 0xff}, // pink
		color.NRGBA{0x17, 0xbe, 0xcf, 0xff}, // cyan
		color.NRGBA{0xbc, 0xbd, 0x22, 0xff}, // olive
		color.NRGBA{0x39, 0x3b, 0x79, 0xff}, // navy
	}
	otherColor     = color.NRGBA{0x7f, 0x7f, 0x7f, 0xff}
	thresholdColor = color.NRGBA{0x00, 0x00, 0x00, 0xff}
	pagingBand     = color.NRGBA{0xd6, 0x27, 0x28, 0x73} // red, darker
	quietBand      = color.NRGBA{0xff, 0x9f, 0x1a, 0x5c} // orange, lighter
	gridColor      = color.Gray{0xd0}

	sans = font.Font{Typeface: "Liberation", Variant: "Sans"}
)

// Write draws the test's picture to path: PNG when path ends in .png, SVG when .svg
// (any other extension is an error). title names the test. It shows each series'
// queue time in hours over time as a line (one colour per machine type, a legend
// naming them; when there are more than 8 series, the 7 with the highest peak and
// one line "other types (max)" for the max of the rest), a horizontal line at the
// threshold labelled "threshold Nh", and each episode as a shaded band over its
// time span (paging episodes darker/red, non-paging lighter/orange), x axis as dates
// (UTC), y axis "hours waited" starting at 0. It writes the file atomically (a
// temporary file in the same directory, then rename) and returns an error naming
// the path on failure. An empty period (no series) still draws the threshold and a
// note "no data".
func Write(path, title string, series []Series, thresholdHours float64, episodes []Episode) error {
	var canvas vg.CanvasSizer
	var out io.WriterTo
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi),
			vgimg.UseBackgroundColor(color.White))
		canvas, out = c, vgimg.PngCanvas{Canvas: c}
	case ".svg":
		c := vgsvg.New(width, height)
		canvas, out = c, c
	default:
		return fmt.Errorf("queueplot: %s: unsupported extension %q (want .png or .svg)", path, filepath.Ext(path))
	}
	if math.IsNaN(thresholdHours) || math.IsInf(thresholdHours, 0) || thresholdHours < 0 {
		return fmt.Errorf("queueplot: %s: invalid threshold %v", path, thresholdHours)
	}

	if err := render(draw.New(canvas), title, series, thresholdHours, episodes); err != nil {
		return fmt.Errorf("queueplot: %s: %w", path, err)
	}
	var buf bytes.Buffer
	if _, err := out.WriteTo(&buf); err != nil {
		return fmt.Errorf("queueplot: %s: encode: %w", path, err)
	}
	if err := writeAtomic(path, buf.Bytes()); err != nil {
		return fmt.Errorf("queueplot: %s: %w", path, err)
	}
	return nil
}

// writeAtomic writes data to a temporary file next to path and renames it
// over path, so that readers never see a partial picture. The temporary file
// is removed on any failure.
func writeAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// render lays the picture out on c: the plot on the left, the legend in a
// column on the right so that it never hides data.
// gonum's plot panics on some malformed input; render turns that into an error.
func render(c draw.Canvas, title string, series []Series, threshold float64, episodes []Episode) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("draw: %v", r)
		}
	}()
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())

	lines := foldSeries(cleanSeries(series))
	p := plot.New()
	styleFonts(p)
	p.Title.Text = title
	p.Title.Padding = vg.Points(8)
	p.Y.Label.Text = "hours waited"
	p.Y.Min = 0

	legend := plot.NewLegend()
	legend.TextStyle.Font = font.From(sans, 10)
	legend.Top, legend.Left = true, true
	legend.Padding = vg.Points(3)
	legend.ThumbnailWidth = vg.Points(22)

	// X range: the data, widened to the episodes.
	xmin, xmax := math.Inf(1), math.Inf(-1)
	ymax := threshold
	for _, s := range lines {
		for _, pt := range s.Points {
			x := unix(pt.Time)
			xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
			ymax = math.Max(ymax, pt.Hours)
		}
	}
	for _, e := range episodes {
		xmin, xmax = math.Min(xmin, unix(e.Start)), math.Max(xmax, unix(e.End))
	}
	hasX := xmin <= xmax
	if hasX {
		if xmin == xmax { // one instant: show the hour around it
			xmin, xmax = xmin-1800, xmax+1800
		}
		p.X.Min, p.X.Max = xmin, xmax
		p.X.Tick.Marker = dateTicks{}
		p.X.Label.Text = "date (UTC), " + time.Unix(int64(xmin), 0).UTC().Format("2006-01-02 15:04") +
			" to " + time.Unix(int64(xmax), 0).UTC().Format("2006-01-02 15:04")
	} else {
		p.X.Min, p.X.Max = 0, 1
		p.X.Tick.Marker = plot.ConstantTicks(nil)
		p.X.Label.Text = "date (UTC)"
	}
	if ymax <= 0 {
		ymax = 1
	}
	p.Y.Max = ymax * 1.12
	p.Y.Tick.Marker = hourTicks{}

	// Bands first, so that grid and lines are drawn over them.
	var paging, quiet bands
	paging.color, quiet.color = pagingBand, quietBand
	for _, e := range episodes {
		if e.Pages {
			paging.spans = append(paging.spans, e)
		} else {
			quiet.spans = append(quiet.spans, e)
		}
	}
	p.Add(&quiet, &paging)

	grid := plotter.NewGrid()
	grid.Vertical = draw.LineStyle{Color: gridColor, Width: vg.Points(0.5)}
	grid.Horizontal = grid.Vertical
	p.Add(grid)

	for i, s := range lines {
		sty := draw.LineStyle{Width: vg.Points(1.4)}
		if s.MachineType == otherName && i == len(lines)-1 && len(lines) == maxLines {
			sty.Color = otherColor
			sty.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
		} else {
			sty.Color = palette[i%len(palette)]
		}
		ps, err := seriesPlotters(s, sty)
		if err != nil {
			return fmt.Errorf("series %q: %w", s.MachineType, err)
		}
		p.Add(ps...)
		legend.Add(legendName(s), lineThumb(sty))
	}

	thr := &hline{
		y:     threshold,
		label: "threshold " + strconv.FormatFloat(threshold, 'f', -1, 64) + "h",
		style: draw.LineStyle{Color: thresholdColor, Width: vg.Points(1.5),
			Dashes: []vg.Length{vg.Points(6), vg.Points(3)}},
		text: draw.TextStyle{Color: thresholdColor, Font: font.From(sans, 10),
			XAlign: draw.XRight, YAlign: draw.YBottom, Handler: plot.DefaultTextHandler},
	}
	p.Add(thr)
	legend.Add(thr.label, lineThumb(thr.style))
	if len(paging.spans) > 0 {
		legend.Add("episode that paged", &paging)
	}
	if len(quiet.spans) > 0 {
		legend.Add("episode too short to page", &quiet)
	}
	if len(lines) == 0 {
		p.Add(&note{text: "no data", style: draw.TextStyle{Color: color.Gray{0x60},
			Font: font.From(sans, 20), XAlign: draw.XCenter, YAlign: draw.YCenter,
			Handler: plot.DefaultTextHandler}})
	}

	// Legend column on the right, as wide as its longest entry.
	pad := vg.Points(10)
	lw := legend.Rectangle(c).Size().X + 2*pad
	if limit := c.Size().X / 3; lw > limit {
		lw = limit
	}
	p.Draw(draw.Crop(c, 0, -lw, 0, 0))
	lc := draw.Crop(c, c.Size().X-lw+pad, -pad, 0, -pad-titleHeight(p))
	legend.Draw(lc)
	return nil
}

func titleHeight(p *plot.Plot) vg.Length {
	if p.Title.Text == "" {
		return 0
	}
	return p.Title.TextStyle.Rectangle(p.Title.Text).Size().Y + p.Title.Padding
}

// styleFonts switches every text of p to Liberation Sans (the default is
// serif), without touching the package-level plot.DefaultFont.
func styleFonts(p *plot.Plot) {
	p.Title.TextStyle.Font = font.From(sans, 14)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 11)
		a.Tick.Label.Font = font.From(sans, 10)
	}
}

func unix(t time.Time) float64 {
	return float64(t.UnixNano()) / 1e9
}

func legendName(s Series) string {
	name := s.MachineType
	if r := []rune(name); len(r) > maxLegendName {
		name = string(r[:maxLegendName-1]) + "…"
	}
	return fmt.Sprintf("%s (peak %sh)", name, strconv.FormatFloat(peak(s), 'f', 1, 64))
}

// cleanSeries drops non-finite points and empty series, and sorts points by
// time, without modifying its input.
func cleanSeries(in []Series) []Series {
	out := make([]Series, 0, len(in))
	for _, s := range in {
		pts := make([]Point, 0, len(s.Points))
		for _, p := range s.Points {
			if math.IsNaN(p.Hours) || math.IsInf(p.Hours, 0) {
				continue
			}
			pts = append(pts, p)
		}
		if len(pts) == 0 {
			continue
		}
		sort.SliceStable(pts, func(i, j int) bool { return pts[i].Time.Before(pts[j].Time) })
		out = append(out, Series{MachineType: s.MachineType, Points: pts})
	}
	return out
}

func peak(s Series) float64 {
	m := math.Inf(-1)
	for _, p := range s.Points {
		m = math.Max(m, p.Hours)
	}
	return m
}

// foldSeries orders series by peak (highest first, then by name) and, when
// there are more than maxLines, keeps the maxLines-1 highest-peaking ones and
// folds the rest into one series named otherName whose value at each hour is
// the max over the folded series present at that hour. It does not modify its
// input.
func foldSeries(in []Series) []Series {
	type ranked struct {
		s    Series
		peak float64
	}
	rs := make([]ranked, len(in))
	for i, s := range in {
		rs[i] = ranked{s, peak(s)}
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].peak != rs[j].peak {
			return rs[i].peak > rs[j].peak
		}
		return rs[i].s.MachineType < rs[j].s.MachineType
	})
	out := make([]Series, 0, min(len(rs), maxLines))
	keep := len(rs)
	if keep > maxLines {
		keep = maxLines - 1
	}
	for _, r := range rs[:keep] {
		out = append(out, r.s)
	}
	if keep == len(rs) {
		return out
	}
	byTime := map[int64]Point{}
	for _, r := range rs[keep:] {
		for _, p := range r.s.Points {
			k := p.Time.UnixNano()
			if q, ok := byTime[k]; !ok || p.Hours > q.Hours {
				byTime[k] = p
			}
		}
	}
	pts := make([]Point, 0, len(byTime))
	for _, p := range byTime {
		pts = append(pts, p)
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].Time.Before(pts[j].Time) })
	return append(out, Series{MachineType: otherName, Points: pts})
}

// seriesPlotters draws s as lines broken wherever hours are missing; a lone
// hour between gaps is drawn as a dot.
func seriesPlotters(s Series, sty draw.LineStyle) ([]plot.Plotter, error) {
	var ps []plot.Plotter
	var dots plotter.XYs
	flush := func(seg plotter.XYs) error {
		switch len(seg) {
		case 0:
		case 1:
			dots = append(dots, seg[0])
		default:
			l, err := plotter.NewLine(seg)
			if err != nil {
				return err
			}
			l.LineStyle = sty
			ps = append(ps, l)
		}
		return nil
	}
	var seg plotter.XYs
	for i, p := range s.Points {
		if i > 0 && p.Time.Sub(s.Points[i-1].Time) > maxGap {
			if err := flush(seg); err != nil {
				return nil, err
			}
			seg = nil
		}
		seg = append(seg, plotter.XY{X: unix(p.Time), Y: p.Hours})
	}
	if err := flush(seg); err != nil {
		return nil, err
	}
	if len(dots) > 0 {
		sc, err := plotter.NewScatter(dots)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: sty.Color, Radius: vg.Points(1.6), Shape: draw.CircleGlyph{}}
		ps = append(ps, sc)
	}
	return ps, nil
}

// lineThumb is a legend thumbnail showing a line style.
type lineThumb draw.LineStyle

func (t lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle(t), c.Min.X, y, c.Max.X, y)
}

// bands shades the full height of the plot over each episode's time span.
type bands struct {
	color color.Color
	spans []Episode
}

func (b *bands) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	minW := vg.Points(1.5) // keep one-hour episodes visible on long periods
	for _, e := range b.spans {
		x0, x1 := trX(unix(e.Start)), trX(unix(e.End))
		if x1-x0 < minW {
			mid := (x0 + x1) / 2
			x0, x1 = mid-minW/2, mid+minW/2
		}
		x0, x1 = max(x0, c.Min.X), min(x1, c.Max.X)
		if x1 <= x0 {
			continue
		}
		c.FillPolygon(b.color, []vg.Point{
			{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y},
		})
	}
}

func (b *bands) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(b.color, []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y},
		{X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y},
	})
}

// hline is a horizontal line across the whole plot at y, labelled at its
// right end.
type hline struct {
	y     float64
	label string
	style draw.LineStyle
	text  draw.TextStyle
}

func (h *hline) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(h.y)
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
	pt := vg.Point{X: c.Max.X - vg.Points(4), Y: y + vg.Points(3)}
	r := h.text.Rectangle(h.label)
	bg := vg.Rectangle{Min: pt.Add(r.Min), Max: pt.Add(r.Max)}
	c.FillPolygon(color.NRGBA{0xff, 0xff, 0xff, 0xc0}, []vg.Point{
		{X: bg.Min.X - 2, Y: bg.Min.Y}, {X: bg.Max.X + 2, Y: bg.Min.Y},
		{X: bg.Max.X + 2, Y: bg.Max.Y}, {X: bg.Min.X - 2, Y: bg.Max.Y},
	})
	c.FillText(h.text, pt, h.label)
}

// note writes a text in the middle of the plot.
type note struct {
	text  string
	style draw.TextStyle
}

func (n *note) Plot(c draw.Canvas, _ *plot.Plot) {
	c.FillText(n.style, c.Center(), n.text)
}

// dateTicks places ticks on round UTC times: hours, days, weeks (Mondays) or
// months, with a step chosen so that the labels fit side by side.
type dateTicks struct{}

type tickStep struct {
	major, minor time.Duration // hour/day/week steps
	months       int           // month steps (major); minor ticks are weeks
	format       string
	maxLabels    int // most labels of this format that fit side by side
}

var tickSteps = []tickStep{
	{major: time.Hour, format: "Jan 2 15:04", maxLabels: 10},
	{major: 2 * time.Hour, minor: time.Hour, format: "Jan 2 15:04", maxLabels: 10},
	{major: 3 * time.Hour, minor: time.Hour, format: "Jan 2 15:04", maxLabels: 10},
	{major: 6 * time.Hour, minor: time.Hour, format: "Jan 2 15:04", maxLabels: 10},
	{major: 12 * time.Hour, minor: 3 * time.Hour, format: "Jan 2 15:04", maxLabels: 10},
	{major: 24 * time.Hour, minor: 6 * time.Hour, format: "Jan 2", maxLabels: 16},
	{major: 48 * time.Hour, minor: 24 * time.Hour, format: "Jan 2", maxLabels: 16},
	{major: 7 * 24 * time.Hour, minor: 24 * time.Hour, format: "Mon Jan 2", maxLabels: 10},
	{major: 14 * 24 * time.Hour, minor: 24 * time.Hour, format: "Jan 2", maxLabels: 16},
	{months: 1, minor: 7 * 24 * time.Hour, format: "Jan 2006", maxLabels: 12},
	{months: 2, format: "Jan 2006", maxLabels: 12},
	{months: 3, format: "Jan 2006", maxLabels: 12},
	{months: 6, format: "Jan 2006", maxLabels: 12},
	{months: 12, format: "2006", maxLabels: 20},
}

// Ticks implements plot.Ticker.
func (dateTicks) Ticks(lo, hi float64) []plot.Tick {
	start := time.Unix(0, int64(lo*1e9)).UTC()
	end := time.Unix(0, int64(hi*1e9)).UTC()
	span := end.Sub(start)
	step := tickSteps[len(tickSteps)-1]
	for _, s := range tickSteps {
		n := 0.0
		if s.months > 0 {
			n = span.Hours() / (24 * 30.4 * float64(s.months))
		} else {
			n = float64(span) / float64(s.major)
		}
		if n <= float64(s.maxLabels) {
			step = s
			break
		}
	}
	var ticks []plot.Tick
	add := func(t time.Time, label string) {
		if !t.Before(start) && !t.After(end) {
			ticks = append(ticks, plot.Tick{Value: unix(t), Label: label})
		}
	}
	if step.months > 0 {
		t := time.Date(start.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		for ; !t.After(end); t = t.AddDate(0, step.months, 0) {
			add(t, t.Format(step.format))
		}
		if step.minor > 0 {
			for t := alignedStart(start, step.minor); !t.After(end); t = t.Add(step.minor) {
				add(t, "")
			}
		}
		return ticks
	}
	if step.minor > 0 {
		for t := alignedStart(start, step.minor); !t.After(end); t = t.Add(step.minor) {
			if !alignedTo(t, step.major) {
				add(t, "")
			}
		}
	}
	for t := alignedStart(start, step.major); !t.After(end); t = t.Add(step.major) {
		add(t, t.Format(step.format))
	}
	return ticks
}

// weekOrigin is a Monday 00:00 UTC, so week and fortnight ticks fall on Mondays.
var weekOrigin = time.Date(1970, 1, 5, 0, 0, 0, 0, time.UTC)

// alignedStart is the first multiple of d (counted from weekOrigin) at or
// after t.
func alignedStart(t time.Time, d time.Duration) time.Time {
	n := t.Sub(weekOrigin) / d
	a := weekOrigin.Add(n * d)
	if a.Before(t) {
		a = a.Add(d)
	}
	return a
}

func alignedTo(t time.Time, d time.Duration) bool {
	return t.Sub(weekOrigin)%d == 0
}

// hourTicks places 5 to 10 labelled ticks on round numbers of hours (steps
// of 1, 2 or 5 times a power of ten), with a minor tick between labels.
type hourTicks struct{}

// Ticks implements plot.Ticker.
func (hourTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return nil
	}
	const most = 10
	step := math.Pow(10, math.Floor(math.Log10((hi-lo)/most)))
	for _, m := range []float64{1, 2, 5, 10} {
		if (hi-lo)/(step*m) <= most {
			step *= m
			break
		}
	}
	prec := max(0, -int(math.Floor(math.Log10(step))))
	var ticks []plot.Tick
	for k := math.Ceil(lo / step * 2); k*step/2 <= hi; k++ {
		v := k * step / 2
		label := ""
		if int64(k)%2 == 0 {
			label = strconv.FormatFloat(v, 'f', prec, 64)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
}
