package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/app/workflow"
	"medharden/remediate"
)

var runLine = regexp.MustCompile(`Run (\S+): \d+ changes applied`)

func withStdin(t *testing.T, s string) {
	old := stdin
	stdin = strings.NewReader(s)
	t.Cleanup(func() { stdin = old })
}

func TestPlanCommand(t *testing.T) {
	runs := t.TempDir()
	code, out, stderr := runCLI("plan", "--snapshot", sample(win7Vendor), "--runs", runs)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Remediation plan for ICU-CS01")
	assert.Contains(t, out, "Changes (")
	assert.Contains(t, out, "refused (logged-on-account)", "the collecting Administrator is protected")

	code, out, stderr = runCLI("plan", "--snapshot", sample(win7Vendor), "--runs", runs, "--format", "json", "--select", "ids:1.1.1,2.3.1.1")
	require.Equal(t, 0, code, stderr)
	var p remediate.Plan
	require.NoError(t, json.Unmarshal([]byte(out), &p))
	require.Len(t, p.Steps, 2)
	assert.Equal(t, "1.1.1", p.Steps[0].CheckID)
	assert.Equal(t, remediate.GuardLoggedOn, p.Steps[1].Guard)

	code, _, stderr = runCLI("plan", "--snapshot", sample(xpVendor), "--runs", runs, "--select", "capability:AUDT")
	assert.Equal(t, 0, code, stderr)

	for _, bad := range [][]string{
		{"plan", "--select", "some"},
		{"plan", "--select", "capability:NOPE"},
		{"plan", "--format", "xml"},
		{"plan", "extra"},
		{"plan", "--snapshot", sample(win7Vendor), "--profile", "winxp"},
	} {
		code, _, stderr := runCLI(append(bad, "--runs", runs)...)
		assert.Equal(t, 2, code, "%v: %s", bad, stderr)
	}
}

func TestTailoringFileErrorsAreInputErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "site.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("profile: cis-win7-l1\nwaivers:\n  - id: \"1.1.1\"\n    justification: x\n    expires: 2027-13-01\n"), 0o644))
	code, _, stderr := runCLI("plan", "--snapshot", sample(win7Vendor), "--runs", dir, "--tailoring", bad)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "site.yaml:5: expires")

	bomb := filepath.Join(dir, "bomb.yaml")
	require.NoError(t, os.WriteFile(bomb, []byte("a: &a [x, x]\nb: [*a, *a]\n"), 0o644))
	code, _, stderr = runCLI("apply", "--snapshot", sample(win7Vendor), "--runs", dir, "--tailoring", bomb, "--yes")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "bomb.yaml:1:")

	conflict := filepath.Join(dir, "xp.yaml")
	require.NoError(t, os.WriteFile(conflict, []byte("profile: winxp\n"), 0o644))
	code, _, stderr = runCLI("plan", "--snapshot", sample(win7Vendor), "--runs", dir, "--tailoring", conflict, "--profile", "cis-win7-l1")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "xp.yaml:1")

	code, _, stderr = runCLI("audit", "--snapshot", sample(win7Vendor), "--tailoring", conflict, "--profile", "cis-win7-l1")
	assert.Equal(t, 2, code, "audit refuses the conflict as plan does")
	assert.Contains(t, stderr, "xp.yaml:1")

	code, _, stderr = runCLI("plan", "--snapshot", sample(win7Vendor), "--runs", dir, "--tailoring", filepath.Join(dir, "missing.yaml"))
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "missing.yaml")
}

func TestApplyBackupsRollback(t *testing.T) {
	runs := t.TempDir()
	tailoring := filepath.Join(t.TempDir(), "site.yaml")
	require.NoError(t, os.WriteFile(tailoring, []byte("waivers:\n  - {id: \"1.1.1\", justification: vendor, approver: IT, expires: "+time.Now().AddDate(1, 0, 0).Format("2006-01-02")+"}\noverrides:\n  \"1.2.2\": 5\n"), 0o644))

	withStdin(t, "n\n")
	code, out, _ := runCLI("apply", "--snapshot", sample(win7Vendor), "--runs", runs)
	assert.Equal(t, 1, code, "declined")
	assert.Contains(t, out, "? [y/N]")
	assert.Contains(t, out, "Nothing was changed.")

	withStdin(t, "y\n")
	code, out, stderr := runCLI("apply", "--snapshot", sample(win7Vendor), "--runs", runs, "--tailoring", tailoring)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "dry demonstration")
	assert.Contains(t, out, "[System Access] LockoutBadCount: 0 -> 5", "the override is the target")
	assert.NotContains(t, out, "PasswordHistorySize: 0 -> 24", "a waived check is not changed")
	assert.Contains(t, out, "Verified:")
	m := runLine.FindStringSubmatch(out)
	require.NotNil(t, m, out)
	id := m[1]

	code, out, stderr = runCLI("backups", "--runs", runs)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, id)
	assert.Contains(t, out, "applied")

	code, out, stderr = runCLI("rollback", id, "--runs", runs)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "rolled back")
	code, out, stderr = runCLI("rollback", id, "--runs", runs)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "already rolled back")

	code, out, _ = runCLI("backups", "--runs", runs, "--format", "json")
	require.Equal(t, 0, code)
	var rows []backupRow
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	require.Len(t, rows, 1)
	assert.Equal(t, remediate.StateRolledBack, rows[0].State)

	code, _, _ = runCLI("rollback", "no-such-run", "--runs", runs)
	assert.Equal(t, 2, code)
	code, _, _ = runCLI("rollback", "--runs", runs)
	assert.Equal(t, 2, code)
}

