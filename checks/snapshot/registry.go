package snapshot

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// regIndex merges every reg\*.reg export. Keys and value names are compared
// case-insensitively, as Windows does.
type regIndex struct {
	values map[string]map[string]regEntry // normalized key -> upper name -> value
	roots  []string                       // normalized export roots: what the snapshot covers
	gone   map[string]bool                // keys deleted by a [-KEY] entry
	// display keeps each key's spelling (HKLM prefix, original case) for
	// listings such as installed software.
	display map[string]string
}

type regEntry struct {
	value checks.RegValue
	file  string
}

func newRegIndex() regIndex {
	return regIndex{values: map[string]map[string]regEntry{}, gone: map[string]bool{}, display: map[string]string{}}
}

// loadReg reads every .reg file under reg\, whatever its name. Files are
// applied oldest first (by modification time, then name), so where two
// exports hold the same value the later export wins.
func (h *Host) loadReg(in source) (int, error) {
	names, _, err := in.list("reg", ".reg")
	if err != nil {
		return 0, err
	}
	type file struct {
		rel string
		mod time.Time
	}
	files := make([]file, 0, len(names))
	for _, name := range names {
		rel := filepath.Join("reg", name)
		mod, err := in.modTime(rel)
		if err != nil {
			return 0, err
		}
		files = append(files, file{rel, mod})
	}
	sort.Slice(files, func(i, j int) bool {
		a, b := files[i].mod, files[j].mod
		if !a.Equal(b) {
			return a.Before(b)
		}
		return files[i].rel < files[j].rel
	})
	// One file at a time, so that only one raw export is in memory.
	for _, f := range files {
		b, _, err := in.read(f.rel, maxRegSize)
		if err != nil {
			return 0, err
		}
		path := filepath.Join(h.dir, f.rel)
		rf, err := winfmt.ParseReg(path, b)
		if err != nil {
			return 0, err
		}
		h.reg.add(rf, path)
	}
	return len(files), nil
}

func (x *regIndex) add(f *winfmt.RegFile, file string) {
	for i, k := range f.Keys {
		key := winfmt.NormalizeKey(k.Path)
		if i == 0 && !k.Delete {
			x.roots = append(x.roots, key)
		}
		if k.Delete {
			x.gone[key] = true
			for existing := range x.values {
				if existing == key || strings.HasPrefix(existing, key+`\`) {
					delete(x.values, existing)
				}
			}
			continue
		}
		delete(x.gone, key)
		if _, ok := x.display[key]; !ok {
			x.display[key] = key[:strings.IndexByte(key+`\`, '\\')] + displayTail(k.Path)
		}
		vals := x.values[key]
		if vals == nil {
			vals = map[string]regEntry{}
			x.values[key] = vals
		}
		for _, v := range k.Values {
			name := strings.ToUpper(v.Name)
			if v.Delete {
				delete(vals, name)
				continue
			}
			vals[name] = regEntry{value: v.Value, file: file}
		}
	}
}

// covers tells whether some export's root contains the key, so that a
// missing value means "absent" rather than "not collected".
func (x *regIndex) covers(key string) bool {
	for _, r := range x.roots {
		if key == r || strings.HasPrefix(key, r+`\`) {
			return true
		}
	}
	return false
}

func (x *regIndex) deleted(key string) bool {
	return x.gone[winfmt.NormalizeKey(key)]
}

// RegValue reads a value from the reg exports. When no export covers the
// key, a HKLM value that secedit exported under [Registry Values] is used.
func (h *Host) RegValue(ctx context.Context, key, name string) (checks.RegValue, error) {
	nk := winfmt.NormalizeKey(key)
	if v, ok := h.overlay.reg(nk, name); ok {
		return v.value, v.err()
	}
	if vals, ok := h.reg.values[nk]; ok {
		if e, ok := vals[strings.ToUpper(name)]; ok {
			return e.value, nil
		}
	}
	if h.reg.covers(nk) {
		return checks.RegValue{}, checks.ErrAbsent
	}
	if v, ok, err := h.seceditRegValue(nk, name); ok || err != nil {
		return v, err
	}
	if h.keyAbsent(nk) {
		return checks.RegValue{}, checks.ErrAbsent
	}
	return checks.RegValue{}, fmt.Errorf("%w: no reg export in the snapshot covers %s", checks.ErrNotCollected, key)
}

// seceditRegValue looks a HKLM value up in secedit's [Registry Values],
// where it is written as MACHINE\path\name=type,data.
func (h *Host) seceditRegValue(nk, name string) (checks.RegValue, bool, error) {
	if h.secedit == nil || !strings.HasPrefix(nk, `HKLM\`) {
		return checks.RegValue{}, false, nil
	}
	sec := h.secedit.Section("Registry Values")
	if sec == nil {
		return checks.RegValue{}, false, nil
	}
	want := "MACHINE" + nk[len("HKLM"):] + `\` + strings.ToUpper(name)
	for _, e := range sec.Entries {
		if strings.ToUpper(e.Key) != want {
			continue
		}
		v, err := winfmt.ParseRegistryValue(e.Value)
		if err != nil {
			return checks.RegValue{}, true, &winfmt.ParseError{File: filepath.Join(h.dir, "secedit.inf"), Line: e.Line, Msg: err.Error()}
		}
		return v, true, nil
	}
	return checks.RegValue{}, false, nil
}

// displayTail is the path after the hive, as written in the export.
func displayTail(path string) string {
	path = strings.TrimRight(path, `\`)
	if i := strings.IndexByte(path, '\\'); i >= 0 {
		return path[i:]
	}
	return ""
}

// keyAbsent tells whether collect.log records that the key, or a key
// above it, does not exist on the host (an absent= line).
func (h *Host) keyAbsent(nk string) bool {
	for _, k := range h.log.absentKeys {
		r := winfmt.NormalizeKey(k)
		if nk == r || strings.HasPrefix(nk, r+`\`) {
			return true
		}
	}
	return false
}
