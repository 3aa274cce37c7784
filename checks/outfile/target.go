package outfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// ErrNotRegular marks a target medharden refuses to write.
var ErrNotRegular = errors.New("refused, nothing written")

// CheckFile returns nil when path does not exist or is a regular file.
// Otherwise it names the path and what it is; nothing has been written.
func CheckFile(path string) error {
	return check(path, false)
}

// CheckDir returns nil when path does not exist or is a folder (not a link
// to one).
func CheckDir(path string) error {
	return check(path, true)
}

func check(path string, dir bool) error {
	want := "a regular file"
	if dir {
		want = "a folder"
	}
	if IsDeviceName(path) {
		return fmt.Errorf("write %s: it is a Windows device name, not %s: %w", path, want, ErrNotRegular)
	}
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case dir && st.IsDir(), !dir && st.Mode().IsRegular():
		return nil
	}
	return fmt.Errorf("write %s: it is %s, not %s: %w", path, kind(st.Mode()), want, ErrNotRegular)
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link or junction"
	case m.IsDir():
		return "a folder"
	case m.IsRegular():
		return "a file"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// deviceNames are the names Windows maps to devices in every folder, with
// any extension ("nul.txt") and in any case.
var deviceNames = map[string]bool{
	"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true,
	"COM¹": true, "COM²": true, "COM³": true, "LPT¹": true, "LPT²": true, "LPT³": true,
}

func init() {
	for _, d := range "0123456789" {
		deviceNames["COM"+string(d)] = true
		deviceNames["LPT"+string(d)] = true
	}
}

// IsDeviceName reports whether Windows would open path as a device: its
// last element is a reserved DOS device name (CON, PRN, AUX, NUL, COM0-9,
// LPT0-9, CONIN$, CONOUT$; any case, any extension, trailing spaces or a
// colon), or the path is in the \\.\ device namespace. It answers the same
// on every system, so the rule is tested where the tests run and such a name
// is refused on Linux too, where refusing it costs nothing.
func IsDeviceName(path string) bool {
	if strings.HasPrefix(path, `\\.\`) || strings.HasPrefix(path, `//./`) {
		return true
	}
	base := path[strings.LastIndexAny(path, `/\`)+1:]
	if len(base) >= 2 && base[1] == ':' { // C:NUL is NUL in drive C's current folder
		base = base[2:]
	}
	if i := strings.IndexAny(base, ".:"); i >= 0 {
		base = base[:i]
	}
	return deviceNames[strings.ToUpper(strings.TrimRight(base, " "))]
}
