package workflow

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"medharden/assets"
)

// FieldsPath is where the technician fields of a target are kept: beside
// the snapshot, or under ProgramData for this computer.
func FieldsPath(id Identity) string {
	if id.Kind == Snapshot {
		return assets.FieldsPath(id.Folder)
	}
	return assets.FieldsPath("")
}

// Inventory collects the open target's device record with its technician
// fields, read from fieldsFile ("" means FieldsPath). sets ("key=value")
// change fields first and are saved. It returns the fields file used.
func (s *Session) Inventory(ctx context.Context, fieldsFile string, sets []string) (assets.Record, string, error) {
	t, ok := s.Target()
	if !ok {
		return assets.Record{}, "", errors.New("no target is open")
	}
	path := fieldsFile
	if path == "" {
		path = FieldsPath(t.ID)
	}
	f, err := assets.LoadFields(path)
	if err != nil {
		return assets.Record{}, path, InputError{err}
	}
	if len(sets) > 0 {
		if err := f.ApplySettings(sets); err != nil {
			return assets.Record{}, path, Inputf("inventory: %v", err)
		}
	}
	rec, err := assets.Collect(ctx, t.Host)
	if err != nil {
		return assets.Record{}, path, fmt.Errorf("inventory: %w", err)
	}
	rec.Source = t.ID.Source()
	if len(sets) > 0 {
		if err := assets.SaveFields(path, f); err != nil {
			return assets.Record{}, path, err
		}
	}
	rec.Fields = f
	return rec, path, nil
}

// SaveFields validates the technician fields of the open target and saves
// them; an invalid field is an *assets.ValidationError naming each one.
func (s *Session) SaveFields(f assets.Fields) error {
	t, _ := s.Target()
	return assets.SaveFields(FieldsPath(t.ID), f)
}

// SaveFieldsTo saves the technician fields of the open target to a file
// the technician chose. A file inside the snapshot folder is refused: the
// collected evidence is never changed.
func (s *Session) SaveFieldsTo(path string, f assets.Fields) error {
	t, _ := s.Target()
	if t.ID.Kind == Snapshot && Inside(t.ID.Folder, path) {
		return Inputf("%s is inside the snapshot folder %s: the collected evidence is never changed; save the technician fields next to it", path, t.ID.Folder)
	}
	return assets.SaveFields(path, f)
}

// Inside tells whether path is dir or lies under it, links resolved where
// they exist.
func Inside(dir, path string) bool {
	d, err1 := resolve(dir)
	p, err2 := resolve(path)
	if err1 != nil || err2 != nil {
		return true // cannot tell: treat as inside, the safe answer
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// resolve is path made absolute with the links of its longest existing
// prefix resolved.
func resolve(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	rest := ""
	for p := abs; ; p = filepath.Dir(p) {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest), nil
		}
		if filepath.Dir(p) == p {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}
