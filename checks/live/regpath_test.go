package live

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplitKey(t *testing.T) {
	cases := []struct {
		in   string
		hive hive
		sub  string
	}{
		{`HKLM\SOFTWARE\Policies\Microsoft\Windows\EventLog\Security`, hiveLocalMachine, `SOFTWARE\Policies\Microsoft\Windows\EventLog\Security`},
		{`HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Lsa`, hiveLocalMachine, `SYSTEM\CurrentControlSet\Control\Lsa`},
		{`hklm\system\\currentcontrolset\`, hiveLocalMachine, `system\currentcontrolset`},
		{`MACHINE\System\CurrentControlSet\Control\Lsa`, hiveLocalMachine, `System\CurrentControlSet\Control\Lsa`},
		{`HKCU\Software\Policies\Microsoft\Windows\Control Panel\Desktop`, hiveCurrentUser, `Software\Policies\Microsoft\Windows\Control Panel\Desktop`},
		{`HKEY_USERS\.DEFAULT\Control Panel`, hiveUsers, `.DEFAULT\Control Panel`},
		{`HKCR\exefile`, hiveClassesRoot, `exefile`},
		{`HKLM/SOFTWARE/medharden-test`, hiveLocalMachine, `SOFTWARE\medharden-test`},
		{`HKLM`, hiveLocalMachine, ``},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			h, sub, err := splitKey(c.in)
			require.NoError(t, err)
			assert.Equal(t, c.hive, h)
			assert.Equal(t, c.sub, sub)
		})
	}
}

func TestSplitKeyRejectsUnknownRoot(t *testing.T) {
	for _, in := range []string{``, `SOFTWARE\Microsoft`, `HKLM64\SOFTWARE`, `HKEY_CURRENT_CONFIG\System`} {
		_, _, err := splitKey(in)
		assert.Error(t, err, in)
	}
}

func TestRegistryValuesPath(t *testing.T) {
	key, name, err := registryValuesPath(`MACHINE\System\CurrentControlSet\Control\Lsa\RestrictAnonymous`)
	require.NoError(t, err)
	assert.Equal(t, `MACHINE\System\CurrentControlSet\Control\Lsa`, key)
	assert.Equal(t, "RestrictAnonymous", name)

	for _, bad := range []string{`RestrictAnonymous`, `MACHINE\Lsa\`, `NOPE\Lsa\X`} {
		_, _, err := registryValuesPath(bad)
		assert.Error(t, err, bad)
	}
}
