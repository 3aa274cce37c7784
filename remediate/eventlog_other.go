//go:build !windows

package remediate

// WriteEvent does nothing where there is no Windows event log.
func WriteEvent(msg string, failure bool) error { return nil }
