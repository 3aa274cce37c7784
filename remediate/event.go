package remediate

import (
	"fmt"
	"strings"
)

// maxEvent keeps a message below the event log's limit of 31,839 characters.
const maxEvent = 30000

func clipEvent(s string) string {
	if len(s) <= maxEvent {
		return s
	}
	return s[:maxEvent] + "\n... (truncated; see the run's journal)"
}

// ApplyEvent describes an apply for the event log.
func ApplyEvent(o *Outcome, err error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "medharden apply, run %s (%s)\n", o.Run, o.Dir)
	if err != nil {
		fmt.Fprintf(&b, "Result: %v\n", err)
	} else if o.Verify.OK() {
		b.WriteString("Result: all changes applied and verified\n")
	} else {
		fmt.Fprintf(&b, "Result: %d changes did not take, %d checks still fail\n", len(o.Verify.NotTaken), len(o.Verify.Failing()))
	}
	for _, s := range o.Changed {
		fmt.Fprintf(&b, "%s %s: %s -> %s\n", s.CheckID, s.Setting, s.Before.Show(s.Setting.Kind), s.Target.Show(s.Setting.Kind))
	}
	if o.RolledBack {
		b.WriteString("These changes were rolled back.\n")
	}
	return b.String()
}

// RollbackEvent describes a rollback for the event log.
func RollbackEvent(o *RollbackOutcome, err error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "medharden rollback, run %s (%s)\n", o.Run, o.Dir)
	if err != nil {
		fmt.Fprintf(&b, "Result: %v\n", err)
	} else {
		fmt.Fprintf(&b, "Result: %d settings restored\n", len(o.Restored))
	}
	for _, s := range o.Restored {
		fmt.Fprintf(&b, "%s %s: restored to %s\n", s.CheckID, s.Setting, s.Before.Show(s.Setting.Kind))
	}
	return b.String()
}
