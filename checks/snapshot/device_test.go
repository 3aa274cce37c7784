package snapshot

import (
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
		want       []string // task=runAs
		err        string
	}{
		{"English header, any layout", "\"HostName\",\"TaskName\",\"Run As User\"\r\n\"H\",\"\\T\",\"H\\svc\"\r\n", []string{`\T=H\svc`}, ""},
		{"German Windows 7: 28 columns, header repeated per folder", hdr7 + "\r\n" + row(28, 14, `\A\Export`, `ICU\svcvendor`) + "\r\n" + hdr7 + "\r\n" + row(28, 14, `\B\X`, "SYSTEM") + "\r\n", []string{`\A\Export=ICU\svcvendor`, `\B\X=SYSTEM`}, ""},
		{"French XP: 27 columns", strings.Join(xp, ",") + "\r\n" + row(27, 18, "Rotate", `PUMP\biomed`) + "\r\n", []string{`Rotate=PUMP\biomed`}, ""},
		{"no tasks: schtasks' one-line message", "INFO: Il n'existe aucune tache planifiee.\r\n", nil, ""},
		{"unknown layout", "\"a\",\"b\",\"c\"\r\n\"1\",\"2\",\"3\"\r\n", nil, "cannot be told"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseTasks("schtasks.csv", []byte(tc.text))
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
