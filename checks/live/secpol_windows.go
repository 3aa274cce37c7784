//go:build windows

package live

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/windows"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// SecPolicy answers account and lockout policy from NetUserModalsGet and
// everything else from one cached secedit export.
func (h *Host) SecPolicy(ctx context.Context, section, name string) (string, error) {
	if lvl := modalsLevel(section, name); lvl >= 0 {
		m0, m3, err := h.modals(lvl)
		if err != nil {
			return "", err
		}
		return modalsValue(m0, m3, name)
	}
	inf, err := h.secedit(ctx)
	if err != nil {
		return "", err
	}
	v, ok := inf.Get(section, name)
	if !ok {
		return "", fmt.Errorf("[%s] %s: %w", section, name, checks.ErrAbsent)
	}
	return v, nil
}

// SetSecPolicy writes account policy through NetUserModalsSet and the rest
// through secedit /configure with a one-key template.
func (h *Host) SetSecPolicy(ctx context.Context, section, name, value string) error {
	defer h.invalidate()
	if lvl := modalsLevel(section, name); lvl >= 0 {
		return h.setModalsKey(lvl, name, value)
	}
	area, err := seceditArea(section)
	if err != nil {
		return err
	}
	tpl, err := seceditTemplate(section, name, value)
	if err != nil {
		return err
	}
	return h.configure(ctx, tpl, area)
}

// ClearSecPolicy makes a key "not defined" where Windows has such a state.
func (h *Host) ClearSecPolicy(ctx context.Context, section, name string) error {
	switch strings.ToLower(name) {
	case "lockoutduration", "resetlockoutcount":
		// The SAM always holds both; they read as "not defined" exactly when
		// LockoutBadCount is 0, which restoring that key brings back.
		if modalsLevel(section, name) == 3 {
			return nil
		}
	}
	if strings.EqualFold(section, "Registry Values") {
		key, value, err := registryValuesPath(name)
		if err != nil {
			return err
		}
		defer h.invalidate()
		return h.DeleteRegValue(ctx, key, value)
	}
	return fmt.Errorf("%w: [%s] %s always has a value in the local security database; set a value instead",
		checks.ErrNotSupported, section, name)
}

// invalidate drops the cached export after a write.
func (h *Host) invalidate() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sec, h.secErr, h.secDone = nil, nil, false
}

// secedit returns the export, running secedit only the first time.
func (h *Host) secedit(ctx context.Context) (*winfmt.INF, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.secDone {
		return h.sec, h.secErr
	}
	inf, err := exportPolicy(ctx)
	h.exports++
	if ctx.Err() != nil {
		return nil, err // a cancelled run is not an answer to keep
	}
	h.sec, h.secErr, h.secDone = inf, err, true
	return inf, err
}

func exportPolicy(ctx context.Context) (*winfmt.INF, error) {
	dir, err := os.MkdirTemp("", "medharden-secedit-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	cfg := filepath.Join(dir, "export.inf")
	log := filepath.Join(dir, "secedit.log")
	runErr := runSecedit(ctx, exportArgs(cfg, log), log)
	b, err := os.ReadFile(cfg)
	if err != nil {
		if runErr != nil {
			return nil, runErr
		}
		return nil, fmt.Errorf("secedit /export wrote no template: %w", err)
	}
	// secedit may end "with warnings" (an exit code) after writing a
	// complete template; a template that parses is the answer.
	inf, perr := winfmt.ParseINF("secedit /export", b)
	if perr != nil && runErr != nil {
		return nil, runErr
	}
	return inf, perr
}

func (h *Host) configure(ctx context.Context, tpl *winfmt.INF, area string) error {
	dir, err := os.MkdirTemp("", "medharden-secedit-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var buf bytes.Buffer
	if err := winfmt.WriteINF(&buf, tpl); err != nil {
		return err
	}
	cfg := filepath.Join(dir, "apply.inf")
	if err := os.WriteFile(cfg, buf.Bytes(), 0o600); err != nil {
		return err
	}
	log := filepath.Join(dir, "secedit.log")
	return runSecedit(ctx, configureArgs(filepath.Join(dir, "apply.sdb"), cfg, area, log), log)
}

// runSecedit runs System32\secedit.exe by full path, without a console
// window (the GUI has none to lend it).
func runSecedit(ctx context.Context, args []string, log string) error {
	sys, err := windows.GetSystemDirectory()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, filepath.Join(sys, "secedit.exe"), args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: windows.CREATE_NO_WINDOW}
	out, err := cmd.CombinedOutput()
	if err == nil {
		return nil
	}
	why := ""
	if b, rerr := os.ReadFile(log); rerr == nil {
		why = seceditLogTail(b, 3)
	}
	if why == "" {
		why = strings.TrimSpace(string(out))
	}
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 5 {
		return fmt.Errorf("secedit %s: %w; run as Administrator (%s)", args[0], checks.ErrAccessDenied, why)
	}
	return fmt.Errorf("secedit %s: %v: %s", args[0], err, why)
}
