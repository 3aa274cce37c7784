package remediate

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/winfmt"
)

func regEntries(t *testing.T, name string, b []byte) map[string]winfmt.RegEntry {
	t.Helper()
	f, err := winfmt.ParseReg(name, b)
	require.NoError(t, err)
	assert.Equal(t, 5, f.Version, "REGEDIT5")
	assert.Equal(t, []byte{0xff, 0xfe}, b[:2], "UTF-16LE with BOM")
	out := map[string]winfmt.RegEntry{}
	for _, k := range f.Keys {
		for _, v := range k.Values {
			out[winfmt.NormalizeKey(k.Path)+"|"+strings.ToUpper(v.Name)] = v
		}
	}
	return out
}

func parseINF(t *testing.T, name string, b []byte) *winfmt.INF {
	t.Helper()
	f, err := winfmt.ParseINF(name, b)
	require.NoError(t, err)
	v, ok := f.Get("Version", "signature")
	assert.True(t, ok && v == `"$CHICAGO$"`, "secedit needs [Version]")
	return f
}

// The pack's .reg and .inf files parse back, with the project's own
// readers, to exactly the planned values: targets in apply, the snapshot's
// values in undo.
func TestPackParsesBackToThePlan(t *testing.T) {
	for _, xp := range []bool{false, true} {
		name := "win7"
		if xp {
			name = "xp"
		}
		t.Run(name, func(t *testing.T) {
			h := openSnap(t, writeFixture(t, fixtureOpts{xp: xp, session: consoleTech}))
			p := plan(t, h, testCatalog(t), profileFor(t, xp), "failed", nil)
			out := filepath.Join(t.TempDir(), "pack")
			pk, err := WritePack(p, out, PackOptions{Tool: "medharden", Version: "test"})
			require.NoError(t, err)
			for name, b := range pk.Files {
				disk, err := os.ReadFile(filepath.Join(out, name))
				require.NoError(t, err)
				assert.Equal(t, b, disk, name)
			}
			applyReg := regEntries(t, "apply.reg", pk.Files["apply.reg"])
			undoReg := regEntries(t, "undo.reg", pk.Files["undo.reg"])
			applyINF := parseINF(t, "apply.inf", pk.Files["apply.inf"])
			undoINF := parseINF(t, "undo.inf", pk.Files["undo.inf"])
			applyCmd, undoCmd := string(pk.Files["apply.cmd"]), string(pk.Files["undo.cmd"])
			readme := string(pk.Files["README.txt"])

			var regN, infN int
			kinds := map[Kind]bool{}
			for _, s := range p.Changes() {
				a := s.Setting
				kinds[a.Kind] = true
				switch a.Kind {
				case KindRegistry:
					regN++
					key := normalizeKey(a.Key) + "|" + strings.ToUpper(a.Name)
					e, ok := applyReg[key]
					require.True(t, ok, "apply.reg lacks %s", a)
					assert.True(t, e.Value.Equal(s.Target.Reg()), "apply.reg %s: %x, want %x", a, e.Value.Data, s.Target.RegData)
					u, ok := undoReg[key]
					require.True(t, ok, "undo.reg lacks %s", a)
					if s.Before.Exists {
						assert.False(t, u.Delete)
						assert.True(t, u.Value.Equal(s.Before.Value.Reg()), "undo.reg %s", a)
					} else {
						assert.True(t, u.Delete, "undo.reg deletes %s, which did not exist", a)
					}
				case KindSecPol:
					infN++
					v, ok := applyINF.Get(a.Key, a.Name)
					require.True(t, ok, "apply.inf lacks %s", a)
					assert.Equal(t, s.Target.Text, v)
					u, ok := undoINF.Get(a.Key, a.Name)
					if s.Before.Exists {
						require.True(t, ok, "undo.inf lacks %s", a)
						assert.Equal(t, s.Before.Value.Text, u)
					} else {
						assert.False(t, ok, "secedit cannot un-define %s", a)
						assert.Contains(t, undoCmd, "rem   "+a.String())
						assert.Contains(t, readme, a.String())
					}
				case KindRight:
					infN++
					v, ok := applyINF.Get("Privilege Rights", a.Name)
					require.True(t, ok)
					assert.Equal(t, s.Target.SIDs, winfmt.SplitRights(v), a.String())
					u, ok := undoINF.Get("Privilege Rights", a.Name)
					require.True(t, ok)
					assert.Equal(t, s.Before.Value.SIDs, winfmt.SplitRights(u), a.String())
				case KindService:
					assert.Contains(t, applyCmd, `sc config "`+a.Name+`" start= `+scStart[*s.Target.Start]+"\r\n")
					assert.Contains(t, undoCmd, `sc config "`+a.Name+`" start= `+scStart[*s.Before.Value.Start]+"\r\n")
				case KindAudit:
					line, err := auditpolSet(a.Name, *s.Target.Audit)
					require.NoError(t, err)
					assert.Contains(t, applyCmd, line+"\r\n")
				case KindAccount:
					assert.Contains(t, applyCmd, a.Label)
				}
			}
			assert.Len(t, applyReg, regN, "apply.reg holds the planned values and nothing else")
			assert.Equal(t, infN, infEntries(applyINF)-2, "apply.inf holds the planned keys and [Version]")
			assert.True(t, kinds[KindRegistry] && kinds[KindSecPol] && kinds[KindRight] && kinds[KindService])

			for _, f := range []string{"apply.cmd", "undo.cmd", "README.txt"} {
				b := pk.Files[f]
				assert.Equal(t, bytes.Count(b, []byte("\n")), bytes.Count(b, []byte("\r\n")), "%s uses CRLF", f)
			}
			assert.Contains(t, applyCmd, "reg import apply.reg\r\n")
			assert.Contains(t, applyCmd, `secedit /configure /db "%TEMP%\medharden.sdb" /cfg apply.inf /areas SECURITYPOLICY USER_RIGHTS`)
			assert.Contains(t, undoCmd, "reg import undo.reg\r\n")
			assert.Contains(t, undoCmd, "/cfg undo.inf /areas SECURITYPOLICY USER_RIGHTS")
			assert.Contains(t, applyCmd, `if /i "%COMPUTERNAME%"=="ICU-CS01" goto hostok`)
			if xp {
				assert.NotContains(t, applyCmd, "auditpol", "XP has no auditpol")
			} else {
				assert.Contains(t, applyCmd, "auditpol /set /subcategory:{0cce923f-69ae-11d9-bed3-505054503030} /success:enable /failure:enable")
				assert.Contains(t, undoCmd, "auditpol /set /subcategory:{0cce923f-69ae-11d9-bed3-505054503030} /success:disable /failure:disable")
			}
			// undo runs in reverse: registry last, as apply imports it first.
			assert.Less(t, strings.Index(undoCmd, "sc config"), strings.Index(undoCmd, "reg import undo.reg"))
		})
	}
}

