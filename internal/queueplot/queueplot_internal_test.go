package queueplot

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFoldSeries(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

	// type00..type10: type k peaks at k hours at hour k.
	var in []Series
	for k := 0; k <= 10; k++ {
		s := Series{MachineType: fmt.Sprintf("type%02d", k)}
		for h := 0; h < 12; h++ {
			v := 0.1
			if h == k {
				v = float64(k)
			}
			s.Points = append(s.Points, Point{Time: at(h), Hours: v})
		}
		in = append(in, s)
	}
	in[0].Points = in[0].Points[1:] // type00 has no data at hour 0

	out := foldSeries(in)
	require.Len(t, out, 8)
	var names []string
	for _, s := range out {
		names = append(names, s.MachineType)
	}
	assert.Equal(t, []string{"type10", "type09", "type08", "type07", "type06", "type05", "type04", otherName}, names)

	other := out[7]
	require.Len(t, other.Points, 12, "one point per hour any folded type has data")
	want := []float64{0.1, 1, 2, 3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}
	for h, p := range other.Points {
		assert.Equal(t, at(h), p.Time)
		assert.InDelta(t, want[h], p.Hours, 1e-12, "hour %d", h)
	}
	assert.Len(t, in, 11, "input untouched")
	assert.Equal(t, "type00", in[0].MachineType)
}

func TestFoldSeriesFewKeepsAll(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	var in []Series
	for k := 0; k < 8; k++ {
		in = append(in, Series{MachineType: fmt.Sprintf("t%d", k), Points: []Point{{Time: t0, Hours: float64(k % 3)}}})
	}
	out := foldSeries(in)
	require.Len(t, out, 8)
	for _, s := range out {
		assert.NotEqual(t, otherName, s.MachineType)
	}
	// highest peak first, ties by name
	assert.Equal(t, []string{"t2", "t5", "t1", "t4", "t7", "t0", "t3", "t6"},
		[]string{out[0].MachineType, out[1].MachineType, out[2].MachineType, out[3].MachineType,
			out[4].MachineType, out[5].MachineType, out[6].MachineType, out[7].MachineType})
	assert.Empty(t, foldSeries(nil))
}

func TestDateTicks(t *testing.T) {
	t.Parallel()
	lo := time.Date(2026, 4, 1, 5, 0, 0, 0, time.UTC)
	labels := func(span time.Duration) []string {
		var out []string
		for _, tk := range (dateTicks{}).Ticks(unix(lo), unix(lo.Add(span))) {
			if tk.Label != "" {
				out = append(out, tk.Label)
				tm := time.Unix(int64(tk.Value), 0).UTC()
				assert.Zero(t, tm.Hour()%6, tk.Label)
				if span > 7*24*time.Hour {
					assert.Zero(t, tm.Hour(), tk.Label)
				}
			}
		}
		return out
	}
	// 30 days: every other day at midnight UTC.
	got := labels(30 * 24 * time.Hour)
	assert.Len(t, got, 15)
	assert.Equal(t, "Apr 3", got[0])
	// 60 days: Mondays.
	assert.Equal(t, []string{"Mon Apr 6", "Mon Apr 13", "Mon Apr 20", "Mon Apr 27", "Mon May 4",
		"Mon May 11", "Mon May 18", "Mon May 25"}, labels(60*24*time.Hour))
	// 2 days: every 6 hours.
	assert.Equal(t, "Apr 1 06:00", labels(48 * time.Hour)[0])
	// a year: months.
	assert.Equal(t, "May 2026", labels(365 * 24 * time.Hour)[0])
}

func TestHourTicks(t *testing.T) {
	t.Parallel()
	labels := func(lo, hi float64) []string {
		var out []string
		for _, tk := range (hourTicks{}).Ticks(lo, hi) {
			if tk.Label != "" {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	assert.Equal(t, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8"}, labels(0, 8.7))
	assert.Equal(t, []string{"0", "5", "10", "15", "20", "25", "30"}, labels(0, 32))
	assert.Equal(t, []string{"0.0", "0.1", "0.2", "0.3", "0.4", "0.5"}, labels(0, 0.54))
	assert.Nil(t, (hourTicks{}).Ticks(1, 1))
}
