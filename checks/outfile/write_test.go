package outfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stages is the order that makes Write crash-safe: the data is on disk
// (sync) before the name points to it (rename), and the rename is on disk
// (syncdir) before Write returns.
var stages = []string{"write", "chmod", "sync", "close", "rename", "syncdir"}

// onStep replaces the stage hook for one test.
func onStep(t *testing.T, fn func(string) error) {
	old := step
	step = fn
	t.Cleanup(func() { step = old })
}

// names lists a folder.
func names(t *testing.T, dir string) []string {
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func TestWriteStagesInOrder(t *testing.T) {
	var got []string
	onStep(t, func(s string) error { got = append(got, s); return nil })
	path := filepath.Join(t.TempDir(), "report.html")
	require.NoError(t, Write(path, []byte("new"), 0o644))
	assert.Equal(t, stages, got)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "new", string(b))
}

// A crash after any stage leaves the old file or the whole new one, and a
// failed write leaves no temporary file behind.
func TestWriteCrash(t *testing.T) {
	errCrash := errors.New("crash")
	for i, at := range stages {
		for _, existed := range []bool{true, false} {
			t.Run(at, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, "backup.json")
				if existed {
					require.NoError(t, os.WriteFile(path, []byte("old contents"), 0o600))
				}
				onStep(t, func(s string) error {
					if s == at {
						return errCrash
					}
					return nil
				})
				err := Write(path, []byte("new"), 0o600)
				require.ErrorIs(t, err, errCrash)

				b, rerr := os.ReadFile(path)
				renamed := i >= 4 // the rename stage and after
				switch {
				case renamed:
					require.NoError(t, rerr)
					assert.Equal(t, "new", string(b))
				case existed:
					require.NoError(t, rerr)
					assert.Equal(t, "old contents", string(b))
				default:
					assert.ErrorIs(t, rerr, fs.ErrNotExist)
				}
				if renamed || existed {
					assert.Equal(t, []string{"backup.json"}, names(t, dir))
				} else {
					assert.Empty(t, names(t, dir))
				}
			})
		}
	}
}

func TestWriteMode(t *testing.T) {
	tests := []struct {
		perm, want fs.FileMode
	}{
		{0o400, 0o400},
		{0o600, 0o600},
		{0o644, 0o644},
	}
	for _, tc := range tests {
		t.Run(tc.perm.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f")
			require.NoError(t, os.WriteFile(path, []byte("old"), 0o666))
			require.NoError(t, Write(path, []byte("x"), tc.perm))
			st, err := os.Stat(path)
			require.NoError(t, err)
			want := tc.want
			if runtime.GOOS == "windows" { // the read-only attribute
				want = 0o666
				if tc.perm&0o200 == 0 {
					want = 0o444
				}
			}
			assert.Equal(t, want, st.Mode().Perm())
		})
	}
}

// What CheckFile refuses, Write refuses before writing anything: the
// target is left as it was and no file appears next to it.
func TestWriteRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "report.txt")
	require.NoError(t, os.WriteFile(file, []byte("old"), 0o644))
	sub := filepath.Join(dir, "sub")
	require.NoError(t, os.Mkdir(sub, 0o755))
	link := filepath.Join(dir, "link.txt")
	require.NoError(t, os.Symlink(file, link))
	tests := []checkCase{
		{"folder", sub, "a folder"},
		{"symbolic link", link, "symbolic link"},
		{"device name", filepath.Join(dir, "NUL.txt"), "device name"},
	}
	tests = append(tests, specialFiles(t, dir)...)
	before := names(t, dir)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, _ := os.Lstat(tc.path)
			onStep(t, func(s string) error { t.Errorf("stage %s ran", s); return nil })
			err := Write(tc.path, []byte("new"), 0o644)
			require.ErrorIs(t, err, ErrNotRegular)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, before, names(t, dir))
			if st != nil {
				after, err := os.Lstat(tc.path)
				require.NoError(t, err)
				assert.Equal(t, st.Mode(), after.Mode())
			}
		})
	}
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, "old", string(b), "the link's target is untouched")
}

func TestCSVCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"=1+1", "'=1+1"},
		{"+reg", "'+reg"},
		{"-1", "'-1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"a=b", "a=b"},
		{" =x", " =x"},
		{"'=x", "'=x"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, CSVCell(tt.in), "%q", tt.in)
	}
}

// TestCreateStreams: a streamed file appears whole at Commit; before it,
// and after Abort, the target is as it was and no temporary file is left.
func TestCreateStreams(t *testing.T) {
	tests := []struct {
		name   string
		commit bool
		want   string
	}{
		{"committed", true, "part 1, part 2"},
		{"aborted", false, "old"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "fleet.jsonl")
			require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))
			f, err := Create(path, 0o600)
			require.NoError(t, err)
			_, err = f.Write([]byte("part 1, "))
			require.NoError(t, err)
			_, err = f.Write([]byte("part 2"))
			require.NoError(t, err)
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, "old", string(b), "untouched while streaming")
			if tc.commit {
				require.NoError(t, f.Commit())
			}
			f.Abort()
			b, err = os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(b))
			assert.Equal(t, []string{"fleet.jsonl"}, names(t, dir))
		})
	}
	link := filepath.Join(t.TempDir(), "link")
	require.NoError(t, os.Symlink(os.DevNull, link))
	_, err := Create(link, 0o600)
	assert.ErrorIs(t, err, ErrNotRegular)
}
