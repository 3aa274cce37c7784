//go:build windows

package remediate

import "golang.org/x/sys/windows/svc/eventlog"

const eventSource = "medharden"

// WriteEvent records a change in the Application event log, so that the
// hospital's log collection sees every change. The source is not
// registered, so medharden adds no registry entry for it: Windows files
// the event under Application with source medharden, and Event Viewer
// shows the text after a note that the source's description is missing.
func WriteEvent(msg string, failure bool) error {
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
