package outfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// step is called after each stage of Write with the stage's name; tests
// record the order, and stop the write there as a crash would.
var step = func(stage string) error { return nil }

// Write replaces path with data crash-safely and gives it perm (0o400 for
// a backup that never changes, 0o644 for a file others may read; on
// Windows only the owner's write bit counts, as the read-only attribute).
// A target that exists must be a regular file (CheckFile); otherwise
// nothing is written. The folder must exist.
func Write(path string, data []byte, perm fs.FileMode) error {
	if err := CheckFile(path); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	name := tmp.Name()
	defer os.Remove(name) // after a failure; the rename takes it otherwise
	defer tmp.Close()     // after a failure; closing twice is harmless
	stages := []struct {
		name string
		run  func() error
	}{
		{"write", func() error { _, err := tmp.Write(data); return err }},
		{"chmod", func() error { return tmp.Chmod(perm) }},
		{"sync", tmp.Sync},
		{"close", tmp.Close},
		{"rename", func() error { return os.Rename(name, path) }},
		{"syncdir", func() error { return SyncDir(dir) }},
	}
	for _, s := range stages {
		if err := s.run(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := step(s.name); err != nil {
			return err
		}
	}
	return nil
}
