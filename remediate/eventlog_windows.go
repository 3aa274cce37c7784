//go:build windows

package remediate

import "golang.org/x/sys/windows/svc/eventlog"

const eventSource = "medharden"

// WriteEvent records a change in the Application event log (source
// medharden), so that the hospital's log collection sees every change.
func WriteEvent(msg string, failure bool) error {
	// Registering the source needs administrator rights, which changing
	// settings needs anyway; an existing registration makes this fail,
	// which is fine.
	_ = eventlog.InstallAsEventCreate(eventSource, eventlog.Error|eventlog.Warning|eventlog.Info)
	l, err := eventlog.Open(eventSource)
	if err != nil {
		return err
	}
	defer l.Close()
	msg = clipEvent(msg)
	if failure {
		return l.Error(2, msg)
	}
	return l.Info(1, msg)
}
