//go:build !windows

package main

import (
	"os"
	"syscall"
	"testing"
)

// mkfifo makes a named pipe; Windows has none in folders.
var mkfifo = func(path string) error { return syscall.Mkfifo(path, 0o644) }

// mkdevice makes a private character device node (the numbers of
// /dev/null) for a test to aim at, so that no test ever names the real
// /dev/null: were it missing, a write would create a file in its place.
// It skips where device nodes cannot be made (not root).
func mkdevice(t *testing.T, path string) {
	if err := syscall.Mknod(path, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
		t.Skipf("cannot make a device node here: %v", err)
	}
	if st, err := os.Lstat(path); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Skipf("no device node made at %s", path)
	}
}
