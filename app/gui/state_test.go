package gui

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/snapshot/collector"
	"medharden/remediate"
)

var (
	sampleDir   = filepath.Join("..", "..", "testdata", "snapshots", "ICU-CS01-20261118-093000")
	hardenedDir = filepath.Join("..", "..", "testdata", "snapshots", "ICU-CS01-20261118-151500")
	xpDir       = filepath.Join("..", "..", "testdata", "snapshots", "PUMPSRV-XP-20261119-084500")
)

func loaded(t *testing.T) *State {
	t.Helper()
	s := NewState("0.1.0")
	s.Root = t.TempDir()
	t.Cleanup(s.Close)
	require.NoError(t, s.Load(context.Background(), sampleDir))
	return s
}

func TestSection(t *testing.T) {
	for _, tc := range []struct{ id, want string }{
		{"1.1.4", "1"},
		{"1.2.1", "1"},
		{"2.2.5", "2.2"},
		{"2.3.17.7", "2.3"},
		{"9.1.1", "9"},
		{"17.5.1", "17"},
		{"18.9.47.4.1", "18.9"},
		{"18.4.1", "18.4"},
		{"19.1.3.1", "19"},
		{"MH-PATCH-1", "MH"},
		{"STIG:V-1112", "STIG"},
		{"2", "2"},
	} {
		assert.Equal(t, tc.want, Section(tc.id), tc.id)
	}
}

func TestSectionsOrder(t *testing.T) {
	rs := []checks.Result{{ID: "MH-ACC-1"}, {ID: "18.9.1.1"}, {ID: "2.3.1.1"}, {ID: "18.4.2"}, {ID: "9.1.1"}, {ID: "1.1.1"}, {ID: "2.2.1"}, {ID: "17.1.1"}, {ID: "STIG:V-1"}}
	assert.Equal(t, []string{"1", "2.2", "2.3", "9", "17", "18.4", "18.9", "MH", "STIG"}, Sections(rs))
}

func TestLoadSample(t *testing.T) {
	s := NewState("0.1.0")
	t.Cleanup(s.Close)
	assert.Equal(t, "medharden 0.1.0", s.Title())
	assert.False(t, s.Opened())
	require.NoError(t, s.Load(context.Background(), sampleDir))
	assert.Equal(t, "medharden 0.1.0 — ICU-CS01 (snapshot)", s.Title())
	assert.True(t, s.IsSnapshot())
	rep, ok := s.Report()
	require.True(t, ok)
	assert.Equal(t, "cis-win7-l1", rep.Profile)
	assert.NotEmpty(t, rep.Results)
	assert.Greater(t, rep.Summary.Fail, 0)
	assert.Contains(t, s.Sections(), "2.3")
	assert.Contains(t, s.Sections(), "MH")
}

