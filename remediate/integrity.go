package remediate

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"medharden/checks"
	"medharden/checks/outfile"
)

// ErrUntrusted: a run cannot be used whatever --force says: it is not in
// the protected runs folder, that folder or its key is not protected, or
// the backup names a setting no fix of the catalog writes.
var ErrUntrusted = errors.New("refused (--force does not override this)")

// Backups and journals carry an HMAC-SHA256 under a per-machine key, so
// that whoever cannot read the key (anyone but Administrators and SYSTEM on
// Windows, anyone but the owner elsewhere) cannot change them undetected,
// and a run folder copied from another machine does not verify. The key is
// beside the runs folder, not inside it, so that copying that folder does
// not copy the key.
const (
	keyBytes = 32
	macFile  = "backup.json.hmac"
)

// keyPath is <root>.key: %ProgramData%\medharden\runs.key for the default
// runs folder; named after the folder so that two runs folders in one
// parent (temporary folders of snapshot rehearsals) never share a key.
func keyPath(root string) string {
	root = filepath.Clean(root)
	return filepath.Join(filepath.Dir(root), filepath.Base(root)+".key")
}

// loadKey reads the runs folder's key; create makes it first if there is
// none (apply does, readers do not).
func loadKey(root string, create bool) ([]byte, error) {
	path := keyPath(root)
	key, err := readKey(path)
	if err == nil || !create || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := newKey(path); err != nil {
		return nil, err
	}
	return readKey(path)
}

// newKey writes a key under a temporary name, already restricted, and
// links it into place: if another process won the race, its key stays and
// both use it.
func newKey(path string) error {
	key := make([]byte, keyBytes)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	suffix := make([]byte, 8)
	if _, err := rand.Read(suffix); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	tmp := path + "." + hex.EncodeToString(suffix) + ".tmp"
	f, err := createPrivate(tmp)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(tmp)
	_, err = f.Write(key)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := os.Link(tmp, path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return outfile.SyncDir(filepath.Dir(path))
}

func readKey(path string) ([]byte, error) {
	if st, err := os.Lstat(path); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: key file %s is not a regular file", ErrUntrusted, path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	defer f.Close()
	if err := checkPrivate(f, true); err != nil {
		return nil, fmt.Errorf("%w: key file %v; delete it as administrator (existing runs then no longer verify)", ErrUntrusted, err)
	}
	key, err := io.ReadAll(io.LimitReader(f, keyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read key file %s: %w", path, err)
	}
	if len(key) != keyBytes {
		return nil, fmt.Errorf("%w: key file %s is damaged (%d bytes, not %d)", ErrUntrusted, path, len(key), keyBytes)
	}
	return key, nil
}

// checkRoot refuses a runs folder that others than Administrators and
// SYSTEM (elsewhere: the owner) may change. A missing folder holds no runs.
func checkRoot(root string) error {
	st, err := os.Lstat(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("runs folder: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("%w: runs folder %s is not a folder", ErrUntrusted, root)
	}
	f, err := os.Open(root)
	if err != nil {
		return fmt.Errorf("runs folder: %w", err)
	}
	defer f.Close()
	if err := checkPrivate(f, false); err != nil {
		return fmt.Errorf("%w: runs folder %v; use the default runs folder or restrict this one to Administrators and SYSTEM", ErrUntrusted, err)
	}
	return nil
}

func mac(key []byte, parts ...[]byte) string {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write(p)
	}
	return hex.EncodeToString(m.Sum(nil))
}

func sameMAC(a, b string) bool { return hmac.Equal([]byte(a), []byte(b)) }

// writable is every setting a fix of the catalog can write, as Address.id
// compares them; accounts by relative id and field.
type writable map[string]bool

func writableSettings(cat *checks.Catalog) writable {
	w := writable{}
	for _, ch := range cat.Checks {
		if ch.Fix.Manual != "" {
			continue
		}
		if ch.Probe.Kind() == KindAccount {
			field := FieldDisabled
			if strings.EqualFold(ch.Fix.Type, FieldName) {
				field = FieldName
			}
			w["account|"+ch.Probe.Account.RID+"|"+field] = true
			continue
		}
		if a, err := addressFor(ch, nil); err == nil {
			w[SettingID(a)] = true
		}
	}
	return w
}

// allows tells whether a fix writes the address. An account is a local
// account (S-1-5-21-...) with the catalog's relative id. A value in a
// person's hive, HKU\<SID>\..., is one a fix writes in HKCU, and only for
// a SID person says is one of the device's people.
func (w writable) allows(a Address, person func(sid string) bool) bool {
	if sid, ok := checks.HiveUser(a.Key); ok && a.Kind == KindRegistry {
		rest := strings.TrimPrefix(normalizeKey(a.Key), `HKU\`)
		rest = strings.TrimPrefix(rest[len(sid):], `\`)
		hkcu := Address{Kind: KindRegistry, Key: `HKCU\` + rest, Name: a.Name}
		return w[SettingID(hkcu)] && person != nil && person(sid)
	}
	if a.Kind != KindAccount {
		return w[SettingID(a)]
	}
	sid := strings.ToUpper(a.Key)
	i := strings.LastIndexByte(sid, '-')
	if !strings.HasPrefix(sid, "S-1-5-21-") || i < 0 {
		return false
	}
	return w["account|"+sid[i+1:]+"|"+a.Name]
}

// checkSettings refuses a backup that names a setting no fix writes, or a
// created registry key outside the key its value lives in, before anything
// is written. person tells whether a SID is one of the device's people,
// whose hives per-user fixes may write.
func checkSettings(cat *checks.Catalog, b *Backup, path string, person func(sid string) bool) error {
	w := writableSettings(cat)
	for i, s := range b.Settings {
		if !w.allows(s.Setting, person) {
			return fmt.Errorf("%w: %s: entry %d (%s, check %q) is not a setting any fix of the catalog writes; nothing was changed",
				ErrUntrusted, path, i+1, s.Setting, s.CheckID)
		}
		for _, k := range s.CreatedKeys {
			if !createdUnder(k, s.Setting) {
				return fmt.Errorf("%w: %s: entry %d (%s) names key %s, which its value does not live in; nothing was changed",
					ErrUntrusted, path, i+1, s.Setting, k)
			}
		}
	}
	return nil
}

// createdUnder tells whether key is the registry setting's key or one of
// its ancestors below the hive's top-level keys.
func createdUnder(key string, a Address) bool {
	if a.Kind != KindRegistry {
		return false
	}
	k, full := strings.ToUpper(normalizeKey(key)), strings.ToUpper(normalizeKey(a.Key))
	return strings.Count(k, `\`) >= 2 && (k == full || strings.HasPrefix(full, k+`\`))
}
