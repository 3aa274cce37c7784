package infile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		path    string
		limit   int64
		want    string
		wantErr error
		missing bool
	}{
		{name: "within the limit", path: "testdata/two-lines.txt", limit: 100, want: "one\ntwo\n"},
		{name: "one byte more than the limit is read", path: "testdata/two-lines.txt", limit: 3, want: "one\n"},
		{name: "folder", path: dir, limit: 100, wantErr: ErrNotRegular},
		{name: "missing", path: filepath.Join(dir, "absent.txt"), limit: 100, missing: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Read(tt.path, tt.limit)
			switch {
			case tt.wantErr != nil:
				require.ErrorIs(t, err, tt.wantErr)
				assert.Nil(t, b)
			case tt.missing:
				require.ErrorIs(t, err, os.ErrNotExist)
			default:
				require.NoError(t, err)
				assert.Equal(t, tt.want, string(b))
			}
		})
	}
}

func TestLineAt(t *testing.T) {
	b := []byte("a\nb\nc")
	tests := []struct {
		off  int64
		want int
	}{
		{-5, 1}, {0, 1}, {1, 1}, {2, 2}, {4, 3}, {5, 3}, {99, 3},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, LineAt(b, tt.off), "offset %d", tt.off)
	}
	assert.Equal(t, 1, LineAt(nil, 7))
}

func FuzzLineAt(f *testing.F) {
	f.Add([]byte("a\nb\nc"), int64(3))
	f.Add([]byte(""), int64(-1))
	f.Add([]byte("\n\n\n"), int64(1<<40))
	f.Fuzz(func(t *testing.T, b []byte, off int64) {
		line := LineAt(b, off)
		require.GreaterOrEqual(t, line, 1)
		require.LessOrEqual(t, line, 1+bytes.Count(b, []byte("\n")))
	})
}
