package live

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks/winfmt"
)

// Task definitions as Windows 7 keeps them in %SystemRoot%\System32\Tasks
// (UTF-16 with a BOM), and damaged ones.
func TestParseTaskXML(t *testing.T) {
	tests := []struct {
		file, runAs, err string
		line             int
	}{
		{"vendor-export.xml", `ICU-CS01\svcvendor`, "", 0},
		{"system-sid.xml", "S-1-5-18", "", 0},
		{"users-group.xml", "S-1-5-32-545", "", 0},
		{"two-principals.xml", "S-1-5-21-1808340291-2837045102-3907411862-1005", "", 0},
		{"utf8-nobom.xml", "svcvendor", "", 0},
		{"bad-truncated.xml", "", "not a task definition", 0},
		{"bad-no-account.xml", "", `principal "Author" has neither UserId nor GroupId`, 0},
		{"bad-context.xml", "", `principal "Missing", which the task does not define`, 0},
		{"bad-two-principals-no-context.xml", "", "has 2 principals", 0},
		{"bad-trailing.xml", "", "more after the Task element", 20},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", "tasks", tc.file)
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			got, err := parseTaskXML(path, b)
			if tc.err == "" {
				require.NoError(t, err)
				assert.Equal(t, tc.runAs, got)
				return
			}
			require.Error(t, err)
			var pe *winfmt.ParseError
			require.True(t, errors.As(err, &pe), "an input error: %v", err)
			assert.Equal(t, path, pe.File)
			assert.Contains(t, err.Error(), tc.err)
			if tc.line > 0 {
				assert.Equal(t, tc.line, pe.Line)
			}
			assert.Empty(t, got)
		})
	}
	for name, b := range map[string][]byte{
		"not XML":         []byte("MZ\x90\x00binary"),
		"another root":    []byte(`<Job><Principals><Principal><UserId>S-1-5-18</UserId></Principal></Principals></Job>`),
		"other encoding":  []byte(`<?xml version="1.0" encoding="ISO-8859-7"?><Task/>`),
		"zero-filled":     make([]byte, 64),
		"empty":           {},
		"mismatched tags": []byte(`<Task><Principals><Principal><UserId>S-1-5-18</Principal></UserId></Principals></Task>`),
	} {
		_, err := parseTaskXML(name, b)
		var pe *winfmt.ParseError
		assert.True(t, errors.As(err, &pe), "%s: an input error naming the file: %v", name, err)
	}
}

// FuzzTaskXML: never a panic, every rejection an input error naming the
// file, and an accepted file always names an account.
func FuzzTaskXML(f *testing.F) {
	for _, n := range []string{"vendor-export.xml", "two-principals.xml", "users-group.xml", "bad-trailing.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", "tasks", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<Task><Principals><Principal id="a"><UserId>x</UserId></Principal></Principals><Actions Context="a"/></Task>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := parseTaskXML("task", b)
		if err != nil {
			var pe *winfmt.ParseError
			if !errors.As(err, &pe) || pe.File != "task" {
				t.Fatalf("not an input error naming the file: %v", err)
			}
			return
		}
		if got == "" {
			t.Fatal("accepted without an account")
		}
	})
}
