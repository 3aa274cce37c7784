package credprobe

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestAllowed(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	window := 30 * time.Minute
	type tc struct {
		threshold, bad uint32
		lastBad        time.Time
		want           int
	}
	var cases []tc
	// Threshold 0: no lockout, the per-run limits alone bound the probe.
	for bad := uint32(0); bad <= 3; bad++ {
		cases = append(cases, tc{0, bad, time.Time{}, Unlimited})
	}
	// Threshold 3 and 5, every bad count up to the threshold, with the
	// count's time unknown, inside the window and past it.
	want := map[uint32][]int{3: {1, 0, 0, 0}, 5: {3, 2, 1, 0, 0, 0}}
	for _, th := range []uint32{3, 5} {
		for bad := uint32(0); bad <= th; bad++ {
			cases = append(cases,
				tc{th, bad, time.Time{}, want[th][bad]},
				tc{th, bad, now.Add(-window + time.Minute), want[th][bad]},
				tc{th, bad, now.Add(-window), want[th][0]},
				tc{th, bad, now.Add(-2 * window), want[th][0]})
		}
	}
	for _, c := range cases {
		name := fmt.Sprintf("threshold %d bad %d last %v", c.threshold, c.bad, c.lastBad)
		t.Run(name, func(t *testing.T) {
			n, why := Allowed(Policy{Threshold: c.threshold, Window: window}, State{BadCount: c.bad, LastBad: c.lastBad}, now)
			assert.Equal(t, c.want, n)
			if n == 0 {
				assert.Contains(t, why, "lockout budget")
			} else {
				assert.Empty(t, why)
				bad := c.bad
				if !c.lastBad.IsZero() && now.Sub(c.lastBad) >= window {
					bad = 0 // counted afresh after the window
				}
				if c.threshold > 0 {
					assert.LessOrEqual(t, int(bad)+n, int(c.threshold)-Margin, "margin kept")
				}
			}
		})
	}
}

func TestAllowedLockedOrDisabled(t *testing.T) {
	now := time.Now()
	for _, s := range []State{{Locked: true}, {Disabled: true}, {Locked: true, Disabled: true}} {
		for _, th := range []uint32{0, 3, 10} {
			n, why := Allowed(Policy{Threshold: th}, s, now)
			assert.Zero(t, n)
			assert.NotEmpty(t, why)
		}
	}
}