func TestLoadErrors(t *testing.T) {
	s := NewState("0.1.0")
	err := s.Load(context.Background(), filepath.Join(t.TempDir(), "missing"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing")
	assert.False(t, s.Opened())
	require.Error(t, s.Audit(context.Background()))
	_, err = s.NewPlan(context.Background(), remediate.Selection{Mode: "failed"})
	require.Error(t, err)
}

// A profile for another Windows version is refused, as on the command
// line, never silently replaced.
func TestProfileForAnotherWindowsIsRefused(t *testing.T) {
	s := NewState("0.1.0")
	t.Cleanup(s.Close)
	require.NoError(t, s.SetProfile("cis-win7-l2"))
	require.NoError(t, s.Load(context.Background(), sampleDir))
	assert.Equal(t, "cis-win7-l2", s.Profile())
	err := s.Load(context.Background(), xpDir)
	require.ErrorIs(t, err, checks.ErrProfileMismatch)
	assert.Equal(t, "cis-win7-l2", s.Profile(), "the open target stays")
	assert.False(t, s.IsSnapshot() && s.Source() != "" && strings.Contains(s.Source(), "PUMPSRV"), "the XP snapshot is not opened")
	require.NoError(t, s.SetProfile(""))
	require.NoError(t, s.Load(context.Background(), xpDir))
	assert.Equal(t, "winxp", s.Profile())
	assert.Error(t, s.SetProfile("no-such-profile"))
}

func TestFilter(t *testing.T) {
	s := loaded(t)
	rep, _ := s.Report()
	for _, tc := range []struct {
		name string
		f    Filter
		ok   func(r checks.Result) bool
	}{
		{"all", Filter{}, func(checks.Result) bool { return true }},
		{"failed", Filter{Status: checks.Fail}, func(r checks.Result) bool { return r.Status == checks.Fail }},
		{"passed", Filter{Status: checks.Pass}, func(r checks.Result) bool { return r.Status == checks.Pass }},
		{"capability", Filter{Capability: "PAUT"}, func(r checks.Result) bool { return hasString(r.Capabilities, "PAUT") }},
		{"section", Filter{Section: "2.3"}, func(r checks.Result) bool { return strings.HasPrefix(r.ID, "2.3.") }},
		{"text in title", Filter{Text: "PASSWORD"}, func(r checks.Result) bool {
			return strings.Contains(strings.ToLower(r.ID+r.Title+r.Expected+r.Actual+r.Reason+r.Source), "password")
		}},
		{"all at once", Filter{Status: checks.Fail, Capability: "PAUT", Section: "1", Text: "lockout"}, func(r checks.Result) bool {
			return r.Status == checks.Fail && hasString(r.Capabilities, "PAUT") && Section(r.ID) == "1" &&
				strings.Contains(strings.ToLower(r.ID+r.Title+r.Expected+r.Actual+r.Reason+r.Source), "lockout")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := s.Filter(tc.f)
			want := 0
			for _, r := range rep.Results {
				if tc.ok(r) {
					want++
				}
			}
			assert.Len(t, got, want)
			assert.NotEmpty(t, got)
			for _, r := range got {
				assert.True(t, tc.ok(r), r.ID)
			}
		})
	}
	assert.Len(t, s.Filter(Filter{Status: checks.Fail}), rep.Summary.Fail)
	assert.Empty(t, s.Filter(Filter{Text: "no check says this"}))
}

func TestDetail(t *testing.T) {
	s := loaded(t)
	d, ok := s.Detail("1.2.1")
	require.True(t, ok)
	assert.NotEmpty(t, d.Rationale)
	assert.NotEmpty(t, d.Tradeoff, "lockout has an emergency-access trade-off")
	assert.Contains(t, d.Fix, "Set to")
	assert.Contains(t, d.Setting, "LockoutDuration")
	require.NotEmpty(t, d.Capabilities)
	for _, c := range d.Capabilities {
		assert.NotEmpty(t, c.Name, c.Code)
		assert.NotEmpty(t, c.Meaning, c.Code)
	}
	var heads []string
	for _, p := range d.Parts() {
		heads = append(heads, p.Heading)
	}
	assert.Equal(t, []string{"Result", "Rationale", "Remediation", "Emergency access and usability trade-off",
		"Expected", "Actual", "Reason", "Source", "Setting", "IEC 80001-2-2 capabilities"}, heads,
		"the result, what it means, the fix and its trade-off, then the technical record")
	for _, p := range d.Parts() {
		switch p.Heading {
		case "Expected":
			assert.Equal(t, "must be 15 or more minutes, or be one of -1 or 0", p.Body, "the expectation in words")
		case "Reason":
			assert.True(t, strings.HasPrefix(p.Body, "The setting "), "the reason is a sentence: %q", p.Body)
			assert.NotContains(t, p.Body, "should be")
		}
	}
	_, ok = s.Detail("no-such-check")
	assert.False(t, ok)
}

func TestCapabilityMeaningsCoverEveryCode(t *testing.T) {
	for _, code := range checks.CapabilityCodes() {
		c := CapabilityInfo(code)
		assert.NotEmpty(t, c.Meaning, code)
		assert.Equal(t, checks.Capabilities[code], c.Name)
	}
	assert.Equal(t, "(not an 80001-2-2 capability)", CapabilityInfo("XXXX").Name)
}

func TestSelection(t *testing.T) {
	s := loaded(t)
	sel, err := s.Selection("failed", "")
	require.NoError(t, err)
	assert.Equal(t, "failed", sel.String())
	_, err = s.Selection("capability", "")
	assert.Error(t, err)
	sel, err = s.Selection("capability", "PAUT")
	require.NoError(t, err)
	assert.Equal(t, "capability:PAUT", sel.String())
	_, err = s.Selection("ids", "")
	assert.Error(t, err, "nothing picked")
	s.Pick("1.1.4", true)
	s.Pick("1.1.1", true)
	s.Pick("1.1.5", true)
	s.Pick("1.1.5", false)
	sel, err = s.Selection("ids", "")
	require.NoError(t, err)
	assert.Equal(t, []string{"1.1.1", "1.1.4"}, sel.IDs, "report order")
}

// TestPlanApplyRollback runs the remediation round trip on the snapshot's
// in-memory overlay through State, as the Remediate and Backups tabs do.
func TestPlanApplyRollback(t *testing.T) {
	s := loaded(t)
	before, _ := s.Report()
	for _, tc := range []struct {
		name string
		sel  remediate.Selection
	}{
		{"one capability", remediate.Selection{Mode: "capability", Capability: "ALOF"}},
		{"single checks", remediate.Selection{Mode: "ids", IDs: []string{"1.1.1", "1.1.4"}}},
		{"all failed", remediate.Selection{Mode: "failed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := s.NewPlan(context.Background(), tc.sel)
			require.NoError(t, err)
			require.NotEmpty(t, p.Changes())
			assert.Same(t, p, s.Plan())
			var calls, last, total int
			out, err := s.Apply(context.Background(), p, func(done, n int) { calls, last, total = calls+1, done, n })
			require.NoError(t, err)
			assert.Equal(t, len(p.Changes()), total)
			assert.Equal(t, total, last, "progress reaches the end")
			assert.Equal(t, len(p.Changes()), calls)
			assert.Len(t, out.Changed, len(p.Changes()))
			after, _ := s.Report()
			assert.Less(t, after.Summary.Fail, before.Summary.Fail, "the audit is run again")
			assert.Nil(t, s.Plan(), "a plan is stale after apply")

			runs, err := s.Backups()
			require.NoError(t, err)
			require.NotEmpty(t, runs)
			assert.Equal(t, out.Run, runs[0].ID)
			assert.True(t, CanRollback(runs[0]))
			rb, err := s.Rollback(context.Background(), runs[0], nil)
			require.NoError(t, err)
			assert.False(t, rb.Already)
			assert.Len(t, rb.Restored, len(out.Changed))
			back, _ := s.Report()
			assert.Equal(t, before.Summary.Counts, back.Summary.Counts, "rollback restores the audit")

			runs, err = s.Backups()
			require.NoError(t, err)
			assert.False(t, CanRollback(runs[0]), "rolled back")
			again, err := s.Rollback(context.Background(), runs[0], nil)
			require.NoError(t, err)
			assert.True(t, again.Already, "twice is the same as once")
		})
	}
	// Snapshot runs live outside the system's folder and go with the session.
	root, err := s.RunsRoot()
	require.NoError(t, err)
	assert.NotEqual(t, s.Root, root)
	s.Close()
	_, err = os.Stat(root)
	assert.True(t, os.IsNotExist(err))
}

func TestApplyCancelled(t *testing.T) {
	s := loaded(t)
	before, _ := s.Report()
	p, err := s.NewPlan(context.Background(), remediate.Selection{Mode: "failed"})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = s.Apply(ctx, p, nil)
	require.Error(t, err)
	after, _ := s.Report()
	assert.Equal(t, before.Summary.Counts, after.Summary.Counts, "nothing changed")
}

func TestSaveReport(t *testing.T) {
	s := loaded(t)
	dir := t.TempDir()
	for _, tc := range []struct{ file, format, want string }{
		{"r.html", "html", "<html"},
		{"r.json", "json", `"results"`},
		{"r.csv", "csv", "1.1.1"},
		{"r.txt", "text", "ICU-CS01"},
	} {
		f, ok := FormatFor(tc.file)
		require.True(t, ok)
		assert.Equal(t, tc.format, f)
		path := filepath.Join(dir, tc.file)
		require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))
		require.NoError(t, s.SaveReport(path, tc.format))
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Contains(t, string(b), tc.want)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "r.json"))
	var rep checks.Report
	require.NoError(t, json.Unmarshal(b, &rep))
	assert.Equal(t, "ICU-CS01", rep.Host.Hostname)
	left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	assert.Empty(t, left, "no temporary files left")
	_, ok := FormatFor("r.pdf")
	assert.False(t, ok)
	assert.Error(t, s.SaveReport(filepath.Join(dir, "no", "such", "dir.html"), "html"))
	assert.Error(t, NewState("x").SaveReport(filepath.Join(dir, "x.html"), "html"), "no report yet")
}

