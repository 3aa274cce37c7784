package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/app/workflow"
)

func TestBaselineAndDriftCLI(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "b.json")
	code, out, errs := runCLI("baseline", "save", "--snapshot", sample(win7Vendor), "--out", base)
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "ICU-CS01")

	code, out, errs = runCLI("drift", "--baseline", base, "--snapshot", sample(win7Vendor))
	assert.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "No drift")

	code, out, _ = runCLI("drift", "--baseline", base, "--snapshot", sample(win7Hardened), "--format", "json")
	assert.Equal(t, exitFindings, code)
	var r workflow.DriftReport
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	kinds := map[string]bool{}
	for _, d := range r.Drift {
		kinds[string(d.Address.Kind)] = true
	}
	for _, k := range []string{"registry", "secpol", "audit", "right", "service", "account"} {
		assert.True(t, kinds[k], "no %s drift", k)
	}

	code, out, _ = runCLI("drift", "--baseline", base, "--snapshot", sample(win7Hardened))
	assert.Equal(t, exitFindings, code)
	assert.Contains(t, out, "[System Access] PasswordHistorySize")
	assert.Contains(t, out, "checks 1.1.1")

	data, err := os.ReadFile(base)
	require.NoError(t, err)
	tampered := filepath.Join(dir, "tampered.json")
	require.NoError(t, os.WriteFile(tampered, bytes.Replace(data, []byte(`"shown": "42"`), []byte(`"shown": "60"`), 1), 0o600))
	code, out, errs = runCLI("drift", "--baseline", tampered, "--snapshot", sample(win7Hardened))
	assert.Equal(t, exitInput, code)
	assert.Empty(t, out)
	assert.Contains(t, errs, "does not match its SHA-256")
	assert.Contains(t, errs, tampered)
}

func TestBaselineCLIRefuses(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
	}{
		{"no subcommand", []string{"baseline", "--snapshot", sample(win7Vendor), "--out", filepath.Join(dir, "x.json")}},
		{"no out", []string{"baseline", "save", "--snapshot", sample(win7Vendor)}},
		{"out is a folder", []string{"baseline", "save", "--snapshot", sample(win7Vendor), "--out", dir}},
		{"profile for XP", []string{"baseline", "save", "--snapshot", sample(win7Vendor), "--profile", "winxp", "--out", filepath.Join(dir, "x.json")}},
		{"no baseline", []string{"drift", "--snapshot", sample(win7Vendor)}},
		{"missing baseline", []string{"drift", "--baseline", filepath.Join(dir, "none.json"), "--snapshot", sample(win7Vendor)}},
		{"baseline is a folder", []string{"drift", "--baseline", dir, "--snapshot", sample(win7Vendor)}},
		{"bad format", []string{"drift", "--baseline", filepath.Join(dir, "none.json"), "--format", "xml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(tt.args...)
			assert.Equal(t, exitInput, code, errs)
			assert.NotEmpty(t, errs)
			_, err := os.Stat(filepath.Join(dir, "x.json"))
			assert.True(t, os.IsNotExist(err), "nothing written")
		})
	}
}
