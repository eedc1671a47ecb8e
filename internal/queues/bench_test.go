package queues

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pytorch-fdn/pytorch-datadog/scripts"
)

// prodLike are production's eight queue tests (Pulumi.prod.yaml as of the
// production-parity change), built here from their families and
// thresholds so that editing the stack never changes the benchmark.
func prodLike() []Test {
	q := func(key string, hours float64, mfd int, p scripts.Queue) Test {
		p.ThresholdSeconds = int(hours * 3600)
		if p.Label == "" {
			p.Label = scripts.DefaultLabel(p.Match, p.Value, p.Exclude)
		}
		return Test{Key: key, Name: key, Code: scripts.QueueCheck(p), ThresholdSeconds: p.ThresholdSeconds,
			MinFailureDuration: mfd, TickEvery: 900, RetryCount: 3, RetryIntervalMs: 60000}
	}
	return []Test{
		q("gha-queue-amd", 24, 1800, scripts.Queue{Match: scripts.Contains, Value: ".rocm."}),
		q("gha-queue-ibm", 8, 1800, scripts.Queue{Match: scripts.Contains, Value: ".s390x"}),
		q("gha-queue-intel", 6, 1800, scripts.Queue{Match: scripts.Contains, Value: ".idc."}),
		q("gha-queue-lf", 3, 3600, scripts.Queue{Match: scripts.StartsWith, Value: "lf.", Exclude: []string{`^lf\.linux\.12xlarge\.memory\.ephemeral$`}}),
		q("gha-queue-lf-memory", 16, 1800, scripts.Queue{Match: scripts.Equals, Value: "lf.linux.12xlarge.memory.ephemeral"}),
		q("gha-queue-meta", 8, 2700, scripts.Queue{Match: scripts.Any, Exclude: []string{".dgx.", ".idc.", ".rocm.", ".s390x", `^lf\.`, "^linux.aws.h100"}, Label: "of Meta's runners (no other family)"}),
		q("gha-queue-meta-h100", 8, 1800, scripts.Queue{Match: scripts.Equals, Value: "linux.aws.h100"}),
		q("gha-queue-nvidia", 8, 3600, scripts.Queue{Match: scripts.Contains, Value: ".dgx."}),
	}
}

// benchTypes are n machine types shaped as HUD's: about half Meta's
// (linux.*, windows.*), two fifths the Linux Foundation's (lf.*), and the
// rest ROCm, IDC, DGX, s390x and H100.
func benchTypes(n int) []string {
	fixed := []string{"lf.linux.12xlarge.memory.ephemeral", "linux.aws.h100", "linux.aws.h100.4", "linux.aws.h100.8",
		"linux.s390x", "linux.dgx.b200", "lf.linux.dgx.b200", "linux.idc.xpu", "linux.rocm.gpu.mi300.2", "linux.rocm.gpu.2"}
	out := append([]string{}, fixed...)
	for i := 0; len(out) < n; i++ {
		switch i % 20 {
		case 0:
			out = append(out, fmt.Sprintf("linux.rocm.gpu.mi%d.%d", 200+i, i%8))
		case 1:
			out = append(out, fmt.Sprintf("linux.idc.xpu.%d", i))
		default:
			if i%20 < 11 {
				out = append(out, fmt.Sprintf("linux.%dxlarge.v%d", 2+i%12, i))
			} else {
				out = append(out, fmt.Sprintf("lf.linux.%dxlarge.v%d", 2+i%12, i))
			}
		}
	}
	return out
}

// benchHistory is days of hourly rows, one per type and hour, waits mostly
// under an hour with a few long queues.
func benchHistory(types []string, days int) []Row {
	rng := rand.New(rand.NewPCG(1, 2))
	from := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	rows := make([]Row, 0, len(types)*days*24)
	for h := range days * 24 {
		for _, ty := range types {
			wait := rng.Float64() * 3600
			if rng.IntN(500) == 0 {
				wait = rng.Float64() * 30 * 3600
			}
			rows = append(rows, Row{Bucket: from.Add(time.Duration(h) * time.Hour), MachineType: ty, AvgQueueS: wait})
		}
	}
	return rows
}

// BenchmarkBacktest: 90 days of hourly history for 200 machine types and
// production's eight tests; the bar is 5 s on two cores. ddstack queues
// backtest --history also reads and decodes the history's file first:
// BenchmarkParseHistory.
func BenchmarkBacktest(b *testing.B) {
	tests, rows := prodLike(), benchHistory(benchTypes(200), 90)
	target := 1.0
	for b.Loop() {
		if _, err := Backtest(tests, rows, &target); err != nil {
			b.Fatal(err)
		}
	}
}