func TestWriteCollector(t *testing.T) {
	s := NewState("0.1.0")
	dir := filepath.Join(t.TempDir(), "usb")
	assert.False(t, CollectorDiffers(dir))
	path, err := s.WriteCollector(dir, false)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, collector.FileName), path)
	assert.False(t, CollectorDiffers(dir), "same version")
	require.NoError(t, os.WriteFile(path, []byte("echo old\r\n"), 0o644))
	assert.True(t, CollectorDiffers(dir))
	_, err = s.WriteCollector(dir, true)
	require.NoError(t, err)
	assert.False(t, CollectorDiffers(dir))
}

var tailoring = `profile: cis-win7-l1
waivers:
  - id: "1.1.4"
    justification: "Vendor PIN login until the 2027 upgrade"
    approver: "Biomedical engineering"
    expires: ` + time.Now().AddDate(1, 0, 0).Format("2006-01-02") + `
overrides:
  "1.2.2": 5
`

func TestTailoring(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site.yaml")
	require.NoError(t, os.WriteFile(path, []byte(tailoring), 0o644))
	s := loaded(t)
	require.NoError(t, s.SetTailoring(path))
	assert.Equal(t, path, s.Tailoring())
	require.NoError(t, s.Audit(context.Background()))
	r, ok := s.Result("1.1.4")
	require.True(t, ok)
	assert.Equal(t, checks.Waived, r.Status)
	r, ok = s.Result("1.2.2")
	require.True(t, ok)
	assert.Contains(t, r.Expected, "5", "the override is the expectation")

	require.NoError(t, s.SetTailoring(""))
	require.NoError(t, s.Audit(context.Background()))
	r, _ = s.Result("1.1.4")
	assert.NotEqual(t, checks.Waived, r.Status)

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("overrides:\n  \"9.9.9.9\": 1\n"), 0o644))
	err := s.SetTailoring(bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "9.9.9.9")
}

