package snapshot

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

// corpusDir is ../shared/corpus beside the checkout: real files written by
// Windows, Microsoft, DISA and GPMC (see its README). Tests read them in
// place; they are never copied into the project.
func corpusDir(t *testing.T, sub ...string) string {
	t.Helper()
	dir := filepath.Join(append([]string{"..", "..", "..", "shared", "corpus"}, sub...)...)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus folder %s is absent (it sits beside the checkout in CI): %v", dir, err)
	}
	return dir
}

// auditFolder audits a snapshot folder with its OS's default profile.
func auditFolder(t *testing.T, dir string) (*Host, checks.Report) {
	t.Helper()
	h, err := Open(dir)
	require.NoError(t, err, dir)
	ctx := context.Background()
	info, err := h.OS(ctx)
	require.NoError(t, err)
	p, ok := checks.DefaultProfile(info.Family())
	require.True(t, ok, info.Family())
	cat, err := checks.Builtin()
	require.NoError(t, err)
	rep, err := checks.Audit(ctx, h, cat, p, checks.Options{})
	require.NoError(t, err, dir)
	return h, rep
}

// Every real-world folder audits (exit 1, findings), with the outcome its
// README states.
func TestRealWorldCorpusAudits(t *testing.T) {
	root := corpusDir(t, "realworld")
	entries, err := os.ReadDir(root)
	require.NoError(t, err)
	reports := map[string]checks.Report{}
	hosts := map[string]*Host{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		h, rep := auditFolder(t, filepath.Join(root, e.Name()))
		assert.Equal(t, 1, rep.ExitCode(), e.Name())
		reports[e.Name()], hosts[e.Name()] = rep, h
	}
	require.GreaterOrEqual(t, len(reports), 25)

	// The same export in other encodings and line ends, and the templates
	// with and without their entry-only sections, give the same results.
	same := map[string]string{
		"enc-lf": "w7-msdefault", "enc-utf16csv": "w7-msdefault", "enc-utf16nobom": "w7-msdefault",
		"enc-utf8": "w7-msdefault", "enc-utf8bom": "w7-msdefault", "w7-msdefault-ansi": "w7-msdefault",
		"rit-gpo": "rit-gpo-areas", "ccdc-secpol": "ccdc-secpol-areas",
		"trolip-secedit": "trolip-secedit-areas", "gpo-tsumihara-gpttmpl": "gpo-tsumihara-gpttmpl-areas",
	}
	for a, b := range same {
		require.Contains(t, reports, a)
		require.Contains(t, reports, b)
		assert.Equal(t, reports[b].Results, reports[a].Results, "%s differs from %s", a, b)
	}
	sampleHost, sample := auditFolder(t, filepath.Join("..", "..", "testdata", "snapshots", "ICU-CS01-20261118-093000"))
	// The corpus folder keeps older wmic files than the sample (no system
	// language, fewer accounts, no per-user hives): every status must
	// agree, and every value read from the registry exports and
	// secedit.inf too; of the per-user results, the collecting user's. Its
	// exports also predate the LanmanWorkstation service key the collector
	// now exports: 18.3.2 is not collected there (error, never a pass).
	sce := reports["ms-sce-regfiles"].Results
	for _, r := range sce {
		if r.ID == "18.3.2" {
			assert.Equal(t, checks.Error, r.Status)
			assert.Contains(t, r.Reason, "not collected")
		}
	}
	assert.Equal(t,
		verdicts(without(collectorOnly(t, sampleHost, sample.Results), "18.3.2")),
		verdicts(without(collectorOnly(t, hosts["ms-sce-regfiles"], sce), "18.3.2")),
		"Microsoft's SeCEdit .reg exports change no verdict")
	assert.Equal(t, "winxp", reports["xp-msdefault"].Profile)

	ctx := context.Background()
	// w7-msdefault: values as Microsoft's template and the auditpol backup hold them.
	w7 := hosts["w7-msdefault"]
	v, err := w7.SecPolicy(ctx, "System Access", "MinimumPasswordLength")
	require.NoError(t, err)
	assert.Equal(t, "0", v)
	rights, err := w7.UserRight(ctx, "SeNetworkLogonRight")
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"S-1-5-32-551", "S-1-5-32-545", "S-1-5-32-544", "S-1-1-0"}, rights)
	rights, err = w7.UserRight(ctx, "SeDenyInteractiveLogonRight")
	require.NoError(t, err)
	require.Len(t, rights, 1)
	assert.True(t, strings.HasPrefix(rights[0], "S-1-5-21-") && strings.HasSuffix(rights[0], "-501"), "GUEST resolves to the local Guest account's SID, got %s", rights[0])
	rv, err := w7.RegValue(ctx, `HKLM\SYSTEM\CurrentControlSet\Control\Lsa`, "RestrictAnonymous")
	require.NoError(t, err)
	assert.True(t, checks.DWORDValue(0).Equal(rv))
	af, err := w7.AuditPolicy(ctx, "{0CCE9216-69AE-11D9-BED3-505054503030}") // Logoff: Success
	require.NoError(t, err)
	assert.Equal(t, checks.AuditFlags{Success: true}, af)

	// rit-auditpol: a GPO-style audit.csv (lower-case GUIDs, "Audit ..."
	// names, global SACL rows) reads as written.
	rit := hosts["rit-auditpol"]
	for guid, want := range map[string]checks.AuditFlags{
		"{0CCE923F-69AE-11D9-BED3-505054503030}": {Success: true, Failure: true}, // Credential Validation
		"{0CCE9216-69AE-11D9-BED3-505054503030}": {Success: true},                // Logoff
		"{0CCE921D-69AE-11D9-BED3-505054503030}": {Failure: true},                // File System
	} {
		got, err := rit.AuditPolicy(ctx, guid)
		require.NoError(t, err, guid)
		assert.Equal(t, want, got, guid)
	}

	// The DISA STIG's LockoutDuration = -1 is read as written.
	v, err = hosts["w2k8r2-stig-baseline"].SecPolicy(ctx, "System Access", "LockoutDuration")
	require.NoError(t, err)
	assert.Equal(t, "-1", v)

	// trolip-secedit: the DoD banner with Group Policy's "," escape reads
	// as the text Windows shows, commas in place, one line per item.
	for _, name := range []string{"trolip-secedit", "trolip-secedit-areas"} {
		rv, err := hosts[name].RegValue(ctx, `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System`, "LegalNoticeText")
		require.NoError(t, err, name)
		require.Equal(t, checks.RegSZ, rv.Type, name)
		lines := strings.Split(rv.String(), "\r\n")
		require.Len(t, lines, 7, name)
		assert.Equal(t, "By using this IS (which includes any device attached to this IS), you consent to the following conditions:", lines[1])
		assert.True(t, strings.HasPrefix(lines[2], "-The USG routinely intercepts and monitors communications on this IS for purposes including, but not limited to, penetration testing, COMSEC monitoring,"), lines[2])
		assert.NotContains(t, rv.String(), `"`)
	}
}

