package snapshot

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTasks(t *testing.T) {
	win7 := make([]string, 28)
	xp := make([]string, 27)
	for i := range win7 {
		win7[i] = `"Spalte ` + strconv.Itoa(i) + `"`
	}
	for i := range xp {
		xp[i] = `"Colonne ` + strconv.Itoa(i) + `"`
	}
	row := func(n int, runAs int, name, user string) string {
		f := make([]string, n)
		for i := range f {
			f[i] = `"N/A"`
		}
		f[1], f[runAs] = `"`+name+`"`, `"`+user+`"`
		return strings.Join(f, ",")
	}
	hdr7 := strings.Join(win7, ",")
	tests := []struct {
		name, text string
		version    string
		want       []string // task=runAs
		err        string
	}{
		{"English header, any layout", "\"HostName\",\"TaskName\",\"Run As User\"\r\n\"H\",\"\\T\",\"H\\svc\"\r\n", "", []string{`\T=H\svc`}, ""},
		{"German Windows 7: 28 columns, header repeated per folder", hdr7 + "\r\n" + row(28, 14, `\A\Export`, `ICU\svcvendor`) + "\r\n" + hdr7 + "\r\n" + row(28, 14, `\B\X`, "SYSTEM") + "\r\n", "6.1.7601", []string{`\A\Export=ICU\svcvendor`, `\B\X=SYSTEM`}, ""},
		{"French XP: 27 columns", strings.Join(xp, ",") + "\r\n" + row(27, 18, "Rotate", `PUMP\biomed`) + "\r\n", "5.1.2600", []string{`Rotate=PUMP\biomed`}, ""},
		{"no tasks: schtasks' one-line message", "INFO: Il n'existe aucune tache planifiee.\r\n", "5.1.2600", nil, ""},
		{"28 columns of XP are not read as Windows 7", strings.Join(win7, ",") + "\r\n" + row(28, 19, "Defrag", `PUMP\svcsched`) + "\r\n", "5.1.2600", []string{`Defrag=PUMP\svcsched`}, ""},
		{"27 columns on Windows 7", strings.Join(xp, ",") + "\r\n" + row(27, 18, "Rotate", `PUMP\biomed`) + "\r\n", "6.1.7601", nil, "cannot be told"},
		{"28 columns, version unknown", hdr7 + "\r\n" + row(28, 14, `\A\Export`, `ICU\svcvendor`) + "\r\n", "", nil, "Windows unknown"},
		{"unknown layout", "\"a\",\"b\",\"c\"\r\n\"1\",\"2\",\"3\"\r\n", "6.1.7601", nil, "cannot be told"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseTasks("schtasks.csv", []byte(tc.text), tc.version)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "schtasks.csv")
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			var s []string
			for _, x := range got {
				s = append(s, x.Name+"="+x.RunAs)
			}
			assert.Equal(t, tc.want, s)
		})
	}
}

// The layouts come from real exports: each fixture is read by its English
// names, and again by its layout once the header is made unreadable.
func TestParseTasksRealHeaders(t *testing.T) {
	tests := []struct {
		file, version, want string
	}{
		{"schtasks-xp-it.csv", "5.1.2600", `PumpLogRotate=PUMPSRV\biomed`},
		{"schtasks-xp-logonmode-en.csv", "5.1.2600", `Defrag C=PUMPSRV\svcsched`},
		{"schtasks-xp-logonmode-en.csv", "5.2.3790", `Defrag C=PUMPSRV\svcsched`},
		{"schtasks-win7-en.csv", "6.1.7601", `\Vendor\Export=ICU-CS01\svcvendor`},
	}
	for _, tc := range tests {
		t.Run(tc.file+" "+tc.version, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", tc.file))
			require.NoError(t, err)
			lines := strings.SplitN(string(b), "\r\n", 2)
			cols := strings.Count(lines[0], `","`) + 1
			blind := make([]string, cols)
			for i := range blind {
				blind[i] = `"c` + strconv.Itoa(i) + `"`
			}
			for _, text := range []string{string(b), strings.Join(blind, ",") + "\r\n" + lines[1]} {
				got, err := parseTasks(tc.file, []byte(text), tc.version)
				require.NoError(t, err)
				require.Len(t, got, 1)
				assert.Equal(t, tc.want, got[0].Name+"="+got[0].RunAs)
			}
		})
	}
}

func TestParseGroupUser(t *testing.T) {
	ok := "\nNode,GroupComponent,PartComponent\nH,\\\\H\\root\\cimv2:Win32_Group.Domain=\"H\",Name=\"Benutzer\",\\\\H\\root\\cimv2:Win32_SystemAccount.Domain=\"H\",Name=\"INTERAKTIV\"\n"
	tb, err := parseGroupUser("groupuser.csv", windowsText(ok))
	require.NoError(t, err)
	require.Len(t, tb.Rows, 1)
	assert.Equal(t, `\\H\root\cimv2:Win32_Group.Domain="H",Name="Benutzer"`, tb.Get(tb.Rows[0], "GroupComponent"))
	assert.Equal(t, `\\H\root\cimv2:Win32_SystemAccount.Domain="H",Name="INTERAKTIV"`, tb.Get(tb.Rows[0], "PartComponent"))
	for bad, line := range map[string]string{
		"\nNode,Name\nH,x\n": "groupuser.csv:2",
		"\nNode,GroupComponent,PartComponent\nH,Win32_Group.Domain=\"H\",Name=\"U\"\n": "groupuser.csv:3",
	} {
		_, err := parseGroupUser("groupuser.csv", windowsText(bad))
		require.Error(t, err)
		assert.Contains(t, err.Error(), line, "names the file and line")
	}
}
