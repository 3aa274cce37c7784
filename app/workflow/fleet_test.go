package workflow

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// raised runs fn and returns the *WorkerPanic it raised.
func raised(t *testing.T, fn func()) (wp *WorkerPanic) {
	defer func() {
		p := recover()
		require.NotNil(t, p, "a worker's panic is raised again on the caller")
		var ok bool
		wp, ok = p.(*WorkerPanic)
		require.True(t, ok, "%T", p)
	}()
	fn()
	return nil
}

// TestWorkerPanicsReachTheCaller: a panic on a fleet worker is raised
// again on the caller's goroutine, with the worker's stack, so the
// command's recover reports it (exit 3) instead of the program dying.
func TestWorkerPanicsReachTheCaller(t *testing.T) {
	tests := []struct {
		name, frame string
		run         func()
	}{
		{"parallel", "fleet_test", func() {
			parallel(8, 2, func(i int) {
				if i == 5 {
					panic("boom")
				}
			})
		}},
		{"AuditFleet", "AuditFolder", func() {
			var s *Session // audit dereferences it: a fault in the audit
			folders := []FleetFolder{{Path: sample(win7)}}
			_ = s.AuditFleet(context.Background(), folders, 2, func(FleetDevice) error { return nil })
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wp := raised(t, tc.run)
			assert.NotEmpty(t, wp.String())
			assert.Contains(t, string(wp.Stack()), tc.frame)
		})
	}
}
