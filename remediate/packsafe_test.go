package remediate

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

// hostilePlan is a plan whose every name comes from a snapshot someone
// else wrote: a service to disable, an account to disable and one to
// rename, a registry value and a security-policy key.
func hostilePlan(host, folder, service, account, rename string) *Plan {
	return &Plan{
		Created: "2024-05-01T10:00:00Z",
		Host:    Identity{Hostname: host, OS: "Microsoft Windows 7 Professional", Version: "6.1.7601", Source: "snapshot", Snapshot: folder},
		Profile: "cis-win7-l1",
		Steps: []Step{
			{CheckID: "5.1", Title: "service", Setting: Address{Kind: KindService, Name: service},
				Before: State{Exists: true, Value: Value{Start: startPtr(checks.StartAuto)}}, Target: &Value{Start: startPtr(checks.StartDisabled)}},
			{CheckID: "2.3.1.2", Title: "guest", Setting: Address{Kind: KindAccount, Key: "S-1-5-21-1-2-3-501", Name: FieldDisabled, Label: account},
				Before: State{Exists: true, Value: Value{Disabled: boolPtr(false)}}, Target: &Value{Disabled: boolPtr(true)}},
			{CheckID: "2.3.1.5", Title: "rename", Setting: Address{Kind: KindAccount, Key: "S-1-5-21-1-2-3-500", Name: FieldName, Label: "Administrator"},
				Before: State{Exists: true, Value: Value{Text: "Administrator"}}, Target: &Value{Text: rename}},
			{CheckID: "1.1.4", Title: "length", Setting: Address{Kind: KindSecPol, Key: "System Access", Name: "MinimumPasswordLength"},
				Before: State{Exists: true, Value: Value{Text: "0"}}, Target: &Value{Text: "14"}},
		},
	}
}

// Names a NetBIOS computer or an account may really have: the pack must
// build and keep them exact.
var legitNames = []string{"ICU-CS01", "ICU(2)&x^y!z", "LAB%PATH%1", "A!B@C#D$E", "{MON}~'1'"}

// Names made to break out of the script's quoting or comments.
var hostileHosts = []string{
	`ICU-CS01)&echo X>C:\pwn.txt&(rem`,
	"ICU\r\necho X>pwn.txt",
	`ICU" & echo X>pwn.txt & "`,
	"ICU\x00X",
	"ICU|calc",
	"ICU<in",
	"ICU ONE",
	"ICÜ01",
	"",
}

func TestPackRefusesHostileNames(t *testing.T) {
	ok := hostilePlan("ICU-CS01", "/snap/ICU-CS01-20240501-100000", "Spooler", "Guest", "Operator1")
	_, err := BuildPack(ok, PackOptions{Tool: "medharden", Version: "test"})
	require.NoError(t, err)

	for _, h := range hostileHosts {
		p := hostilePlan(h, "/snap/x", "Spooler", "Guest", "Operator1")
		_, err := BuildPack(p, PackOptions{})
		require.ErrorIs(t, err, ErrUnsafeText, "host %q", h)
		assert.Contains(t, err.Error(), "host name")
	}
	cases := []struct {
		name                            string
		folder, service, account, renam string
		want                            string
	}{
		{"newline in the snapshot folder", "/snap/x\r\necho X>pwn.txt", "Spooler", "Guest", "Op", "snapshot folder"},
		{"quote in a service name", "/snap/x", `Spooler" & echo X>pwn.txt & "`, "Guest", "Op", "service name"},
		{"line break in a service name", "/snap/x", "Spooler\necho X>pwn.txt", "Guest", "Op", "service name"},
		{"non-ASCII service name", "/snap/x", "Spööler", "Guest", "Op", "service name"},
		{"quote in an account", "/snap/x", "Spooler", `Guest" & echo X>pwn.txt & "`, "Op", "account name"},
		{"pipe in an account", "/snap/x", "Spooler", "Guest|x", "Op", "account name"},
		{"line break in a new name", "/snap/x", "Spooler", "Guest", "Op\recho X", "account name"},
		{"empty account", "/snap/x", "Spooler", "", "Op", "account name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := BuildPack(hostilePlan("ICU-CS01", c.folder, c.service, c.account, c.renam), PackOptions{})
			require.ErrorIs(t, err, ErrUnsafeText)
			assert.Contains(t, err.Error(), c.want)
		})
	}

	// .inf: a value from the snapshot that would start a new line or
	// another section; a user right holder that would split into two.
	p := hostilePlan("ICU-CS01", "/snap/x", "Spooler", "Guest", "Op")
	p.Steps[3].Before.Value.Text = "0\r\n[Privilege Rights]\r\nSeDebugPrivilege = *S-1-1-0"
	_, err = BuildPack(p, PackOptions{})
	require.ErrorIs(t, err, ErrUnsafeText)
	p = hostilePlan("ICU-CS01", "/snap/x", "Spooler", "Guest", "Op")
	p.Steps = append(p.Steps, Step{CheckID: "2.2.1", Setting: Address{Kind: KindRight, Name: "SeDebugPrivilege"},
		Before: State{Exists: true, Value: Value{SIDs: []string{"S-1-5-32-544,*S-1-1-0"}}}, Target: &Value{SIDs: []string{"S-1-5-32-544"}}})
	_, err = BuildPack(p, PackOptions{})
	require.ErrorIs(t, err, ErrUnsafeText)
}

