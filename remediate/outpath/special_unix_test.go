//go:build !windows

package outpath

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// specialFiles are a FIFO and a device node. The device is only examined,
// never written: CheckFile opens nothing.
func specialFiles(t *testing.T, dir string) []checkCase {
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	return []checkCase{{"fifo", fifo, "named pipe"}, {"device", os.DevNull, "a device"}}
}
