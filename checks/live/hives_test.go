package live

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsLeftoverMount(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"medharden-live-S-1-5-21-1-2-3-1001", true},
		{"MEDHARDEN-LIVE-S-1-5-21-1-2-3-1001", true},
		{"medharden-collect-S-1-5-21-1-2-3-1001", false}, // the collector's, while it exports
		{"medharden-S-1-5-21-1-2-3-1001", false},         // collector 1.3.0 or an older medharden
		{"medharden-live-", false},
		{"medharden-live-S-", false},
		{"medharden-backup", false},
		{"S-1-5-21-1-2-3-1001", false},
		{".DEFAULT", false},
		{"S-1-5-21-1-2-3-1001_Classes", false},
		{"xmedharden-S-1-5-18", false},
	} {
		assert.Equal(t, tc.want, isLeftoverMount(tc.name), tc.name)
	}
	assert.True(t, isLeftoverMount(mountName("S-1-5-21-1-2-3-1001")))
	assert.False(t, isLeftoverMount(collectorMount("S-1-5-21-1-2-3-1001")))
}

func TestRemount(t *testing.T) {
	const sid = "S-1-5-21-1-2-3-1001"
	m := mountName(sid)
	for _, tc := range []struct{ key, want string }{
		{`HKU\S-1-5-21-1-2-3-1001\Software\Policies`, `HKU\` + m + `\Software\Policies`},
		{`HKEY_USERS\s-1-5-21-1-2-3-1001\Control Panel\Desktop`, `HKU\` + m + `\Control Panel\Desktop`},
		{`HKU/S-1-5-21-1-2-3-1001/Software`, `HKU\` + m + `\Software`},
		{`HKU\S-1-5-21-1-2-3-1001`, `HKU\` + m},
		{`HKLM\SOFTWARE\x`, `HKLM\SOFTWARE\x`},
	} {
		assert.Equal(t, tc.want, remount(tc.key, sid, m), tc.key)
	}
	// A loaded hive is read where Windows has it.
	assert.Equal(t, `HKU\S-1-5-21-1-2-3-1001\Software`, remount(`HKU\S-1-5-21-1-2-3-1001\Software`, sid, sid))
}

func TestHiveFile(t *testing.T) {
	env := map[string]string{"SystemDrive": "C:", "USERPROFILE": `C:\Users\op`}
	expand := func(s string) (string, error) {
		for k, v := range env {
			s = strings.ReplaceAll(s, "%"+k+"%", v)
		}
		return s, nil
	}
	for _, tc := range []struct{ in, want, err string }{
		{`%SystemDrive%\Users\nurse`, `C:\Users\nurse\NTUSER.DAT`, ""},
		{`C:\Documents and Settings\nurse\`, `C:\Documents and Settings\nurse\NTUSER.DAT`, ""},
		{`  D:\Profiles\op  `, `D:\Profiles\op\NTUSER.DAT`, ""},
		{``, "", "empty"},
		{`%NoSuchVar%\Users\x`, "", "variable"},
	} {
		got, err := hiveFile(tc.in, expand)
		if tc.err != "" {
			require.Error(t, err, tc.in)
			assert.Contains(t, err.Error(), tc.err)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got)
	}
	_, err := hiveFile(`%X%`, func(string) (string, error) { return "", errors.New("boom") })
	assert.ErrorContains(t, err, "boom")
}
