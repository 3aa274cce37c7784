package snapshot

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// FuzzOpen writes fuzzed bytes as each kind of snapshot file: opening and
// auditing must never panic, and a rejected folder is an input error
// (a ParseError naming the file, or not a snapshot).
func FuzzOpen(f *testing.F) {
	f.Add("secedit.inf", []byte(seceditINF))
	f.Add("auditpol.csv", []byte(auditCSV))
	f.Add("reg/lsa.reg", windowsText(lsaREG))
	f.Add("wmic/useraccount.csv", windowsText(accountsCSV))
	f.Add("wmic/os.csv", []byte("\r\nNode,Caption,Version\r\nX,,5.1.2600\r\n"))
	f.Add("collect.log", []byte("rc=1 cmd=reg export \"HKLM\\SOFTWARE\" x\r\nuser=a\r\n"))
	cat, err := checks.Builtin()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name string, b []byte) {
		switch name {
		case "secedit.inf", "auditpol.csv", "reg/lsa.reg", "wmic/useraccount.csv", "wmic/os.csv", "collect.log":
		default:
			return
		}
		dir := t.TempDir()
		base := map[string]string{"secedit.inf": seceditINF, "wmic/os.csv": osCSV}
		for n, content := range base {
			p := filepath.Join(dir, filepath.FromSlash(n))
			_ = os.MkdirAll(filepath.Dir(p), 0o755)
			_ = os.WriteFile(p, windowsText(content), 0o644)
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		h, err := Open(dir)
		if err != nil {
			var pe *winfmt.ParseError
			if !errors.As(err, &pe) && !errors.Is(err, ErrNotSnapshot) {
				t.Fatalf("not an input error: %v", err)
			}
			return
		}
		info, err := h.OS(context.Background())
		if err != nil {
			return
		}
		if p, ok := checks.DefaultProfile(info.Family()); ok {
			if _, err := checks.Audit(context.Background(), h, cat, p, checks.Options{}); err != nil {
				t.Fatalf("audit: %v", err)
			}
		}
	})
}