// An interrupted run blocks plan and apply until it is resolved.
func TestInterruptedRunIsReported(t *testing.T) {
	runs := t.TempDir()
	code, out, stderr := runCLI("apply", "--snapshot", sample(win7Vendor), "--runs", runs, "--yes")
	require.Equal(t, 0, code, stderr)
	id := runLine.FindStringSubmatch(out)[1]
	// Cut the journal back to before verification, as a crash would. A
	// rehearsal on a snapshot is kept beside the runs folder.
	journal := filepath.Join(workflow.RehearsalsBeside(runs), id, "journal.jsonl")
	b, err := os.ReadFile(journal)
	require.NoError(t, err)
	i := strings.Index(string(b), `"op":"verified"`)
	require.Greater(t, i, 0)
	require.NoError(t, os.WriteFile(journal, b[:strings.LastIndexByte(string(b[:i]), '\n')+1], 0o600))

	for _, args := range [][]string{
		{"plan", "--snapshot", sample(win7Vendor)},
		{"apply", "--snapshot", sample(win7Vendor), "--yes"},
		{"backups"},
	} {
		code, _, stderr := runCLI(append(args, "--runs", runs)...)
		assert.Equal(t, 1, code, "%v", args)
		assert.Contains(t, stderr, "was interrupted", "%v", args)
		assert.Contains(t, stderr, "medharden rollback "+id)
		assert.Contains(t, stderr, "apply --resume")
	}
	code, out, stderr = runCLI("apply", "--resume", "--runs", runs)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Resuming run "+id)
	code, _, stderr = runCLI("plan", "--snapshot", sample(win7Vendor), "--runs", runs)
	assert.Equal(t, 0, code, stderr)
	code, _, _ = runCLI("apply", "--resume", "--runs", runs)
	assert.Equal(t, 2, code, "nothing left to resume")
}

func TestRollbackRefusesTamperedBackup(t *testing.T) {
	runs := t.TempDir()
	code, out, stderr := runCLI("apply", "--snapshot", sample(win7Vendor), "--runs", runs, "--yes", "--select", "ids:1.1.1,1.1.4")
	require.Equal(t, 0, code, stderr)
	id := runLine.FindStringSubmatch(out)[1]
	path := filepath.Join(workflow.RehearsalsBeside(runs), id, "backup.json")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.Chmod(path, 0o600))
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(b), `"text": "0"`, `"text": "7"`, 1)), 0o600))

	code, _, stderr = runCLI("rollback", id, "--runs", runs)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "HMAC")
	assert.Contains(t, stderr, "--force")
	code, _, stderr = runCLI("rollback", id, "--runs", runs, "--force")
	assert.Equal(t, 0, code, stderr)
}

func TestRemediatePack(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pack")
	code, stdout, stderr := runCLI("remediate", "--snapshot", sample(xpVendor), "--pack", out)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "apply.cmd")
	for _, f := range []string{"apply.cmd", "undo.cmd", "apply.reg", "undo.reg", "apply.inf", "undo.inf", "README.txt"} {
		_, err := os.Stat(filepath.Join(out, f))
		assert.NoError(t, err, f)
	}
	cmd, err := os.ReadFile(filepath.Join(out, "apply.cmd"))
	require.NoError(t, err)
	assert.NotContains(t, string(cmd), "auditpol", "XP has no auditpol")

	code, _, stderr = runCLI("remediate", "--snapshot", sample(xpVendor), "--pack", out)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "not empty")
	code, _, stderr = runCLI("remediate", "--snapshot", sample(xpVendor), "--pack", out, "--force")
	assert.Equal(t, 0, code, stderr)

	code, _, _ = runCLI("remediate", "--pack", out)
	assert.Equal(t, 2, code, "--snapshot is required")
}
