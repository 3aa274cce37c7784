//go:build !windows

package remediate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

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

// createPrivate creates a new file only its owner may read.
func createPrivate(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
}

// checkPrivate refuses a file or folder that is not owned by this user (or
// root) or that others may change; secret: or read.
func checkPrivate(f *os.File, secret bool) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok && int(sys.Uid) != os.Geteuid() && sys.Uid != 0 {
		return fmt.Errorf("%s is owned by user %d, not by this user or root", f.Name(), sys.Uid)
	}
	mask, what := os.FileMode(0o022), "change"
	if secret {
		mask, what = 0o077, "read"
	}
	if st.Mode().Perm()&mask != 0 {
		return fmt.Errorf("%s lets others %s it (mode %v)", f.Name(), what, st.Mode().Perm())
	}
	return nil
}
