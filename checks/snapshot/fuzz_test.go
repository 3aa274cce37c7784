package snapshot

import (
	"context"
	"errors"
	"path"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"medharden/checks/winfmt"
)

// memSource serves a snapshot's files from memory, by slash path.
type memSource map[string][]byte

func (m memSource) read(rel string, limit int64) ([]byte, bool, error) {
	b, ok := m[filepath.ToSlash(rel)]
	if ok && int64(len(b)) > limit {
		return nil, false, tooLarge(rel, limit)
	}
	return b, ok, nil
}

func (m memSource) list(rel, ext string) ([]string, bool, error) {
	var names []string
	for p := range m {
		if dir, name := path.Split(p); dir == rel+"/" && hasExt(name, ext) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names, len(names) > 0, nil
}

func (m memSource) modTime(string) (time.Time, error) { return time.Time{}, nil }

// fuzzKinds are the files FuzzOpen writes fuzzed bytes into, next to a
// minimal secedit.inf and os.csv.
var fuzzKinds = []string{"secedit.inf", "auditpol.csv", "reg/lsa.reg", "wmic/useraccount.csv", "wmic/service.csv", "wmic/os.csv", "collect.log"}

// FuzzOpen puts fuzzed bytes in one kind of snapshot file (kind picks
// which) next to a minimal secedit.inf, os.csv and service.csv: opening
// must never panic or hang, a rejected snapshot is an input error (a
// ParseError naming the file, or not a snapshot), and an opened one
// answers every kind of question without panicking. The files are served
// from memory (what Open adds on disk, the regular-file and size checks,
// is tested in input_test.go) and no catalog is loaded, so a run costs
// only the parsing.
func FuzzOpen(f *testing.F) {
	f.Add(uint8(0), []byte(seceditINF))
	f.Add(uint8(0), windowsText("[Unicode]\nUnicode=yes\n[System Access]\n[Event Audit]\nAuditLogonEvents = 2\n[Privilege Rights]\nSeDebugPrivilege = *S-1-5-32-544\n[Version]\nsignature=\"$CHICAGO$\"\n"))
	f.Add(uint8(1), []byte(auditCSV))
	f.Add(uint8(2), windowsText(lsaREG))
	f.Add(uint8(2), []byte("REGEDIT4\r\n[-HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Lsa]\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Lsa]\r\n\"NoLMHash\"=hex(4):01,00,00,00\r\n"))
	f.Add(uint8(3), windowsText(accountsCSV))
	f.Add(uint8(4), windowsText(serviceCSV))
	f.Add(uint8(5), []byte("\r\nNode,Caption,Version\r\nX,,5.1.2600\r\n"))
	f.Add(uint8(6), []byte("medharden collector 1.1.0\r\nabsent=HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa\r\nuser=a\r\nos=Microsoft Windows [Version 6.1.7601]\r\n"))
	base := map[string][]byte{
		"secedit.inf":      windowsText(seceditINF),
		"wmic/os.csv":      windowsText(osCSV),
		"wmic/service.csv": windowsText(serviceCSV),
	}
	f.Fuzz(func(t *testing.T, kind uint8, b []byte) {
		name := fuzzKinds[int(kind)%len(fuzzKinds)]
		src := memSource{name: b}
		for n, content := range base {
			if n != name {
				src[n] = content
			}
		}
		h, err := open("fuzz", src)
		if err != nil {
			var pe *winfmt.ParseError
			if !errors.As(err, &pe) && !errors.Is(err, ErrNotSnapshot) {
				t.Fatalf("not an input error: %v", err)
			}
			return
		}
		ctx := context.Background()
		_, _ = h.OS(ctx)
		_, _ = h.SecPolicy(ctx, "System Access", "MinimumPasswordLength")
		_, _ = h.SecPolicy(ctx, "Event Audit", "AuditLogonEvents")
		_, _ = h.UserRight(ctx, "SeNetworkLogonRight")
		_, _ = h.UserRight(ctx, "SeDenyNetworkLogonRight")
		_, _ = h.RegValue(ctx, `HKLM\SYSTEM\CurrentControlSet\Control\Lsa`, "NoLMHash")
		_, _ = h.RegValue(ctx, `HKLM\SOFTWARE\Policies\Microsoft\Windows\Explorer`, "NoAutorun")
		_, _ = h.RegSubkeys(ctx, `HKLM\SYSTEM\CurrentControlSet\Control\Lsa`)
		_, _ = h.AuditPolicy(ctx, "{0CCE9215-69AE-11D9-BED3-505054503030}")
		_, _ = h.ServiceStart(ctx, "RemoteRegistry")
		_, _ = h.Accounts(ctx)
		_, _ = h.Hotfixes(ctx)
		_, _ = h.Volumes(ctx)
		_, _ = h.Session(ctx)
		_, _ = h.WMI(ctx, "os")
	})
}

// FuzzDeviceFiles feeds wmic\groupuser.csv and schtasks.csv to their
// readers: never a panic, and every rejection is an input error.
func FuzzDeviceFiles(f *testing.F) {
	f.Add(false, windowsText("\nNode,GroupComponent,PartComponent\nH,\\\\H\\root\\cimv2:Win32_Group.Domain=\"H\",Name=\"Users\",\\\\H\\root\\cimv2:Win32_UserAccount.Domain=\"H\",Name=\"a,b\"\n"))
	f.Add(true, []byte("\"HostName\",\"TaskName\",\"Run As User\"\r\n\"H\",\"\\T\",\"SYSTEM\"\r\n"))
	f.Add(true, []byte("INFO: no tasks\r\n"))
	f.Fuzz(func(t *testing.T, tasks bool, b []byte) {
		var err error
		if tasks {
			_, err = parseTasks("schtasks.csv", b, "5.1.2600")
		} else {
			_, err = parseGroupUser("groupuser.csv", b)
		}
		var pe *winfmt.ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("not an input error: %v", err)
		}
	})
}
