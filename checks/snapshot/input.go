package snapshot

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"medharden/checks/winfmt"
)

// Size limits per kind of file, far above what the collector writes (the
// largest real exports, Uninstall and Session Manager, stay under 1 MiB),
// so that a damaged or hostile file cannot exhaust memory. Every violation
// is an input error naming the file.
const (
	maxLogSize      = 4 << 20   // collect.log
	maxSeceditSize  = 8 << 20   // secedit.inf
	maxAuditpolSize = 4 << 20   // auditpol.csv
	maxRegSize      = 64 << 20  // each reg\*.reg
	maxWMICSize     = 16 << 20  // each wmic\*.csv
	maxTotalSize    = 256 << 20 // all files of one snapshot together
)

// inputs reads the files of one snapshot folder. Every input is a regular
// file directly in the folder or in its reg\ or wmic\ subfolder: symbolic
// links (which could point anywhere, or at themselves), devices, FIFOs and
// sockets are refused, as is a folder where a file is expected.
type inputs struct {
	dir   string
	total int64
	// stats and lists are what checkTotal saw (each file's Lstat, each
	// subfolder's names), so that no file is stat'ed and no folder listed
	// twice. read still checks, once the file is open, that it is the file
	// that was stat'ed.
	stats map[string]fs.FileInfo
	lists map[string][]string
}

func inputError(path, msg string) error {
	return &winfmt.ParseError{File: path, Msg: msg}
}

// read returns the file rel (relative to the snapshot folder); ok is false
// when it does not exist.
func (in *inputs) read(rel string, limit int64) (b []byte, ok bool, err error) {
	path := filepath.Join(in.dir, rel)
	st, seen := in.stats[rel]
	if !seen {
		st, err = os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("read %s: %w", path, err)
		}
	}
	if err := regular(path, st.Mode()); err != nil {
		return nil, false, err
	}
	if st.Size() > limit {
		return nil, false, tooLarge(path, limit)
	}
	if in.total+st.Size() > maxTotalSize {
		return nil, false, totalTooLarge(path)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	if fst, err := f.Stat(); err != nil || !os.SameFile(st, fst) {
		return nil, false, inputError(path, "the file changed while it was being opened")
	}
	// Sized from the stat, so that the file is read in one go; a file
	// that grew since is still read up to one byte past the limit.
	var buf bytes.Buffer
	buf.Grow(int(st.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, false, fmt.Errorf("read %s: %w", path, err)
	}
	b = buf.Bytes()
	if int64(len(b)) > limit {
		return nil, false, tooLarge(path, limit)
	}
	in.total += int64(len(b))
	return b, true, nil
}

func (in *inputs) modTime(rel string) (time.Time, error) {
	if st, ok := in.stats[rel]; ok {
		return st.ModTime(), nil
	}
	path := filepath.Join(in.dir, rel)
	st, err := os.Lstat(path)
	if err != nil {
		return time.Time{}, fmt.Errorf("read %s: %w", path, err)
	}
	return st.ModTime(), nil
}

func tooLarge(path string, limit int64) error {
	return inputError(path, fmt.Sprintf("larger than %d MiB, the limit for this kind of snapshot file (a collector's export is far smaller)", limit>>20))
}

func regular(path string, m fs.FileMode) error {
	switch {
	case m&fs.ModeSymlink != 0:
		return inputError(path, "is a symbolic link; snapshot files must be regular files inside the snapshot folder")
	case m.IsDir():
		return inputError(path, "is a folder where a file is expected")
	case !m.IsRegular():
		return inputError(path, "is not a regular file (a device, FIFO or socket)")
	}
	return nil
}

// checkTotal refuses a folder whose input files add up to more than
// maxTotalSize before any of them is read. Other problems (links, folders
// where files belong) are left to read and list, which name the file.
func (in *inputs) checkTotal() error {
	var sum int64
	in.stats = map[string]fs.FileInfo{}
	add := func(rel string) {
		if st, err := os.Lstat(filepath.Join(in.dir, rel)); err == nil && st.Mode().IsRegular() {
			sum += st.Size()
			in.stats[rel] = st
		}
	}
	for _, f := range []string{"collect.log", "secedit.inf", "auditpol.csv", "schtasks.csv"} {
		add(f)
	}
	for sub, ext := range map[string]string{"reg": ".reg", "wmic": ".csv"} {
		if names, ok, err := in.list(sub, ext); err == nil && ok {
			for _, n := range names {
				add(filepath.Join(sub, n))
			}
			if in.lists == nil {
				in.lists = map[string][]string{}
			}
			in.lists[sub+"\x00"+ext] = names
		}
	}
	if sum > maxTotalSize {
		return totalTooLarge(in.dir)
	}
	return nil
}

func totalTooLarge(path string) error {
	return inputError(path, fmt.Sprintf("the snapshot's files add up to more than %d MiB, far more than a collector writes", maxTotalSize>>20))
}

// list returns the names in the subfolder rel (reg or wmic) that end in
// ext; ok is false when the subfolder does not exist.
func (in *inputs) list(rel, ext string) (names []string, ok bool, err error) {
	if names, ok := in.lists[rel+"\x00"+ext]; ok {
		return names, true, nil
	}
	path := filepath.Join(in.dir, rel)
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", path, err)
	}
	switch {
	case st.Mode()&fs.ModeSymlink != 0:
		return nil, false, inputError(path, "is a symbolic link; the snapshot's subfolders must be real folders inside it")
	case !st.IsDir():
		return nil, false, inputError(path, "is a file where a folder is expected")
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", path, err)
	}
	for _, e := range entries {
		if hasExt(e.Name(), ext) {
			names = append(names, e.Name())
		}
	}
	return names, true, nil
}

func hasExt(name, ext string) bool {
	return strings.EqualFold(filepath.Ext(name), ext)
}
