//go:build unix

package snapshot

import (
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestInputsMustBeRegularFilesInsideTheFolder(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.inf")
	require.NoError(t, os.WriteFile(outside, windowsText(seceditINF), 0o644))
	tests := []struct {
		name string
		make func(t *testing.T, dir string)
		file string
		msg  string
	}{
		{"symlink out of the folder", func(t *testing.T, dir string) {
			replace(t, dir, "secedit.inf", func(p string) error { return os.Symlink(outside, p) })
		}, "secedit.inf", "symbolic link"},
		{"symlink to /dev/zero", func(t *testing.T, dir string) {
			replace(t, dir, "reg/lsa.reg", func(p string) error { return os.Symlink("/dev/zero", p) })
		}, "lsa.reg", "symbolic link"},
		{"symlink loop", func(t *testing.T, dir string) {
			replace(t, dir, "wmic/service.csv", func(p string) error { return os.Symlink(p, p) })
		}, "service.csv", "symbolic link"},
		{"symlink inside the folder", func(t *testing.T, dir string) {
			replace(t, dir, "wmic/os.csv", func(p string) error { return os.Symlink(filepath.Join(dir, "wmic", "service.csv"), p) })
		}, "os.csv", "symbolic link"},
		{"reg folder is a symlink", func(t *testing.T, dir string) {
			other := t.TempDir()
			replace(t, dir, "reg", func(p string) error { return os.Symlink(other, p) })
		}, "reg", "symbolic link"},
		{"FIFO as secedit.inf", func(t *testing.T, dir string) {
			replace(t, dir, "secedit.inf", func(p string) error { return syscall.Mkfifo(p, 0o644) })
		}, "secedit.inf", "not a regular file"},
		{"socket as auditpol.csv", func(t *testing.T, dir string) {
			replace(t, dir, "auditpol.csv", func(p string) error {
				// Made under a short path, then moved in: a socket's
				// path must fit in 108 bytes, whatever TMPDIR is.
				short, err := os.MkdirTemp("", "s")
				if err != nil {
					return err
				}
				t.Cleanup(func() { os.RemoveAll(short) })
				l, err := net.Listen("unix", filepath.Join(short, "s"))
				if err != nil {
					return err
				}
				t.Cleanup(func() { l.Close() })
				return os.Rename(filepath.Join(short, "s"), p)
			})
		}, "auditpol.csv", "not a regular file"},
		{"folder as secedit.inf", func(t *testing.T, dir string) {
			replace(t, dir, "secedit.inf", func(p string) error { return os.Mkdir(p, 0o755) })
		}, "secedit.inf", "folder where a file is expected"},
		{"folder named like an export", func(t *testing.T, dir string) {
			require.NoError(t, os.Mkdir(filepath.Join(dir, "reg", "extra.reg"), 0o755))
		}, "extra.reg", "folder where a file is expected"},
		{"file where the wmic folder is expected", func(t *testing.T, dir string) {
			replace(t, dir, "wmic", func(p string) error { return os.WriteFile(p, []byte("x"), 0o644) })
		}, "wmic", "file where a folder is expected"},
		{"reg export over its limit", func(t *testing.T, dir string) {
			require.NoError(t, os.Truncate(filepath.Join(dir, "reg", "lsa.reg"), maxRegSize+1))
		}, "lsa.reg", "larger than 64 MiB"},
		{"secedit over its limit", func(t *testing.T, dir string) {
			require.NoError(t, os.Truncate(filepath.Join(dir, "secedit.inf"), maxSeceditSize+1))
		}, "secedit.inf", "larger than 8 MiB"},
		{"wmic over its limit", func(t *testing.T, dir string) {
			require.NoError(t, os.Truncate(filepath.Join(dir, "wmic", "os.csv"), maxWMICSize+1))
		}, "os.csv", "larger than 16 MiB"},
		{"all files together over the limit", func(t *testing.T, dir string) {
			for i := 0; i < 5; i++ {
				p := filepath.Join(dir, "reg", "big"+string(rune('a'+i))+".reg")
				require.NoError(t, os.WriteFile(p, nil, 0o644))
				require.NoError(t, os.Truncate(p, maxRegSize))
			}
		}, "", "add up to more than 256 MiB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := minimalSnapshot(t)
			tc.make(t, dir)
			requireInputError(t, dir, tc.file, tc.msg)
		})
	}
}

// replace removes dir/rel and lets mk put something else there.
func replace(t *testing.T, dir, rel string, mk func(path string) error) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	require.NoError(t, os.RemoveAll(p))
	require.NoError(t, mk(p))
}

// TestSwapAfterCheckTotal: read uses the stat checkTotal took, so a file
// swapped for a link after it is still refused when opened, never
// followed.
func TestSwapAfterCheckTotal(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.reg")
	require.NoError(t, os.WriteFile(outside, windowsText(lsaREG), 0o644))
	for name, swap := range map[string]func(p string) error{
		"symlink out":  func(p string) error { return os.Symlink(outside, p) },
		"symlink loop": func(p string) error { return os.Symlink(p, p) },
	} {
		t.Run(name, func(t *testing.T) {
			dir := minimalSnapshot(t)
			in := &inputs{dir: dir}
			require.NoError(t, in.checkTotal())
			replace(t, dir, "reg/lsa.reg", swap)
			_, _, err := in.read(filepath.Join("reg", "lsa.reg"), maxRegSize)
			require.Error(t, err)
			require.Contains(t, err.Error(), "lsa.reg")
		})
	}
}
