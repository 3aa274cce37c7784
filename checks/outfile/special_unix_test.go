//go:build !windows

package outfile

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// specialFiles are a FIFO and, where this user may make one, a private
// character device node (never the real /dev/null).
func specialFiles(t *testing.T, dir string) []checkCase {
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	cases := []checkCase{{"fifo", fifo, "named pipe"}}
	dev := filepath.Join(dir, "null")
	if syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|3) == nil {
		cases = append(cases, checkCase{"device", dev, "a device"})
	}
	return cases
}