// A GPO backup's GptTmpl.inf, with all its sections, serves as a
// snapshot's secedit.inf: the folder audits and the values it sets are
// read and judged as it sets them.
func TestGPOTemplateAsSecedit(t *testing.T) {
	tmpl := filepath.Join(corpusDir(t, "gpo", "scm-server2008r2-member"), "GptTmpl.inf")
	dir := t.TempDir()
	sample := filepath.Join("..", "..", "testdata", "snapshots", "ICU-CS01-20261118-093000")
	// The sample's wmic files, collect.log and auditpol.csv; no reg exports,
	// so every registry value comes from the template.
	for _, rel := range []string{"collect.log", "auditpol.csv", "wmic"} {
		copyTree(t, filepath.Join(sample, rel), filepath.Join(dir, rel))
	}
	copyTree(t, tmpl, filepath.Join(dir, "secedit.inf"))

	h, rep := auditFolder(t, dir)
	assert.Equal(t, 1, rep.ExitCode())
	ctx := context.Background()

	v, err := h.SecPolicy(ctx, "System Access", "EnableGuestAccount")
	require.NoError(t, err)
	assert.Equal(t, "0", v)
	_, err = h.SecPolicy(ctx, "System Access", "MinimumPasswordLength")
	assert.ErrorIs(t, err, checks.ErrAbsent, "a key the template does not set is not defined")
	_, err = h.SecPolicy(ctx, "Event Audit", "AuditLogonEvents")
	assert.ErrorIs(t, err, checks.ErrNotCollected, "the template has no [Event Audit]")

	rights, err := h.UserRight(ctx, "SeDenyNetworkLogonRight")
	require.NoError(t, err)
	assert.Equal(t, []string{"S-1-5-32-546"}, rights)
	rights, err = h.UserRight(ctx, "SeTcbPrivilege")
	require.NoError(t, err)
	assert.Empty(t, rights, "SeTcbPrivilege= is No One")

	rv, err := h.RegValue(ctx, `HKLM\SYSTEM\CurrentControlSet\Control\Lsa`, "RestrictAnonymousSAM")
	require.NoError(t, err)
	assert.True(t, checks.DWORDValue(1).Equal(rv))
	rv, err = h.RegValue(ctx, `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon`, "AllocateDASD")
	require.NoError(t, err)
	assert.True(t, checks.StringValue(checks.RegSZ, "2").Equal(rv))
	rv, err = h.RegValue(ctx, `HKLM\SYSTEM\CurrentControlSet\Control\SecurePipeServers\Winreg\AllowedPaths`, "Machine")
	require.NoError(t, err)
	require.Equal(t, checks.RegMultiSZ, rv.Type)
	items := rv.Strings()
	require.Len(t, items, 11)
	assert.Equal(t, `System\CurrentControlSet\Control\Print\Printers`, items[0])
	assert.Equal(t, `System\CurrentControlSet\Services\SysmonLog`, items[10])

	// Judged: the checks reading these settings give the verdicts the values call for.
	bySource := map[string]checks.Status{}
	for _, r := range rep.Results {
		bySource[r.Source] = r.Status
	}
	for src, want := range map[string]checks.Status{
		`[System Access] EnableGuestAccount`:                                      checks.Pass,
		`[System Access] LSAAnonymousNameLookup`:                                  checks.Pass,
		`[Privilege Rights] SeDebugPrivilege`:                                     checks.Pass,
		`[Privilege Rights] SeDenyNetworkLogonRight`:                              checks.Fail, // Guests only; CIS also wants Local account
		`HKLM\SYSTEM\CurrentControlSet\Control\Lsa\RestrictAnonymousSAM`:          checks.Pass,
		`HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon\AllocateDASD`: checks.Pass,
		`[System Access] MinimumPasswordLength`:                                   checks.Fail, // not defined
	} {
		got, ok := bySource[src]
		if assert.True(t, ok, "no result reads %s", src) {
			assert.Equal(t, want, got, src)
		}
	}
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	st, err := os.Stat(src)
	require.NoError(t, err)
	if !st.IsDir() {
		in, err := os.Open(src)
		require.NoError(t, err)
		defer in.Close()
		out, err := os.Create(dst)
		require.NoError(t, err)
		_, err = io.Copy(out, in)
		require.NoError(t, err)
		require.NoError(t, out.Close())
		return
	}
	require.NoError(t, os.MkdirAll(dst, 0o755))
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range entries {
		copyTree(t, filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()))
	}
}

// without drops one check's result.
func without(rs []checks.Result, id string) []checks.Result {
	var out []checks.Result
	for _, r := range rs {
		if r.ID != id {
			out = append(out, r)
		}
	}
	return out
}

// collectorOnly drops the per-user results of everyone but the collecting
// user.
func collectorOnly(t *testing.T, h *Host, rs []checks.Result) []checks.Result {
	sid := h.collectorSID()
	require.NotEmpty(t, sid)
	var out []checks.Result
	for _, r := range rs {
		if r.User == nil || strings.EqualFold(r.User.SID, sid) {
			out = append(out, r)
		}
	}
	return out
}

// verdicts reduces results to what a check decided: its id and status,
// and the value seen where it came from the registry or secedit.inf.
func verdicts(rs []checks.Result) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID + " " + string(r.Status)
		if strings.HasPrefix(r.Source, "HK") || strings.HasPrefix(r.Source, "[") {
			out[i] += " " + r.Actual
		}
	}
	return out
}
