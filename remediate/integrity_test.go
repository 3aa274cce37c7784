package remediate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

// copyDir copies a run folder (files only) to dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(dst, 0o700))
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range entries {
		require.NoError(t, os.WriteFile(filepath.Join(dst, e.Name()), mustRead(t, filepath.Join(src, e.Name())), 0o600))
	}
}

// A backup folder is used only from inside the protected runs folder: a
// copy elsewhere, named by its path, is refused even when forced, and so
// is a runs folder or key that others may change.
func TestRunOutsideRunsFolderIsRefused(t *testing.T) {
	ctx := context.Background()
	cat, prof := testCatalog(t), profileFor(t, false)
	fh, root, out, _ := applied(t, "")
	elsewhere := filepath.Join(t.TempDir(), "copy", out.Run)
	copyDir(t, out.Dir, elsewhere)
	changed := settingsOf(t, fh, cat, prof)

	for _, path := range []string{elsewhere, filepath.Join(root, "..", "..", filepath.Base(filepath.Dir(filepath.Dir(elsewhere))), "copy", out.Run)} {
		for _, force := range []bool{false, true} {
			_, err := Rollback(ctx, fh, path, Options{Root: root, Catalog: cat, Force: force})
			require.ErrorIs(t, err, ErrUntrusted, path)
			assert.Contains(t, err.Error(), "is not in the runs folder "+root)
			_, err = Resume(ctx, fh, path, Options{Root: root, Catalog: cat, Force: force})
			require.ErrorIs(t, err, ErrUntrusted)
		}
	}
	assert.Equal(t, changed, settingsOf(t, fh, cat, prof), "a refused rollback writes nothing")

	if runtime.GOOS == "windows" {
		return // permissions are access lists there; checked by checkPrivate
	}
	require.NoError(t, os.Chmod(root, 0o777))
	_, err := Rollback(ctx, fh, out.Run, Options{Root: root, Catalog: cat, Force: true})
	require.ErrorIs(t, err, ErrUntrusted)
	assert.Contains(t, err.Error(), "lets others change it")
	_, err = Pending(root)
	require.ErrorIs(t, err, ErrUntrusted, "an unprotected runs folder cannot even be listed")
	require.NoError(t, os.Chmod(root, 0o700))

	require.NoError(t, os.Chmod(keyPath(root), 0o644))
	_, err = Rollback(ctx, fh, out.Run, Options{Root: root, Catalog: cat, Force: true})
	require.ErrorIs(t, err, ErrUntrusted)
	assert.Contains(t, err.Error(), keyPath(root))
	require.NoError(t, os.Chmod(keyPath(root), 0o600))
	assert.Equal(t, changed, settingsOf(t, fh, cat, prof))

	_, err = Rollback(ctx, fh, out.Run, Options{Root: root, Catalog: cat})
	require.NoError(t, err, "the run itself is fine")
}

// editBackup rewrites a run's backup.json and, as someone who can write the
// folder but cannot read the key would, its SHA-256 file and the journal's
// record of that hash.
func editBackup(t *testing.T, dir string, edit func(*Backup)) {
	t.Helper()
	var b Backup
	require.NoError(t, json.Unmarshal(mustRead(t, filepath.Join(dir, backupFile)), &b))
	edit(&b)
	data, err := json.MarshalIndent(&b, "", "  ")
	require.NoError(t, err)
	data = append(data, '\n')
	s := sha256.Sum256(data)
	sum := hex.EncodeToString(s[:])
	rewrite(t, filepath.Join(dir, backupFile), func([]byte) []byte { return data })
	rewrite(t, filepath.Join(dir, hashFile), func([]byte) []byte { return []byte(sum + "  backup.json\n") })
	rewrite(t, filepath.Join(dir, journalFile), func(j []byte) []byte {
		return regexpSHA.ReplaceAll(j, []byte(`"backup_sha256":"`+sum+`"`))
	})
}