// Running the pack's files through what reg import, secedit, sc, auditpol
// and net user do gives the plan's targets; undo then gives back the
// snapshot's values, except the policy keys secedit cannot un-define.
func TestPackApplyAndUndoOnAHost(t *testing.T) {
	cat, prof := testCatalog(t), profileFor(t, false)
	dir := writeFixture(t, fixtureOpts{session: consoleTech})
	h := openSnap(t, dir)
	want := settingsOf(t, h, cat, prof)
	p := plan(t, h, cat, prof, "failed", nil)
	pk, err := BuildPack(p, PackOptions{Tool: "medharden", Version: "test"})
	require.NoError(t, err)

	runPack(t, h, pk, "apply")
	rep := audit(t, h, cat, prof, nil)
	for _, s := range p.Changes() {
		for _, r := range rep.Results {
			if r.ID == s.CheckID {
				assert.Equal(t, checks.Pass, r.Status, "%s after apply.cmd: %s", r.ID, r.Reason)
			}
		}
	}
	runPack(t, h, pk, "undo")
	got := settingsOf(t, h, cat, prof)
	for _, s := range p.Changes() {
		if s.Setting.Kind == KindSecPol && !s.Before.Exists {
			label := s.CheckID + " " + s.Setting.String()
			assert.Equal(t, showExact(KindSecPol, *s.Target), got[label], "secedit leaves %s as applied", label)
			got[label] = want[label]
		}
	}
	assert.Equal(t, want, got)
}

var (
	scLine      = regexp.MustCompile(`^sc config "([^"]+)" start= (\w+)$`)
	auditLine   = regexp.MustCompile(`^auditpol /set /subcategory:(\{[^}]+\}) /success:(\w+) /failure:(\w+)$`)
	netUserLine = regexp.MustCompile(`^net user "([^"]+)" /active:(yes|no)$`)
	renameLine  = regexp.MustCompile(`^wmic useraccount where "SID='([^']+)'" call rename "([^"]+)"$`)
)