func TestInventory(t *testing.T) {
	dir := t.TempDir()
	snap := filepath.Join(dir, "ICU-CS01-20261118-093000")
	require.NoError(t, copyDir(sampleDir, snap))
	s := NewState("0.1.0")
	t.Cleanup(s.Close)
	require.NoError(t, s.Load(context.Background(), snap))
	rec, _, err := s.Inventory(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "ICU-CS01", rec.Identity.Hostname)
	assert.Contains(t, InventoryText(rec), "ICU-CS01")

	assert.Error(t, ValidateField("asset_tag", "bad tag!"))
	assert.NoError(t, ValidateField("asset_tag", "ICU-0042"))
	assert.Error(t, ValidateField("criticality", "extreme"))
	fields := filepath.Join(dir, "ICU-CS01-asset-fields.json")
	assert.Equal(t, fields, s.FieldsSuggestion(""), "next to the snapshot, not in it")
	rec.Fields.AssetTag = "bad tag!"
	err = s.SaveFieldsTo(fields, rec.Fields)
	require.Error(t, err)
	assert.Contains(t, FieldErrors(err), "asset_tag")
	rec.Fields.AssetTag = "ICU-0042"
	require.Error(t, s.SaveFieldsTo(filepath.Join(snap, "asset-fields.json"), rec.Fields), "never into the evidence")
	require.NoError(t, s.SaveFieldsTo(fields, rec.Fields))
	again, file, err := s.Inventory(context.Background())
	require.NoError(t, err)
	assert.Equal(t, fields, file)
	assert.Equal(t, "ICU-0042", again.Fields.AssetTag)

	out := filepath.Join(dir, "inv.json")
	require.NoError(t, s.ExportInventory(out, "json", again))
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(b), "ICU-0042")
}

func copyDir(src, dst string) error {
	return filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(target, b, 0o644); err != nil {
			return err
		}
		return os.Chtimes(target, info.ModTime(), info.ModTime())
	})
}

func TestGLVersion(t *testing.T) {
	for _, tc := range []struct {
		in           string
		major, minor int
		ok, enough   bool
	}{
		{"1.1.0", 1, 1, true, false},
		{"2.0.0", 2, 0, true, false},
		{"2.1 Mesa 23.2.1", 2, 1, true, true},
		{"2.1.2 NVIDIA 340.108", 2, 1, true, true},
		{"4.6.0 NVIDIA 537.13", 4, 6, true, true},
		{"3.3.0 - Build 27.20.100.8681", 3, 3, true, true},
		{"", 0, 0, false, false},
		{"OpenGL ES 2.0", 0, 0, false, false},
	} {
		major, minor, ok := parseGLVersion(tc.in)
		assert.Equal(t, tc.ok, ok, tc.in)
		if ok {
			assert.Equal(t, [2]int{tc.major, tc.minor}, [2]int{major, minor}, tc.in)
		}
		assert.Equal(t, tc.enough, glVersionOK(tc.in), tc.in)
	}
}

func TestNoGLMessage(t *testing.T) {
	err := &glError{Version: "1.1.0", Renderer: "GDI Generic", Cause: "OpenGL 2.1 or later is needed"}
	assert.ErrorIs(t, err, ErrNoOpenGL)
	msg := noGLMessage(err)
	assert.Contains(t, msg, "GDI Generic")
	assert.Contains(t, msg, "medharden audit --format html --out report.html")
	assert.Contains(t, msg, "Remote Desktop")
}

func TestGLLogWatch(t *testing.T) {
	var w glLogWatch
	w.Write([]byte("2026/11/24 10:00:00 Fyne error:  Error parsing user locale C\n"))
	assert.Empty(t, w.cause(), "other Fyne errors are not a window failure")
	w.Write([]byte("2026/11/24 10:00:01 Fyne error:  window creation error\n"))
	w.Write([]byte("2026/11/24 10:00:01   Cause: WGL: The driver does not appear to support OpenGL\n"))
	w.Write([]byte("2026/11/24 10:00:01   At: window_desktop.go:763\n"))
	assert.Equal(t, "Fyne error: window creation error; Cause: WGL: The driver does not appear to support OpenGL", w.cause())
}