// The sticky-keys backdoor: a Debugger for sethc.exe, which Windows starts
// at the logon screen.
var sethc = Saved{
	CheckID: "1.1.4",
	Setting: Address{Kind: KindRegistry, Key: `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options\sethc.exe`, Name: "Debugger"},
	Before:  State{Exists: true, Value: Value{RegType: checks.RegSZ, RegData: []byte("c\x00m\x00d\x00.\x00e\x00x\x00e\x00\x00\x00")}},
	Target:  Value{RegType: checks.RegSZ, RegData: []byte{0, 0}},
}

// Every address in a backup must be one a fix of the catalog writes: one
// that is not refuses the whole rollback (forced or not, with a valid
// HMAC or not) before anything is written, naming the entry.
func TestBackupWithForeignSettingIsRefused(t *testing.T) {
	ctx := context.Background()
	cat, prof := testCatalog(t), profileFor(t, false)
	sid := func(rid string) string { return "S-1-5-21-1-2-3-" + rid }
	tests := []struct {
		name string
		s    Saved
	}{
		{"IFEO sethc.exe Debugger", sethc},
		{"unknown policy key", Saved{CheckID: "1.1.4", Setting: Address{Kind: KindSecPol, Key: "System Access", Name: "NewGuestName"}, Before: State{Exists: true, Value: Value{Text: `"x"`}}}},
		{"right no fix writes", Saved{CheckID: "2.2.1", Setting: Address{Kind: KindRight, Name: "SeDebugPrivilege"}, Before: State{Exists: true, Value: Value{SIDs: []string{"S-1-1-0"}}}}},
		{"audit subcategory no fix writes", Saved{CheckID: "17.1.1", Setting: Address{Kind: KindAudit, Name: "{0cce9245-69ae-11d9-bed3-505054503030}"}, Before: State{Exists: true, Value: Value{Audit: &checks.AuditFlags{}}}}},
		{"service no fix writes", Saved{CheckID: "5.1", Setting: Address{Kind: KindService, Name: "sethcsvc"}, Before: State{Exists: true, Value: Value{Start: startPtr(checks.StartAuto)}}}},
		{"account no fix writes", Saved{CheckID: "2.3.1.1", Setting: Address{Kind: KindAccount, Key: sid("1001"), Name: FieldDisabled}, Before: State{Exists: true, Value: Value{Disabled: boolPtr(false)}}}},
		{"created key outside its value's key", func() Saved {
			s := Saved{CheckID: "2.3.11.7", Setting: Address{Kind: KindRegistry, Key: `HKLM\SYSTEM\CurrentControlSet\Control\Lsa`, Name: "LmCompatibilityLevel"}, Before: State{}}
			s.CreatedKeys = []string{`HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options`}
			return s
		}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fh, root, out, _ := applied(t, "")
			editBackup(t, out.Dir, func(b *Backup) { b.Settings = append(b.Settings, tc.s) })
			changed := settingsOf(t, fh, cat, prof)
			for _, force := range []bool{false, true} {
				_, err := Rollback(ctx, fh, out.Run, Options{Root: root, Catalog: cat, Force: force})
				require.ErrorIs(t, err, ErrUntrusted)
				assert.Contains(t, err.Error(), "entry 28")
				assert.Contains(t, err.Error(), filepath.Join(out.Dir, backupFile))
			}
			assert.Equal(t, changed, settingsOf(t, fh, cat, prof), "nothing was written")
			st, err := ReadSetting(ctx, fh, sethc.Setting)
			if err == nil {
				assert.False(t, st.Exists, "no debugger was installed")
			}
		})
	}

	// The same entry, signed with the key (as an administrator could), is
	// refused all the same: the catalog decides, not the signature.
	fh, root, out, _ := applied(t, "")
	editBackup(t, out.Dir, func(b *Backup) { b.Settings = append(b.Settings, sethc) })
	key, err := loadKey(root, false)
	require.NoError(t, err)
	rewrite(t, filepath.Join(out.Dir, macFile), func([]byte) []byte { return []byte(mac(key, mustRead(t, filepath.Join(out.Dir, backupFile))) + "\n") })
	_, err = Rollback(ctx, fh, out.Run, Options{Root: root, Catalog: cat})
	require.ErrorIs(t, err, ErrUntrusted)
	assert.Contains(t, err.Error(), `Image File Execution Options\sethc.exe\Debugger`)
}

