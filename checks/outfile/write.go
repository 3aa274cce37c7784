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
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := step("write"); err != nil {
		return err
	}
	return f.Commit()
}

// File is an output written as a stream: the data goes to a temporary file
// beside the target, which Commit renames over it. Until then the target
// is untouched; Abort (or a crash) leaves it as it was.
type File struct {
	tmp  *os.File
	path string
	perm fs.FileMode
	done bool
}

// Create starts writing path (checked as Write checks it).
func Create(path string, perm fs.FileMode) (*File, error) {
	if err := CheckFile(path); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return &File{tmp: tmp, path: path, perm: perm}, nil
}

// Write appends to the temporary file.
func (f *File) Write(p []byte) (int, error) {
	n, err := f.tmp.Write(p)
	if err != nil {
		err = fmt.Errorf("write %s: %w", f.path, err)
	}
	return n, err
}

// Commit gives the file its mode, makes it durable and renames it over the
// target.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("write %s: already committed or aborted", f.path)
	}
	f.done = true
	name, dir := f.tmp.Name(), filepath.Dir(f.path)
	defer os.Remove(name) // after a failure; the rename takes it otherwise
	defer f.tmp.Close()   // after a failure; closing twice is harmless
	stages := []struct {
		name string
		run  func() error
	}{
		{"chmod", func() error { return f.tmp.Chmod(f.perm) }},
		{"sync", f.tmp.Sync},
		{"close", f.tmp.Close},
		{"rename", func() error { return os.Rename(name, f.path) }},
		{"syncdir", func() error { return SyncDir(dir) }},
	}
	for _, s := range stages {
		if err := s.run(); err != nil {
			return fmt.Errorf("write %s: %w", f.path, err)
		}
		if err := step(s.name); err != nil {
			return err
		}
	}
	return nil
}

// Abort removes the temporary file; the target stays as it was. After
// Commit it does nothing.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.tmp.Close()
	os.Remove(f.tmp.Name())
}
