// Package infile reads the files medharden is given (advisories, vendor
// baselines) under the rules every reader shares: only a regular file, at
// most a given size, and errors that name the line of a byte offset. It
// sits under checks, below every package that reads such files.
package infile

import (
	"bytes"
	"errors"
	"io"
	"os"
)

// ErrNotRegular: the path is a folder, device, FIFO or socket.
var ErrNotRegular = errors.New("not a regular file")

// Read reads a regular file of at most limit bytes. One byte more is read
// so that the caller can tell a larger file and name its own limit. The
// type is checked before opening, since opening a FIFO would wait for a
// writer, and again on the open file.
func Read(path string, limit int64) ([]byte, error) {
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// LineAt is the 1-based line of byte offset off in b; an offset outside b
// (a decoder may report one) is taken as b's start or end.
func LineAt(b []byte, off int64) int {
	if off < 0 {
		off = 0
	}
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	return 1 + bytes.Count(b[:off], []byte("\n"))
}