// Someone who can write the run folder but cannot read the key changes a
// value and updates every hash: the HMAC still catches it.
func TestBackupEditedWithEveryHashUpdatedIsRefused(t *testing.T) {
	ctx := context.Background()
	cat, prof := testCatalog(t), profileFor(t, false)
	fh, root, out, _ := applied(t, "")
	editBackup(t, out.Dir, func(b *Backup) {
		for i := range b.Settings {
			if b.Settings[i].Setting.Name == "MinimumPasswordLength" {
				b.Settings[i].Before.Value.Text = "0"
			}
		}
	})
	changed := settingsOf(t, fh, cat, prof)
	_, err := Rollback(ctx, fh, out.Run, Options{Root: root, Catalog: cat})
	require.ErrorIs(t, err, ErrTampered)
	assert.Contains(t, err.Error(), "does not match its HMAC")
	assert.Equal(t, changed, settingsOf(t, fh, cat, prof))

	// Without its key (a run folder from another machine, or the key was
	// deleted) nothing verifies.
	require.NoError(t, os.Remove(keyPath(root)))
	_, err = Rollback(ctx, fh, out.Run, Options{Root: root, Catalog: cat})
	require.ErrorIs(t, err, ErrTampered)
	assert.Contains(t, err.Error(), "cannot be checked")
}

// journalLines returns a run's journal as lines with their newlines.
func journalLines(t *testing.T, dir string) [][]byte {
	t.Helper()
	return bytes.SplitAfter(mustRead(t, filepath.Join(dir, journalFile)), []byte("\n"))
}

func TestEditedJournalIsDetected(t *testing.T) {
	ctx := context.Background()
	cat, prof := testCatalog(t), profileFor(t, false)
	tests := []struct {
		name string
		line int // the line the error names
		edit func(lines [][]byte) [][]byte
	}{
		{"appended rolled-back end", -1, func(l [][]byte) [][]byte {
			return append(l, []byte(`{"seq":`+itoa(len(l))+`,"time":"2026-12-04T00:00:00Z","op":"end","state":"rolled-back"}`+"\n"))
		}},
		{"appended end with a made-up HMAC", -1, func(l [][]byte) [][]byte {
			return append(l, []byte(`{"seq":`+itoa(len(l))+`,"time":"2026-12-04T00:00:00Z","op":"end","state":"rolled-back","mac":"`+strings.Repeat("ab", 32)+`"}`+"\n"))
		}},
		{"end copied from another line", -1, func(l [][]byte) [][]byte {
			return append(l, l[len(l)-2])
		}},
		{"lines deleted in the middle", 4, func(l [][]byte) [][]byte {
			return append(append([][]byte{}, l[:3]...), l[10:]...)
		}},
		{"two lines swapped", 3, func(l [][]byte) [][]byte {
			l[2], l[3] = l[3], l[2]
			return l
		}},
		{"a value edited", 5, func(l [][]byte) [][]byte {
			l[4] = bytes.Replace(l[4], []byte(`"op":"`), []byte(`"op":"x`), 1)
			return l
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fh, root, out, want := applied(t, "")
			lines := journalLines(t, out.Dir)
			require.Empty(t, lines[len(lines)-1])
			lines = tc.edit(lines[:len(lines)-1])
			rewrite(t, filepath.Join(out.Dir, journalFile), func([]byte) []byte { return bytes.Join(lines, nil) })
			line := tc.line
			if line < 0 {
				line = len(lines)
			}
			changed := settingsOf(t, fh, cat, prof)

			_, err := Rollback(ctx, fh, out.Run, Options{Root: root, Catalog: cat})
			require.ErrorIs(t, err, ErrTampered)
			assert.Contains(t, err.Error(), filepath.Join(out.Dir, journalFile)+" line "+itoa(line)+" ")
			assert.Contains(t, err.Error(), "medharden rollback "+out.Run+" --force")
			assert.Equal(t, changed, settingsOf(t, fh, cat, prof), "a refused rollback writes nothing")
			pend, err := Pending(root)
			require.NoError(t, err)
			require.Len(t, pend, 1, "a journal that does not verify blocks the next apply")

			// Forced, every setting of the (verified) backup is restored and
			// a new journal is begun; the damaged one is kept aside.
			rb, err := Rollback(ctx, fh, out.Run, Options{Root: root, Catalog: cat, Force: true})
			require.NoError(t, err)
			assert.False(t, rb.Already)
			assert.Equal(t, want, settingsOf(t, fh, cat, prof))
			aside, _ := filepath.Glob(filepath.Join(out.Dir, journalFile+".damaged-*"))
			assert.Len(t, aside, 1)
			r, err := OpenRun(root, out.Run)
			require.NoError(t, err)
			assert.Equal(t, StateRolledBack, r.State)
		})
	}
}

