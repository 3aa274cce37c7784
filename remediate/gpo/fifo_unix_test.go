//go:build unix

package gpo

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"medharden/checks/winfmt"
)

// A FIFO given as the baseline file is refused by name, not opened (which
// would wait for a writer).
func TestLoadFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "GptTmpl.inf")
	require.NoError(t, syscall.Mkfifo(path, 0o600))
	done := make(chan error, 1)
	go func() {
		_, err := Load(path)
		done <- err
	}()
	select {
	case err := <-done:
		var pe *winfmt.ParseError
		require.ErrorAs(t, err, &pe)
		require.Equal(t, path, pe.File)
		require.Contains(t, pe.Msg, "not a regular file")
	case <-time.After(5 * time.Second):
		t.Fatal("Load opened the FIFO and waits for a writer")
	}
}
