package gui

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
)

// TestMain runs the tests, or, when MEDHARDEN_SESSION names a snapshot
// folder, a technician's whole session in a real window (screenshot.sh
// runs it under Xvfb): open, preview every failed check, apply the
// rehearsal, roll it back, save the three reports; it prints the time to
// results and the resident memory after loading and after the session.
// Only the dialogs are answered by code.
func TestMain(m *testing.M) {
	if snap := os.Getenv("MEDHARDEN_SESSION"); snap != "" {
		if err := realSession(snap, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "session:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func realSession(snap string, out io.Writer) (err error) {
	dir, err := os.MkdirTemp("", "medharden-session")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	start := time.Now()
	a := app.NewWithID(AppID)
	s := NewState("session")
	s.Root = filepath.Join(dir, "runs")
	defer s.Close()
	m := newMainWindow(a, s)
	var errs []error
	m.showError = func(e error) { errs = append(errs, e) }
	m.showInfo = func(string, string) {}
	m.confirm = func(_, _ string, ok func()) { ok() }
	m.saveFile = func(_, name string, _ []string, cb func(string)) { cb(filepath.Join(dir, name)) }

	done := make(chan error, 1)
	go func() {
		done <- drive(m, snap, dir, start, out, &errs)
		fyne.Do(a.Quit)
	}()
	m.win.ShowAndRun()
	return <-done
}

// drive is the session, from outside the UI thread as a person's clicks
// would come.
func drive(m *mainWindow, snap, dir string, start time.Time, out io.Writer, errs *[]error) error {
	step := func(f func()) error {
		fyne.DoAndWait(f)
		m.wait()
		var err error
		fyne.DoAndWait(func() {
			if len(*errs) > 0 {
				err = (*errs)[0]
			}
		})
		return err
	}
	var failed, rehearsed, back int
	fails := func(n *int) func() {
		return func() {
			rep, _ := m.s.Report()
			*n = rep.Summary.Fail
		}
	}
	if err := step(func() { m.load(snap) }); err != nil {
		return err
	}
	if err := step(fails(&failed)); err != nil {
		return err
	}
	fmt.Fprintf(out, "session: results on screen after %d ms; VmRSS after loading %s kB\n", time.Since(start).Milliseconds(), vmRSS())
	var planned int
	for _, f := range []func(){
		func() { m.tabs.Select(m.remediateTab); m.rem.mode.SetSelected(modeFailed) },
		m.previewPlan,
		func() {
			if p := m.s.Plan(); p != nil {
				planned = len(p.Changes())
			}
		},
		m.confirmApply,
		fails(&rehearsed),
		func() { m.tabs.Select(m.backupsTab) },
		func() { m.backups.list.Select(0) },
		m.confirmRollback,
		fails(&back),
		func() { m.tabs.Select(m.reportsTab) },
		func() { m.saveReport("html") },
		func() { m.saveReport("json") },
		func() { m.saveReport("csv") },
	} {
		if err := step(f); err != nil {
			return err
		}
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*.*"))
	switch {
	case planned == 0:
		return errors.New("the plan has no changes")
	case rehearsed >= failed:
		return fmt.Errorf("the rehearsal left %d of %d failures", rehearsed, failed)
	case back != failed:
		return fmt.Errorf("the rollback left %d failures, the audit had %d", back, failed)
	case len(names) != 3:
		return fmt.Errorf("%d reports written, want 3: %v", len(names), names)
	}
	fmt.Fprintf(out, "session: %d changes applied (failures %d -> %d), rolled back (%d), 3 reports saved; VmRSS after the session %s kB\n",
		planned, failed, rehearsed, back, vmRSS())
	return nil
}

// vmRSS is this process's resident memory in kB, "unknown" where /proc
// does not say.
func vmRSS() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v := strings.TrimPrefix(sc.Text(), "VmRSS:"); v != sc.Text() {
			return strings.TrimSuffix(strings.TrimSpace(v), " kB")
		}
	}
	return "unknown"
}
