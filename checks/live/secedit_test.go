package live

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks/winfmt"
)

func TestSeceditArea(t *testing.T) {
	for section, want := range map[string]string{
		"Privilege Rights": "USER_RIGHTS",
		"System Access":    "SECURITYPOLICY",
		"event audit":      "SECURITYPOLICY",
		"Registry Values":  "SECURITYPOLICY",
	} {
		got, err := seceditArea(section)
		require.NoError(t, err, section)
		assert.Equal(t, want, got, section)
	}
	_, err := seceditArea("File Security")
	assert.Error(t, err)
}

// The template reads back, as secedit would, to the value asked for.
func TestSeceditTemplate(t *testing.T) {
	cases := []struct{ section, key, value, written string }{
		{"System Access", "NewAdministratorName", "biomed-admin", `"biomed-admin"`},
		{"System Access", "NewGuestName", `"NoGuest"`, `"NoGuest"`},
		{"System Access", "EnableGuestAccount", "0", "0"},
		{"System Access", "LSAAnonymousNameLookup", "0", "0"},
		{"System Access", "PasswordComplexity", "1", "1"},
		{"Event Audit", "AuditLogonEvents", "3", "3"},
		{"Privilege Rights", "SeDenyNetworkLogonRight", "*S-1-5-32-546,*S-1-5-113", "*S-1-5-32-546,*S-1-5-113"},
		{"Registry Values", `MACHINE\System\CurrentControlSet\Control\Lsa\RestrictAnonymous`, "4,1", "4,1"},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			tpl, err := seceditTemplate(c.section, c.key, c.value)
			require.NoError(t, err)
			var buf bytes.Buffer
			require.NoError(t, winfmt.WriteINF(&buf, tpl))
			assert.Equal(t, []byte{0xff, 0xfe}, buf.Bytes()[:2], "UTF-16LE with BOM")
			back, err := winfmt.ParseINF("apply.inf", buf.Bytes())
			require.NoError(t, err)
			v, ok := back.Get("Unicode", "Unicode")
			assert.True(t, ok)
			assert.Equal(t, "yes", v)
			v, _ = back.Get("Version", "signature")
			assert.Equal(t, `"$CHICAGO$"`, v)
			v, _ = back.Get("Version", "Revision")
			assert.Equal(t, "1", v)
			v, ok = back.Get(c.section, c.key)
			require.True(t, ok)
			assert.Equal(t, c.written, v)
		})
	}
}

func TestSeceditTemplateRejects(t *testing.T) {
	for _, c := range [][3]string{
		{"System Access", "NewAdministratorName", `bad"name`},
		{"System Access", "Key=Value", "1"},
		{"System Access", "", "1"},
		{"System Access", "EnableGuestAccount", "0\r\n[Privilege Rights]"},
	} {
		tpl, err := seceditTemplate(c[0], c[1], c[2])
		if err == nil {
			err = winfmt.WriteINF(&bytes.Buffer{}, tpl)
		}
		assert.Error(t, err, "%q", c)
	}
}

func TestSeceditArgs(t *testing.T) {
	assert.Equal(t, []string{"/export", "/cfg", `C:\T\e.inf`, "/areas", "SECURITYPOLICY", "USER_RIGHTS", "/log", `C:\T\s.log`, "/quiet"},
		exportArgs(`C:\T\e.inf`, `C:\T\s.log`))
	assert.Equal(t, []string{"/configure", "/db", `C:\T\a.sdb`, "/cfg", `C:\T\a.inf`, "/areas", "USER_RIGHTS", "/log", `C:\T\s.log`, "/quiet"},
		configureArgs(`C:\T\a.sdb`, `C:\T\a.inf`, "USER_RIGHTS", `C:\T\s.log`))
}

func TestSeceditLogTail(t *testing.T) {
	log := "----Configuration started: 11/24/2025 10:00:00\r\n\r\n" +
		"Configure security policy...\r\n" +
		"Error 1332: No mapping between account names and security IDs was done.\r\n" +
		"Error configuring SeDenyNetworkLogonRight.\r\n\r\n" +
		"----Un-initialization and cleanup...\r\n"
	b := winfmt.UTF16File(log)
	assert.Equal(t, "Error 1332: No mapping between account names and security IDs was done. | Error configuring SeDenyNetworkLogonRight. | ----Un-initialization and cleanup...",
		seceditLogTail(b, 3))
	assert.Equal(t, "", seceditLogTail(nil, 3))
}
