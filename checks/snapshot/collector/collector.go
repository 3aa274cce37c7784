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

	"medharden/checks/outfile"
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
	if err := outfile.CheckFile(path); err != nil {
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

	if err := outfile.Write(path, Script, 0o644); err != nil {
		return "", fmt.Errorf("collector: %w", err)
	}
	return path, nil
}
