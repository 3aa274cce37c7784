package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/app/report"
	"medharden/app/workflow"
	"medharden/checks"
	"medharden/checks/outfile"
	"medharden/checks/snapshot/collector"
	"medharden/remediate"
)

// target is an existing output target and how to tell it is untouched.
type target struct {
	name  string
	make  func(t *testing.T, path string)
	check func(t *testing.T, path string)
}

func outTargets(t *testing.T) []target {
	isDir := func(t *testing.T, p string) {
		st, err := os.Lstat(p)
		require.NoError(t, err)
		assert.True(t, st.IsDir())
		entries, err := os.ReadDir(p)
		require.NoError(t, err)
		assert.Empty(t, entries)
	}
	list := []target{
		{"folder", func(t *testing.T, p string) { require.NoError(t, os.Mkdir(p, 0o755)) }, isDir},
		{"symbolic link", func(t *testing.T, p string) {
			require.NoError(t, os.WriteFile(p+".real", []byte("original"), 0o644))
			require.NoError(t, os.Symlink(p+".real", p))
		}, func(t *testing.T, p string) {
			st, err := os.Lstat(p)
			require.NoError(t, err)
			assert.NotZero(t, st.Mode()&fs.ModeSymlink, "still a link")
			b, err := os.ReadFile(p + ".real")
			require.NoError(t, err)
			assert.Equal(t, "original", string(b))
		}},
		{"NUL", nil, func(t *testing.T, p string) {
			_, err := os.Lstat(p)
			assert.ErrorIs(t, err, fs.ErrNotExist, "nothing created")
			if filepath.Base(p) == collector.FileName {
				_, err = os.Lstat(filepath.Dir(p))
				assert.ErrorIs(t, err, fs.ErrNotExist, "no folder created")
			}
		}},
	}
	list = append(list, target{"device", mkdevice, func(t *testing.T, p string) {
		st, err := os.Lstat(p)
		require.NoError(t, err)
		assert.NotZero(t, st.Mode()&fs.ModeCharDevice, "still a device")
	}})
	if mkfifo != nil {
		list = append(list, target{"fifo", func(t *testing.T, p string) { require.NoError(t, mkfifo(p)) },
			func(t *testing.T, p string) {
				st, err := os.Lstat(p)
				require.NoError(t, err)
				assert.NotZero(t, st.Mode()&fs.ModeNamedPipe, "still a FIFO")
			}})
	}
	return list
}

// TestOutputTargetsMustBeRegularFiles: every path a command writes refuses
// a folder, a symbolic link, a FIFO and a Windows device name with exit 2,
// leaves it as it was and leaves no temporary file beside it.
func TestOutputTargetsMustBeRegularFiles(t *testing.T) {
	records := t.TempDir()
	code, _, stderr := runCLI("inventory", "--snapshot", sample(win7Vendor), "--format", "json", "--out", filepath.Join(records, "a.json"))
	require.Equal(t, 1, code, stderr)
	commands := []struct {
		name string
		args func(out string) []string
		file string // the name the command writes inside the target folder, if any
	}{
		{"audit --out", func(out string) []string {
			return []string{"audit", "--snapshot", sample(win7Vendor), "--format", "text", "--out", out}
		}, ""},
		{"inventory --out", func(out string) []string {
			return []string{"inventory", "--snapshot", sample(win7Vendor), "--out", out}
		}, ""},
		{"fleet --out", func(out string) []string {
			return []string{"fleet", sample(win7Vendor), "--out", out}
		}, ""},
		{"inventory merge --out", func(out string) []string {
			return []string{"inventory", "merge", records, "--out", out}
		}, ""},
		{"remediate --pack", func(out string) []string {
			return []string{"remediate", "--snapshot", sample(win7Vendor), "--pack", out}
		}, ""},
		{"collector --write", func(out string) []string { return []string{"collector", "--write", filepath.Dir(out)} }, collector.FileName},
	}
	for _, c := range commands {
		for _, tg := range outTargets(t) {
			if c.name == "remediate --pack" && tg.name == "folder" {
				continue // an empty folder is a pack's normal target
			}
			t.Run(c.name+"/"+tg.name, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, tg.name)
				if c.file != "" {
					path = filepath.Join(dir, c.file)
				}
				named := path
				if tg.name == "NUL" {
					path, named = filepath.Join(dir, "nul.txt"), filepath.Join(dir, "nul.txt")
					if c.file != "" { // the collector names its file; --write names the folder
						path, named = filepath.Join(dir, "Nul", c.file), filepath.Join(dir, "Nul")
					}
				}
				if tg.make != nil {
					tg.make(t, path)
				}
				before := listDir(t, dir)
				code, _, stderr := runCLI(c.args(path)...)
				assert.Equal(t, exitInput, code, stderr)
				assert.Contains(t, stderr, named)
				assert.Contains(t, stderr, "nothing written")
				tg.check(t, path)
				assert.Equal(t, before, listDir(t, dir), "no temporary file left")
			})
		}
	}
}

