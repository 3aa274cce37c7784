// Package collector ships the offline collector script.
//
// collect.cmd runs on the target (Windows XP SP3 or 7 SP1) with built-in
// tools only and writes the snapshot folder described in DESIGN.md
// ("Public contract 1"). The Go side only hands the script out; it never
// runs it.
package collector

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"medharden/remediate/outpath"
)

// Script is collect.cmd exactly as shipped (CRLF line endings, ASCII).
//
//go:embed collect.cmd
var Script []byte

// FileName is the name Write gives the script.
const FileName = "medharden-collect.cmd"

// Write saves the script as DIR\medharden-collect.cmd (creating DIR) and
// returns the path; refuses to overwrite a different existing file unless
// force. Writing over an identical file is a no-op.
func Write(dir string, force bool) (string, error) {
	if dir == "" {
		return "", errors.New("collector: no target folder given")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("collector: create %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	if err := outpath.CheckFile(path); err != nil {
		return "", fmt.Errorf("collector: %w", err)
	}

	_, err := os.Lstat(path)
	switch {
	case err == nil:
		old, rerr := os.ReadFile(path)
		if rerr != nil {
			return "", fmt.Errorf("collector: read %s: %w", path, rerr)
		}
		if bytes.Equal(old, Script) {
			return path, nil
		}
		if !force {
			return "", fmt.Errorf("collector: %s already exists and differs from this version of the collector; not overwritten (use force)", path)
		}
	case errors.Is(err, fs.ErrNotExist):
	default:
		return "", fmt.Errorf("collector: %s: %w", path, err)
	}

	// Write next to the target and rename, so that a reader never sees half a script.
	tmp, err := os.CreateTemp(dir, ".medharden-collect-*.tmp")
	if err != nil {
		return "", fmt.Errorf("collector: %w", err)
	}
	tmpName := tmp.Name()
	_, werr := tmp.Write(Script)
	if werr == nil {
		werr = tmp.Sync()
	}
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmpName, 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmpName, path)
	}
	if werr != nil {
		_ = os.Remove(tmpName)
		return "", fmt.Errorf("collector: write %s: %w", path, werr)
	}
	return path, nil
}
