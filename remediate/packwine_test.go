package remediate

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WineEnv turns on TestPackUnderWine, which runs the generated scripts
// with Wine's cmd.exe: MEDHARDEN_WINE=1 go test ./remediate -run TestPackUnderWine -v
const WineEnv = "MEDHARDEN_WINE"

// wineCmd runs cmd.exe scripts in a throwaway Wine prefix.
type wineCmd struct {
	t   *testing.T
	env []string
}

func newWineCmd(t *testing.T) *wineCmd {
	t.Helper()
	if os.Getenv(WineEnv) != "1" {
		t.Skipf("runs apply.cmd and undo.cmd under Wine: set %s=1 (needs wine; about 15 s)", WineEnv)
	}
	if _, err := exec.LookPath("wine"); err != nil {
		t.Skip("wine is not installed")
	}
	prefix := filepath.Join(t.TempDir(), "wineprefix")
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "DISPLAY=") && !strings.HasPrefix(e, "WINEPREFIX=") && !strings.HasPrefix(e, "WINEDEBUG=") {
			env = append(env, e)
		}
	}
	w := &wineCmd{t: t, env: append(env, "WINEPREFIX="+prefix, "WINEDEBUG=-all")}
	boot := exec.Command("wine", "wineboot", "-i")
	boot.Env = w.env
	out, err := boot.CombinedOutput()
	require.NoError(t, err, "wineboot: %s", out)
	// Keep the prefix's wineserver running: otherwise each script pays
	// Wine's start-up (3 s instead of a tenth of a second).
	// No pipes: the server daemon would hold them open.
	srv := exec.Command("wineserver", "-p")
	srv.Env = w.env
	require.NoError(t, srv.Run(), "wineserver -p")
	t.Cleanup(func() {
		k := exec.Command("wineserver", "-k")
		k.Env = w.env
		_ = k.Run()
	})
	return w
}

// run runs "cmd /c script" in dir and returns its output and exit code.
// The output goes to a file, not a pipe: Wine's helper processes inherit
// it and would keep a pipe open after cmd has ended.
func (w *wineCmd) run(dir, script string) (string, int) {
	w.t.Helper()
	f, err := os.CreateTemp(w.t.TempDir(), "out")
	require.NoError(w.t, err)
	defer f.Close()
	c := exec.Command("wine", "cmd", "/c", script)
	c.Dir = dir
	c.Env = w.env
	c.Stdout, c.Stderr = f, f
	require.NoError(w.t, c.Start())
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	code := 0
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else {
			require.NoError(w.t, err)
		}
	case <-time.After(60 * time.Second):
		_ = c.Process.Kill()
		w.t.Fatalf("%s did not finish within 60 s", script)
	}
	out, err := os.ReadFile(f.Name())
	require.NoError(w.t, err)
	return string(out), code
}

func writeCmd(t *testing.T, path, text string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, crlf(text), 0o644))
}

// The scripts run under Wine's cmd.exe with names that hold cmd's
// metacharacters. "pwn" is a script in the pack folder that leaves a
// marker: a name that broke out of its quotes would run it. Nothing but
// the intended commands may run, the host test must refuse another
// computer (exit 2) and accept this one, and the names must show exactly.
func TestPackUnderWine(t *testing.T) {
	w := newWineCmd(t)
	// here: also run on "this computer" (each such run takes seconds
	// under Wine). Wine's cmd expands a '%' again inside an expanded value
	// (real cmd.exe does not), so names with '%' are checked for injection
	// only.
	cases := []struct {
		name string
		here bool
	}{
		{"ICU)&pwn&(x", true}, {"ICU&pwn", false}, {"ICU^&pwn", false}, {"ICU(2)&x^y!z", true},
		{"A!PATH!B", true}, {"LAB%PATH%1", false}, {"ICU%~pwn", false},
	}
	for _, c := range cases {
		name := c.name
		here := c.here
		t.Run(name, func(t *testing.T) {
			all := hostilePlan(name, "/snap/"+name+"-20240501-100000", "Svc"+name, "Guest"+name, "Op"+name)
			all.Steps = all.Steps[:3] // no secedit: Wine's is a stub
			dir := filepath.Join(t.TempDir(), "pack")
			_, err := WritePack(all, dir, PackOptions{Tool: "medharden", Version: "test"})
			require.NoError(t, err)
			marker := filepath.Join(dir, "pwned.txt")
			writeCmd(t, filepath.Join(dir, "pwn.cmd"), "@echo pwned>\"%~dp0pwned.txt\"\n")

			// Another computer (Wine's own name): refused, nothing run.
			for _, script := range []string{"apply.cmd", "undo.cmd"} {
				out, code := w.run(dir, script)
				assert.Equal(t, 2, code, "%s on another computer: %s", script, out)
				assert.NoFileExists(t, marker, "%s ran an injected command: %s", script, out)
				assert.Contains(t, out, "Nothing was changed.", script)
				if !strings.Contains(name, "%") {
					assert.Contains(t, out, `This pack was made for "`+name+`"`, script)
				}
			}
			if !here {
				return
			}
			// This computer: each command runs with the exact name, one
			// pack per command because the first failing step (Wine has
			// no such service or account) ends the script.
			wants := []string{
				`sc config "Svc` + name + `" start= disabled`,
				`net user "Guest` + name + `" /active:no`,
				`wmic useraccount where "SID='S-1-5-21-1-2-3-500'" call rename "Op` + name + `"`,
			}
			for i, want := range wants {
				p := hostilePlan(name, "/snap/x", "Svc"+name, "Guest"+name, "Op"+name)
				p.Steps = p.Steps[i : i+1]
				d := filepath.Join(t.TempDir(), "pack")
				_, err := WritePack(p, d, PackOptions{})
				require.NoError(t, err)
				writeCmd(t, filepath.Join(d, "pwn.cmd"), "@echo pwned>\"%~dp0pwned.txt\"\n")
				// COMPUTERNAME as this computer's: set by a wrapper, in quotes.
				writeCmd(t, filepath.Join(d, "here.cmd"), "@set \"COMPUTERNAME="+name+"\"\n@call apply.cmd\n")
				out, code := w.run(d, "here.cmd")
				assert.NotEqual(t, 2, code, "the host test refused its own computer: %s", out)
				assert.NotContains(t, out, "Nothing was changed.")
				assert.Contains(t, out, want+"\r\n", "the step shows the exact name")
				assert.NoFileExists(t, filepath.Join(d, "pwned.txt"), "an injected command ran: %s", out)
			}
		})
	}
}
