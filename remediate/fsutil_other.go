//go:build !windows

package remediate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// restrictDir lets only the owner (root or the administrator running
// medharden) read a backup folder.
func restrictDir(dir string) error {
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("restrict %s: %w", dir, err)
	}
	return nil
}

// DefaultRoot is where runs are kept: on Windows %ProgramData%\medharden\runs,
// elsewhere (snapshot demonstrations) under the user's configuration folder.
func DefaultRoot() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && !strings.HasPrefix(d, "~") {
		return filepath.Join(d, "medharden", "runs")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "medharden", "runs")
	}
	return filepath.Join(os.TempDir(), "medharden", "runs")
}