// TestFieldsFileMustBeRegular: inventory --set saves the fields file
// through assets' writer, which refuses a link too.
func TestFieldsFileMustBeRegular(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.json")
	require.NoError(t, os.WriteFile(real, []byte(`{"fields": {"owner": "Biomed"}}`), 0o644))
	link := filepath.Join(dir, "fields.json")
	require.NoError(t, os.Symlink(real, link))
	code, _, stderr := runCLI("inventory", "--snapshot", sample(win7Vendor), "--fields", link, "--set", "location=ICU")
	assert.Equal(t, exitInput, code, stderr)
	assert.Contains(t, stderr, link)
	b, err := os.ReadFile(real)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "ICU")
}

// TestDeviceIsNeverReplaced: a device node given as --out is refused and
// stays a device (a private node in a temporary folder, never /dev/null).
func TestDeviceIsNeverReplaced(t *testing.T) {
	dev := filepath.Join(t.TempDir(), "null")
	mkdevice(t, dev)
	code, _, stderr := runCLI("audit", "--snapshot", sample(win7Vendor), "--out", dev)
	assert.Equal(t, exitInput, code)
	assert.Contains(t, stderr, "it is a device")
	st, err := os.Lstat(dev)
	require.NoError(t, err)
	assert.NotZero(t, st.Mode()&fs.ModeCharDevice, "still a device")
}

func listDir(t *testing.T, dir string) []string {
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestDamagedSnapshotsAreInputErrors: a folder or a symbolic link loop
// where a snapshot file should be is bad input (exit 2, the file named),
// not an internal error.
func TestDamagedSnapshotsAreInputErrors(t *testing.T) {
	tests := []struct {
		name, file string
		damage     func(path string) error
	}{
		{"folder for secedit.inf", "secedit.inf", func(p string) error { return os.Mkdir(p, 0o755) }},
		{"link loop for secedit.inf", "secedit.inf", func(p string) error { return os.Symlink(filepath.Base(p), p) }},
		{"link loop for reg/lsa.reg", filepath.Join("reg", "lsa.reg"), func(p string) error { return os.Symlink(filepath.Base(p), p) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := filepath.Join(t.TempDir(), win7Vendor)
			copyTree(t, sample(win7Vendor), snap)
			p := filepath.Join(snap, tc.file)
			require.NoError(t, os.Remove(p))
			require.NoError(t, tc.damage(p))
			out := filepath.Join(t.TempDir(), "r.json")
			code, _, stderr := runCLI("audit", "--snapshot", snap, "--format", "json", "--out", out)
			assert.Equal(t, exitInput, code, stderr)
			assert.Contains(t, stderr, filepath.Base(tc.file))
			_, err := os.Stat(out)
			assert.ErrorIs(t, err, fs.ErrNotExist, "nothing written")
		})
	}
}

// TestExitCodeDecidesEveryCode: one function maps errors to codes.
func TestExitCodeDecidesEveryCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"none", nil, exitOK},
		{"findings", findingsError{"2 failed"}, exitFindings},
		{"usage", usagef("bad flag"), exitInput},
		{"workflow input", workflow.Inputf("unknown profile %q", "x"), exitInput},
		{"snapshot input", workflow.InputError{Err: errors.New("odd")}, exitInput},
		{"link loop", fmt.Errorf("read x: %w", &fs.PathError{Op: "open", Path: "x", Err: syscall.ELOOP}), exitInput},
		{"folder for a file", &fs.PathError{Op: "read", Path: "x", Err: syscall.EISDIR}, exitInput},
		{"not a folder", &fs.PathError{Op: "open", Path: "x/y", Err: syscall.ENOTDIR}, exitInput},
		{"rename", &os.LinkError{Op: "rename", Old: "a", New: "b", Err: syscall.EXDEV}, exitInput},
		{"missing", fmt.Errorf("open: %w", fs.ErrNotExist), exitInput},
		{"not regular", fmt.Errorf("write NUL: %w", outfile.ErrNotRegular), exitInput},
		{"tampered backup", fmt.Errorf("rollback: %w", remediate.ErrTampered), exitInput},
		{"pack folder not empty", fmt.Errorf("pack: %w", remediate.ErrPackExists), exitInput},
		{"profile mismatch", fmt.Errorf("x: %w", checks.ErrProfileMismatch), exitInput},
		{"anything else", errors.New("catalog: duplicate id"), exitInternal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, exitCode(tc.err))
		})
	}
}

