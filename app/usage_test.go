package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Every command's help is its usage line, its options and, where it has
// them, its exit codes; a command that takes options only refuses any
// other argument by name, wherever it stands.
func TestCommandHelpAndStrayArguments(t *testing.T) {
	snap := sample("ICU-CS01-20261118-093000")
	tests := []struct {
		cmd    []string
		usage  string
		option string
		exits  bool
		stray  []string // options and a stray argument; nil: the command takes arguments
	}{
		{[]string{"audit"}, "Usage: medharden audit", "-snapshot", true, []string{"extra", "--snapshot", snap}},
		{[]string{"baseline", "save"}, "Usage: medharden baseline save", "-out", true, []string{"--out", "b.json", "extra"}},
		{[]string{"baseline", "import"}, "Usage: medharden baseline import", "-profile", true, nil},
		{[]string{"drift"}, "Usage: medharden drift", "-baseline", true, []string{"extra", "--baseline", "b.json"}},
		{[]string{"checks"}, "checks", "-format", false, []string{"extra"}},
		{[]string{"compare"}, "Usage: medharden compare", "-before", true, []string{"--before", snap, "extra"}},
		{[]string{"evidence"}, "Usage: medharden evidence", "-sign", true, []string{"extra", "--out", "e.html"}},
		{[]string{"inventory"}, "Usage: medharden inventory", "-fields", true, []string{"--snapshot", snap, "extra"}},
		{[]string{"inventory", "merge"}, "Usage: medharden inventory merge", "-stale-days", true, nil},
		{[]string{"plan"}, "Usage: medharden plan", "-select", true, []string{"extra", "--snapshot", snap}},
		{[]string{"backups"}, "Usage: medharden backups", "-format", true, []string{"extra"}},
		{[]string{"remediate"}, "Usage: medharden remediate", "-pack", true, []string{"--snapshot", snap, "extra"}},
		{[]string{"rollback"}, "Usage: medharden rollback", "-force", true, nil},
		{[]string{"fleet"}, "Usage: medharden fleet", "-baseline", true, nil},
		{[]string{"collector"}, "Usage: medharden collector", "-write", false, nil},
	}
	for _, tt := range tests {
		name := strings.Join(tt.cmd, " ")
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCLI(append(tt.cmd[:len(tt.cmd):len(tt.cmd)], "--help")...)
			assert.Equal(t, exitOK, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tt.usage)
			assert.Contains(t, stderr, tt.option)
			if tt.exits {
				assert.Contains(t, stderr, "\nExit codes:")
				assert.True(t, strings.HasSuffix(stderr, "\n"))
			} else {
				assert.NotContains(t, stderr, "Exit codes:")
			}
			if tt.stray == nil {
				return
			}
			code, stdout, stderr = runCLI(append(tt.cmd[:len(tt.cmd):len(tt.cmd)], tt.stray...)...)
			assert.Equal(t, exitInput, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, name+`: unexpected argument "extra"`)
		})
	}
}
