package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChecksWazuhSCA(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "medharden_cis_win7_l1.yml")
	var so, se bytes.Buffer
	code := run(context.Background(), []string{"checks", "--profile", "cis-win7-l1", "--format", "wazuh-sca", "--out", out}, &so, &se)
	require.Equal(t, exitOK, code, se.String())
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	want, err := os.ReadFile(filepath.Join("..", "checks", "wazuh", "testdata", "cis-win7-l1.yml"))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
	assert.Contains(t, so.String(), "158 checks as a Wazuh SCA policy, 135 listed as not expressible (of 293 in cis-win7-l1)")
}

func TestChecksWazuhSCARefused(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no out", []string{"--format", "wazuh-sca"}, "needs --out"},
		{"out without format", []string{"--out", filepath.Join(dir, "p.yml")}, "--out goes with"},
		{"unknown format", []string{"--format", "xml", "--out", filepath.Join(dir, "p.yml")}, "unknown format"},
		{"out is a folder", []string{"--format", "wazuh-sca", "--out", dir}, dir},
		{"stray argument", []string{"--format", "wazuh-sca", "--out", filepath.Join(dir, "p.yml"), "extra"}, "unexpected argument"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var so, se bytes.Buffer
			code := run(context.Background(), append([]string{"checks"}, tc.args...), &so, &se)
			assert.Equal(t, exitInput, code)
			assert.Contains(t, se.String(), tc.want)
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Empty(t, entries, "nothing written")
		})
	}
}