// A legitimate name with ( ) & ^ % ! is written inside double quotes with
// '%' doubled, never bare and never in a parenthesised block.
func TestPackQuotesLegitNames(t *testing.T) {
	for _, name := range legitNames {
		t.Run(name, func(t *testing.T) {
			pk, err := BuildPack(hostilePlan(name, "/snap/"+name+"-20240501", "Svc "+name, "Guest "+name, "Op "+name), PackOptions{Tool: "medharden", Version: "test"})
			require.NoError(t, err)
			esc := strings.ReplaceAll(name, "%", "%%")
			for _, f := range []string{"apply.cmd", "undo.cmd"} {
				s := string(pk.Files[f])
				assert.Contains(t, s, "setlocal EnableExtensions DisableDelayedExpansion\r\n", f)
				assert.Contains(t, s, `if /i "%COMPUTERNAME%"=="`+esc+`" goto hostok`+"\r\n", f)
				assert.Contains(t, s, `echo This pack was made for "`+esc+`"; this computer is "%COMPUTERNAME%". Nothing was changed.`+"\r\n", f)
				assert.Contains(t, s, `sc config "Svc `+esc+`" start= `, f)
				assert.Contains(t, s, `net user "Guest `+esc+`" /active:`, f)
				assertScriptSafe(t, f, s)
			}
			assert.Contains(t, string(pk.Files["apply.cmd"]), `call rename "Op `+esc+`"`)
		})
	}
}

var remLine = regexp.MustCompile(`^rem [A-Za-z0-9 .,:;\-_+/\\()\[\]{}@#'~=]*$`)

// assertScriptSafe checks what every line of a generated script must be:
// no line break inside a line; comments hold only inert characters;
// outside comments every '%' is doubled or part of a variable the script
// itself names, and & | < > ( ) ^ ! appear only inside double quotes
// (apart from the script's own fixed lines).
func assertScriptSafe(t *testing.T, name, s string) {
	t.Helper()
	if strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") || strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\r") {
		t.Errorf("%s: a bare CR or LF", name)
	}
	vars := regexp.MustCompile(`%%|%~dp0|%~1|%COMPUTERNAME%|%TEMP%|%errorlevel%`)
	for _, line := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if line == "@echo off" {
			continue
		}
		if strings.HasPrefix(line, "rem") {
			if !remLine.MatchString(line) {
				t.Errorf("%s: comment with characters cmd may act on: %q", name, line)
			}
			continue
		}
		if strings.Count(line, `"`)%2 != 0 {
			t.Errorf("%s: unbalanced quotes: %q", name, line)
		}
		if strings.Contains(vars.ReplaceAllString(line, ""), "%") {
			t.Errorf("%s: a '%%' that is not doubled: %q", name, line)
		}
		bare := regexp.MustCompile(`"[^"]*"`).ReplaceAllString(line, `""`)
		if strings.ContainsAny(bare, "&|<>()^!") {
			t.Errorf("%s: metacharacter outside quotes: %q", name, line)
		}
		for _, r := range line {
			if r >= 0x80 || r < 0x20 {
				t.Errorf("%s: non-ASCII or control character in %q", name, line)
				break
			}
		}
	}
}

// FuzzBuildPack: whatever names and values a snapshot holds, the pack is
// refused or every line of its scripts passes assertScriptSafe.
func FuzzBuildPack(f *testing.F) {
	for _, s := range [][5]string{
		{"ICU-CS01", "/snap/ICU-CS01-20240501-100000", "Spooler", "Guest", "Operator1"},
		{`ICU-CS01)&echo X>C:\pwn.txt&(rem`, "/snap/x", "Spooler", "Guest", "Op"},
		{"ICU(2)&x^y!z", "/snap/a%b^", "Svc%1%", "Gue!st", "O^p"},
		{"ICU", "/snap/x\necho X", `a"b`, "c\rd", "é"},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4], "14")
	}
	f.Fuzz(func(t *testing.T, host, folder, service, account, rename, value string) {
		p := hostilePlan(host, folder, service, account, rename)
		p.Steps[3].Before.Value.Text = value
		pk, err := BuildPack(p, PackOptions{Tool: "medharden", Version: "fuzz"})
		if err != nil {
			return
		}
		for _, f := range []string{"apply.cmd", "undo.cmd"} {
			assertScriptSafe(t, f, string(pk.Files[f]))
		}
		inf := parseINF(t, "undo.inf", pk.Files["undo.inf"])
		if v, ok := inf.Get("System Access", "MinimumPasswordLength"); !ok || v != value {
			t.Fatalf("undo.inf holds %q, want %q", v, value)
		}
	})
}
