package outfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsDeviceName(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"NUL", true},
		{"nul", true},
		{"Nul.txt", true},
		{"nul.tar.gz", true},
		{"NUL ", true},
		{"nul .txt", true},
		{"NUL:", true},
		{"C:NUL", true},
		{`C:\reports\con.html`, true},
		{"reports/prn", true},
		{"aux", true},
		{"COM1", true},
		{"com9.log", true},
		{"LPT3", true},
		{"lpt¹", true},
		{"CONOUT$", true},
		{`\\.\PhysicalDrive0`, true},
		{`//./COM1`, true},
		{"NULL", false},
		{"nul-report.txt", false},
		{"CONSOLE.txt", false},
		{"COM10", false},
		{"report.nul", false},
		{`NUL\report.txt`, false},
		{"", false},
		{`C:`, false},
		{`\\?\C:\reports\r.html`, false},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			assert.Equal(t, tc.want, IsDeviceName(tc.path))
		})
	}
}

type checkCase struct{ name, path, want string }

func TestCheckFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "report.txt")
	require.NoError(t, os.WriteFile(file, []byte("old"), 0o644))
	sub := filepath.Join(dir, "sub")
	require.NoError(t, os.Mkdir(sub, 0o755))
	link := filepath.Join(dir, "link.txt")
	require.NoError(t, os.Symlink(file, link))
	tests := []checkCase{
		{"new file", filepath.Join(dir, "new.txt"), ""},
		{"regular file", file, ""},
		{"folder", sub, "a folder"},
		{"symbolic link", link, "symbolic link"},
		{"device name", filepath.Join(dir, "nul.txt"), "device name"},
	}
	tests = append(tests, specialFiles(t, dir)...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckFile(tc.path)
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrNotRegular)
			assert.Contains(t, err.Error(), tc.path)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestCheckDir(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	link := filepath.Join(dir, "link")
	require.NoError(t, os.Symlink(dir, link))
	assert.NoError(t, CheckDir(dir))
	assert.NoError(t, CheckDir(filepath.Join(dir, "new")))
	assert.ErrorIs(t, CheckDir(file), ErrNotRegular)
	assert.ErrorIs(t, CheckDir(link), ErrNotRegular)
	assert.ErrorIs(t, CheckDir(filepath.Join(dir, "COM1")), ErrNotRegular)
}

// FuzzIsDeviceName: the folder a name is in never changes whether it is a
// device, and the function never panics.
func FuzzIsDeviceName(f *testing.F) {
	for _, s := range []string{"NUL", "nul.txt", "COM1:", "con .x", "report.html", "lpt¹", "", "C:NUL"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := IsDeviceName(name)
		if strings.ContainsAny(name, `/\:`) || strings.HasPrefix(name, "//") {
			return
		}
		assert.Equal(t, got, IsDeviceName(`C:\reports\`+name), name)
		assert.Equal(t, got, IsDeviceName("/tmp/"+name), name)
	})
}