// runPack does what the script's commands do, on the snapshot overlay.
func runPack(t *testing.T, h checks.HostWriter, pk *Pack, which string) {
	t.Helper()
	ctx := context.Background()
	script := strings.ReplaceAll(string(pk.Files[which+".cmd"]), "\r\n", "\n")
	for _, line := range strings.Split(script, "\n") {
		switch {
		case line == "reg import "+which+".reg":
			f, err := winfmt.ParseReg(which+".reg", pk.Files[which+".reg"])
			require.NoError(t, err)
			for _, k := range f.Keys {
				for _, v := range k.Values {
					if v.Delete {
						require.NoError(t, h.DeleteRegValue(ctx, k.Path, v.Name))
					} else {
						require.NoError(t, h.SetRegValue(ctx, k.Path, v.Name, v.Value))
					}
				}
			}
		case strings.HasPrefix(line, "secedit /configure "):
			require.Contains(t, line, "/cfg "+which+".inf")
			f, err := winfmt.ParseINF(which+".inf", pk.Files[which+".inf"])
			require.NoError(t, err)
			for _, s := range f.Sections {
				switch strings.ToLower(s.Name) {
				case "unicode", "version":
					continue
				case "privilege rights":
					for _, e := range s.Entries {
						require.NoError(t, h.SetUserRight(ctx, e.Key, winfmt.SplitRights(e.Value)))
					}
				default:
					for _, e := range s.Entries {
						require.NoError(t, h.SetSecPolicy(ctx, s.Name, e.Key, e.Value))
					}
				}
			}
		case scLine.MatchString(line):
			m := scLine.FindStringSubmatch(line)
			st, ok := map[string]checks.StartType{"boot": 0, "system": 1, "auto": 2, "demand": 3, "disabled": 4}[m[2]]
			require.True(t, ok, line)
			require.NoError(t, h.SetServiceStart(ctx, m[1], st))
		case auditLine.MatchString(line):
			m := auditLine.FindStringSubmatch(line)
			require.NoError(t, h.SetAuditPolicy(ctx, m[1], checks.AuditFlags{Success: m[2] == "enable", Failure: m[3] == "enable"}))
		case netUserLine.MatchString(line):
			m := netUserLine.FindStringSubmatch(line)
			accts, err := h.Accounts(ctx)
			require.NoError(t, err)
			sid := ""
			for _, a := range accts {
				if a.Name == m[1] {
					sid = a.SID
				}
			}
			require.NotEmpty(t, sid, line)
			require.NoError(t, h.SetAccountDisabled(ctx, sid, m[2] == "no"))
		case renameLine.MatchString(line):
			m := renameLine.FindStringSubmatch(line)
			require.NoError(t, h.RenameAccount(ctx, m[1], m[2]))
		case strings.HasPrefix(line, "reg "), strings.HasPrefix(line, "sc "), strings.HasPrefix(line, "auditpol "),
			strings.HasPrefix(line, "net "), strings.HasPrefix(line, "wmic "):
			t.Fatalf("%s.cmd: command the test does not understand: %q", which, line)
		}
	}
}

func TestWritePackRefusesNonEmptyFolder(t *testing.T) {
	h := openSnap(t, writeFixture(t, fixtureOpts{session: consoleTech}))
	p := plan(t, h, testCatalog(t), profileFor(t, false), "failed", nil)
	out := filepath.Join(t.TempDir(), "pack")
	require.NoError(t, os.MkdirAll(out, 0o755))
	_, err := WritePack(p, out, PackOptions{})
	require.NoError(t, err, "an empty folder may be used")

	_, err = WritePack(p, out, PackOptions{})
	require.ErrorIs(t, err, ErrPackExists)
	require.NoError(t, os.WriteFile(filepath.Join(out, "stale.txt"), []byte("x"), 0o644))
	_, err = WritePack(p, out, PackOptions{Force: true})
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(out, "stale.txt"))
	assert.True(t, os.IsNotExist(err), "--force replaces the folder as a whole")
	entries, err := os.ReadDir(filepath.Dir(out))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary folder is left behind")

	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	_, err = WritePack(p, file, PackOptions{Force: true})
	require.ErrorIs(t, err, ErrPackExists)
}
