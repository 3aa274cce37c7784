//go:build !windows

package live

import (
	"fmt"

	"medharden/checks"
)

// Host exists on other systems only so that callers compile everywhere;
// New always fails here, so its methods are never reached.
type Host struct {
	checks.HostWriter
}

// New fails: the live host needs Windows.
func New() (*Host, error) {
	return nil, fmt.Errorf("%w: the live host needs Windows; use a snapshot folder", checks.ErrNotSupported)
}

// IsElevated is false on systems other than Windows.
func IsElevated() bool { return false }
