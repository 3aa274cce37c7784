package snapshot

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// regIndex merges every reg\*.reg export. Keys and value names are compared
// case-insensitively, as Windows does.
//
// A [-KEY] entry deletes the key and everything below it. Rather than
// searching the index for what lies below (which made a file of many
// deletions take quadratic time), every [KEY] block and every [-KEY] gets
// a sequence number in the order of import: a value or key is there when
// it was written after the last deletion of its key and of every key above.
type regIndex struct {
	keys  map[string]*regKey // normalized key -> what the exports hold
	gone  map[string]int     // normalized key -> sequence of its last [-KEY]
	roots []string           // normalized export roots: what the snapshot covers
	seq   int
}

// regKey is one key of the merged exports.
type regKey struct {
	values  map[string]regEntry // upper-case name -> value
	created int                 // sequence of its last [KEY] block
	// path is the key as first written (original case), for listings such
	// as installed software.
	path string
}

type regEntry struct {
	value checks.RegValue
	file  string
	seq   int
}

func newRegIndex() regIndex {
	return regIndex{keys: map[string]*regKey{}, gone: map[string]int{}}
}

// values is the key's values (nil when no export holds the key).
func (x *regIndex) values(key string) map[string]regEntry {
	if k := x.keys[key]; k != nil {
		return k.values
	}
	return nil
}

// display is the key's spelling: HKLM-style prefix, then the rest as first
// written.
func (x *regIndex) display(key string) string {
	k := x.keys[key]
	if k == nil {
		return key
	}
	return key[:strings.IndexByte(key+`\`, '\\')] + displayTail(k.path)
}

// deletedAt is the sequence of the last [-KEY] of key or of a key above it.
func (x *regIndex) deletedAt(key string) int {
	last := 0
	for len(x.gone) > 0 {
		if d := x.gone[key]; d > last {
			last = d
		}
		i := strings.LastIndexByte(key, '\\')
		if i < 0 {
			break
		}
		key = key[:i]
	}
	return last
}

// live tells whether the key exists in the merged exports.
func (x *regIndex) live(key string) bool {
	k := x.keys[key]
	return k != nil && k.created > x.deletedAt(key)
}

// lookup returns a value that was written after the last deletion of its key.
func (x *regIndex) lookup(key, name string) (regEntry, bool) {
	e, ok := x.values(key)[strings.ToUpper(name)]
	if !ok || e.seq <= x.deletedAt(key) {
		return regEntry{}, false
	}
	return e, true
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
		key := userPath(f.NormalizedKey(i))
		if i == 0 && !k.Delete {
			x.roots = append(x.roots, key)
		}
		x.seq++
		if k.Delete {
			x.gone[key] = x.seq
			continue
		}
		rk := x.keys[key]
		if rk == nil {
			rk = &regKey{values: make(map[string]regEntry, len(k.Values)), path: k.Path}
			x.keys[key] = rk
		}
		rk.created = x.seq
		for j, v := range k.Values {
			name := f.UpperName(i, j)
			if v.Delete {
				delete(rk.values, name)
				continue
			}
			rk.values[name] = regEntry{value: v.Value, file: file, seq: x.seq}
		}
	}
}

// covers tells whether some export's root contains the key, so that a
// missing value means "absent" rather than "not collected".
func (x *regIndex) covers(key string) bool {
	for _, r := range x.roots {
		if underKey(key, r) {
			return true
		}
	}
	return false
}

// deleted tells whether a [-KEY] entry removed the key (or a key above
// it) and no later block wrote it again.
func (x *regIndex) deleted(key string) bool {
	nk := winfmt.NormalizeKey(key)
	d := x.deletedAt(nk)
	created := 0
	if k := x.keys[nk]; k != nil {
		created = k.created
	}
	return d > 0 && created < d
}

// RegValue reads a value from the reg exports. When no export covers the
// key, a HKLM value that secedit exported under [Registry Values] is used.
func (h *Host) RegValue(ctx context.Context, key, name string) (checks.RegValue, error) {
	nk := winfmt.NormalizeKey(key)
	if v, ok := h.overlay.reg(nk, name); ok {
		return v.value, v.err()
	}
	if e, ok := h.reg.lookup(nk, name); ok {
		return e.value, nil
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
	if alias, ok := h.collectorHKCU(nk); ok {
		return h.RegValue(ctx, alias, name)
	}
	return checks.RegValue{}, h.notCollected(nk, key)
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
		if !strings.EqualFold(e.Key, want) { // no upper-cased copy per entry: this runs for every value no export covers
			continue
		}
		v, err := winfmt.ParseRegistryValue(e.Key, e.Value)
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
// above it, does not exist on the host (an absent= line). In a hive the
// collector logged as failed (a running medharden unloaded it during the
// exports) an absent= line proves nothing.
func (h *Host) keyAbsent(nk string) bool {
	if sid, ok := checks.HiveUser(nk); ok && h.log.hives[sid] == "failed" {
		return false
	}
	for _, k := range h.log.absentKeys {
		if underKey(nk, userPath(winfmt.NormalizeKey(k))) {
			return true
		}
	}
	return false
}

// underKey tells whether key is root or lies below it.
func underKey(key, root string) bool {
	return strings.HasPrefix(key, root) && (len(key) == len(root) || key[len(root)] == '\\')
}
