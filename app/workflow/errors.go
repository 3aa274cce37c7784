package workflow

import "fmt"

// InputError marks a mistake the user can correct: a bad option, a profile
// that does not fit, a snapshot folder or tailoring file that cannot be
// used. The CLI exits with 2 on it; the window shows it. Anything else the
// workflow returns is an internal error (exit 3) unless the CLI's map of
// sentinels (app/main.go exitCode) says otherwise.
type InputError struct{ Err error }

func (e InputError) Error() string { return e.Err.Error() }
func (e InputError) Unwrap() error { return e.Err }

// Inputf returns an InputError with a formatted message; %w wraps.
func Inputf(format string, a ...interface{}) error {
	return InputError{fmt.Errorf(format, a...)}
}