// Cutting the journal's tail at a line boundary cannot be told from a
// crash; rollback then restores every setting of the backup, so the cut
// leaves no change in place.
func TestTruncatedJournalStillRestoresEverything(t *testing.T) {
	ctx := context.Background()
	cat, prof := testCatalog(t), profileFor(t, false)
	for _, keep := range []int{0, 1, 5, 20} {
		fh, root, out, want := applied(t, "")
		lines := journalLines(t, out.Dir)
		rewrite(t, filepath.Join(out.Dir, journalFile), func([]byte) []byte { return bytes.Join(lines[:keep], nil) })
		if keep == 0 {
			// An empty journal is a run that never started.
			rb, err := Rollback(ctx, fh, out.Run, Options{Root: root, Catalog: cat})
			require.NoError(t, err)
			assert.True(t, rb.Already)
			continue
		}
		rb, err := Rollback(ctx, fh, out.Run, Options{Root: root, Catalog: cat})
		require.NoError(t, err, "keep %d", keep)
		assert.Len(t, rb.Restored, len(out.Changed))
		assert.Equal(t, want, settingsOf(t, fh, cat, prof), "keep %d lines", keep)
	}
}

// A crash in the middle of writing a record leaves a last line without its
// newline: it is a torn write, not tampering, and recovery works.
func TestTornRecordIsNotTampering(t *testing.T) {
	ctx := context.Background()
	cat, prof := testCatalog(t), profileFor(t, false)
	for _, cut := range []int{1, 20, 60} {
		fh := &faultyHost{Host: openSnap(t, writeFixture(t, fixtureOpts{session: consoleTech})), k: 4, mode: crashBefore}
		want := settingsOf(t, fh, cat, prof)
		root := t.TempDir()
		require.True(t, crashes(func() { _, _ = Apply(ctx, fh, plan(t, fh, cat, prof, "failed", nil), Options{Root: root}) }))
		fh.k = 0
		pend, err := Pending(root)
		require.NoError(t, err)
		require.Len(t, pend, 1)
		// The last record (the announcement of step 4) is cut short.
		lines := journalLines(t, pend[0].Dir)
		last := lines[len(lines)-2]
		torn := append(bytes.Join(lines[:len(lines)-2], nil), last[:len(last)-cut]...)
		rewrite(t, filepath.Join(pend[0].Dir, journalFile), func([]byte) []byte { return torn })

		r, err := OpenRun(root, pend[0].ID)
		require.NoError(t, err, "cut %d", cut)
		assert.Equal(t, StateInterrupted, r.State)
		_, err = Rollback(ctx, fh, pend[0].ID, Options{Root: root, Catalog: cat})
		require.NoError(t, err)
		assert.Equal(t, want, settingsOf(t, fh, cat, prof))
		r, err = OpenRun(root, pend[0].ID)
		require.NoError(t, err, "the journal verifies after the repair")
		assert.Equal(t, StateRolledBack, r.State)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

var regexpSHA = regexp.MustCompile(`"backup_sha256":"[0-9a-f]{64}"`)

// Keys an apply created are deleted again by rollback when nothing else
// lives in them; a key that now holds someone else's value stays.
func TestRollbackRemovesKeysApplyCreated(t *testing.T) {
	ctx := context.Background()
	cat, err := checks.Builtin()
	require.NoError(t, err)
	prof, ok := checks.FindProfile("cis-win7-l1")
	require.True(t, ok)
	for _, foreign := range []bool{false, true} {
		h := openSnap(t, filepath.Join("..", "testdata", "snapshots", "ICU-CS01-20261118-093000"))
		want := settingsOf(t, h, cat, prof)
		root := t.TempDir()
		out, err := Apply(ctx, h, plan(t, h, cat, prof, "failed", nil), Options{Root: root, Catalog: cat})
		require.NoError(t, err)
		r, err := OpenRun(root, out.Run)
		require.NoError(t, err)
		var created []string
		for _, s := range r.Backup.Settings {
			created = append(created, s.CreatedKeys...)
		}
		created = deepestFirst(created)
		require.NotEmpty(t, created, "the sample lacks policy keys the fixes write")
		for _, k := range created {
			ok, err := h.RegKeyExists(ctx, k)
			require.NoError(t, err)
			require.True(t, ok, "apply created %s", k)
		}
		var kept string
		if foreign {
			kept = created[len(created)-1] // a highest created key
			require.NoError(t, h.SetRegValue(ctx, kept, "SomeoneElse", checks.DWORDValue(1)))
		}

		rb, err := Rollback(ctx, h, out.Run, Options{Root: root, Catalog: cat})
		require.NoError(t, err)
		assert.Equal(t, want, settingsOf(t, h, cat, prof))
		for _, k := range created {
			ok, err := h.RegKeyExists(ctx, k)
			require.NoError(t, err)
			if foreign && strings.EqualFold(k, kept) {
				assert.True(t, ok, "%s holds another value and stays", k)
				v, err := h.RegValue(ctx, k, "SomeoneElse")
				require.NoError(t, err)
				assert.Equal(t, checks.DWORDValue(1), v)
				continue
			}
			if foreign && strings.HasPrefix(strings.ToUpper(kept), strings.ToUpper(k)+`\`) {
				assert.True(t, ok, "%s is a parent of a key that stays", k)
				continue
			}
			assert.False(t, ok, "%s is gone again", k)
		}
		if foreign {
			assert.Contains(t, rb.KeptKeys, kept)
		} else {
			assert.Len(t, rb.RemovedKeys, len(created))
			assert.Empty(t, rb.KeptKeys)
		}
	}
}

// FuzzReadJournal: whatever a journal file holds, reading it ends in
// records that each verify under the key, or an error that names the file;
// a valid journal keeps its records whatever is appended without a newline.
func FuzzReadJournal(f *testing.F) {
	key := bytes.Repeat([]byte{7}, keyBytes)
	dir := f.TempDir()
	path := filepath.Join(dir, journalFile)
	j, err := openJournal(path, key, 0, "run")
	require.NoError(f, err)
	require.NoError(f, j.add(Record{Op: opBegin, SHA256: strings.Repeat("0", 64), Steps: 1}))
	require.NoError(f, j.add(Record{Op: opApply, Step: intp(0), Check: "1.1.4"}))
	require.NoError(f, j.add(Record{Op: opEnd, State: StateApplied}))
	require.NoError(f, j.close())
	valid := mustReadTB(f, path)
	f.Add(valid, []byte(`{"seq":4,"op":"end","state":"rolled-back"}`))
	f.Add(valid[:len(valid)/2], []byte("\n"))
	f.Add([]byte("\n\n{}\n"), []byte(`,"mac":"`))
	f.Fuzz(func(t *testing.T, data, tail []byte) {
		p := filepath.Join(t.TempDir(), journalFile)
		require.NoError(t, os.WriteFile(p, data, 0o600))
		recs, _, err := readJournal(p, key, "run")
		if err != nil {
			require.ErrorIs(t, err, ErrTampered)
			require.Contains(t, err.Error(), p)
		}
		for i, r := range recs {
			require.Equal(t, i+1, r.Seq)
		}
		if bytes.IndexByte(tail, '\n') >= 0 {
			return
		}
		require.NoError(t, os.WriteFile(p, append(append([]byte(nil), valid...), tail...), 0o600))
		recs, _, err = readJournal(p, key, "run")
		require.NoError(t, err)
		require.Len(t, recs, 3)
	})
}

func mustReadTB(tb testing.TB, path string) []byte {
	b, err := os.ReadFile(path)
	require.NoError(tb, err)
	return b
}
