package remediate

import (
	"fmt"
	"os"
	"path/filepath"

	"medharden/remediate/outpath"
)

// WriteFileAtomic writes a file so that a crash leaves either the old state
// or the complete new file: temporary file, fsync, rename, fsync of the
// folder. readOnly marks the result read-only, as backups never change.
// A target that exists must be a regular file (outpath.CheckFile).
func WriteFileAtomic(path string, data []byte, readOnly bool) error {
	if err := outpath.CheckFile(path); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	name := tmp.Name()
	defer os.Remove(name)
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if readOnly {
		if err := os.Chmod(path, 0o400); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return syncDir(dir)
}