// TestPanicIsExit3WithAReport: a panic in any command is exit 3 with a
// plain message; the stack goes to a log file in the temporary folder.
func TestPanicIsExit3WithAReport(t *testing.T) {
	tmp := t.TempDir()
	for _, v := range []string{"TMPDIR", "TMP", "TEMP"} {
		t.Setenv(v, tmp)
	}
	tests := []struct {
		name string
		run  func(context.Context, []string, io.Writer, io.Writer) error
		want string
	}{
		{"panic", func(context.Context, []string, io.Writer, io.Writer) error { panic("boom \x1b[2J") }, `boom \x1b[2J`},
		{"nil map", func(context.Context, []string, io.Writer, io.Writer) error {
			var m map[string]int
			m["x"]++
			return nil
		}, "assignment to entry in nil map"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			errw := report.NewSafeWriter(&errb) // as run passes it
			code := runCommand(context.Background(), command{name: "audit", run: tc.run}, nil, &out, errw)
			require.NoError(t, errw.Flush())
			stderr := errb.String()
			assert.Equal(t, exitInternal, code)
			assert.Contains(t, stderr, `internal error in "audit"`)
			assert.Contains(t, stderr, tc.want)
			assert.Contains(t, stderr, "Please report it")
			assert.NotContains(t, stderr, "goroutine", "no stack trace on the screen")
			assert.NotContains(t, stderr, "\x1b")
			logs, err := filepath.Glob(filepath.Join(tmp, "medharden-crash-*.log"))
			require.NoError(t, err)
			require.NotEmpty(t, logs)
			log := logs[len(logs)-1]
			assert.Contains(t, stderr, log)
			b, err := os.ReadFile(log)
			require.NoError(t, err)
			assert.Contains(t, string(b), "goroutine")
			assert.Contains(t, string(b), version)
			require.NoError(t, os.Remove(log))
		})
	}
}

// TestEscapeSequencesNeverReachTheTerminal: control characters in a host
// name, an account name or a file name are shown as codes in every text
// output and error message.
func TestEscapeSequencesNeverReachTheTerminal(t *testing.T) {
	snap := filepath.Join(t.TempDir(), win7Vendor)
	copyTree(t, sample(win7Vendor), snap)
	for _, f := range []string{"computersystem.csv", "os.csv", "useraccount.csv", "nicconfig.csv"} {
		p := filepath.Join(snap, "wmic", f)
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		b = bytes.ReplaceAll(b, utf16le("ICU-CS01"), utf16le("ICU\x1b[2J\x1b]0;owned\x07-CS01"))
		b = bytes.ReplaceAll(b, utf16le("svcvendor"), utf16le("svc\x1b[31mvendor\u009b"))
		require.NoError(t, os.WriteFile(p, b, 0o644))
	}
	report := filepath.Join(t.TempDir(), "r.txt")
	runs := t.TempDir()
	for _, args := range [][]string{
		{"audit", "--snapshot", snap, "--format", "text"},
		{"audit", "--snapshot", snap, "--format", "csv"},
		{"audit", "--snapshot", snap, "--format", "text", "--out", report},
		{"inventory", "--snapshot", snap, "--format", "text"},
		{"plan", "--snapshot", snap, "--runs", runs},
		{"audit", "--snapshot", snap + "\x1b[2J-missing"},
	} {
		code, stdout, stderr := runCLI(args...)
		assert.NotEqual(t, exitInternal, code, stderr)
		assert.NotContains(t, stdout, "\x1b", args)
		assert.NotContains(t, stdout, "\u009b", args)
		assert.NotContains(t, stderr, "\x1b", args)
	}
	code, stdout, _ := runCLI("audit", "--snapshot", snap, "--format", "text")
	require.Equal(t, exitFindings, code)
	assert.Contains(t, stdout, `ICU\x1b[2J\x1b]0;owned\x07-CS01`, "shown, as codes")
	b, err := os.ReadFile(report)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "\x1b")
	assert.Contains(t, string(b), `svc\x1b[31mvendor\u009b`)
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// TestHostilePackNamesAreInputErrors: a snapshot whose host or account
// names would break out of the pack's cmd quoting is refused with exit 2,
// and the pack folder is not created.
func TestHostilePackNamesAreInputErrors(t *testing.T) {
	tests := []struct{ name, from, to, says string }{
		{"host name with cmd operators", "PUMPSRV-XP", `PUMP)&echo X>C:\pwn.txt&(rem`, "host name"},
		{"host name with a quote", "PUMPSRV-XP", `PUMP"&calc&"`, "host name"},
		{"host name with a control character", "PUMPSRV-XP", "PUMP\x07calc", "host name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := filepath.Join(t.TempDir(), xpVendor)
			copyTree(t, sample(xpVendor), snap)
			for _, f := range []string{"computersystem.csv", "os.csv", "nicconfig.csv"} {
				p := filepath.Join(snap, "wmic", f)
				b, err := os.ReadFile(p)
				require.NoError(t, err)
				b = bytes.ReplaceAll(b, utf16le(tc.from), utf16le(tc.to))
				require.NoError(t, os.WriteFile(p, b, 0o644))
			}
			out := filepath.Join(t.TempDir(), "pack")
			code, _, stderr := runCLI("remediate", "--snapshot", snap, "--pack", out)
			assert.Equal(t, exitInput, code, stderr)
			assert.Contains(t, stderr, tc.says)
			_, err := os.Stat(out)
			assert.ErrorIs(t, err, fs.ErrNotExist, "no pack folder is written")
		})
	}
}
