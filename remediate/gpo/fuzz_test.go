package gpo

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func xmlSeeds(f *testing.F, name string) {
	dir := filepath.Join(sample(generated), "{6B0F3C2A-1D4E-4F5A-9B7C-8D2E1F0A3B4C}")
	if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
		f.Add(b)
	}
	f.Add(backupXML("{6B0F3C2A-1D4E-4F5A-9B7C-8D2E1F0A3B4C}", "a <b> & \"c\"", "[{x}{y}]", 2, ""))
	f.Add([]byte(xmlHeader + "<BackupInst><GPOGuid>{6B0F3C2A-1D4E-4F5A-9B7C-8D2E1F0A3B4C}</GPOGuid><ID>{6B0F3C2A-1D4E-4F5A-9B7C-8D2E1F0A3B4D}</ID><GPODisplayName>n</GPODisplayName></BackupInst>"))
	f.Add([]byte("<GroupPolicyBackupScheme><unclosed>"))
	f.Add([]byte("\xff\xfe<\x00a\x00/\x00>\x00"))
	f.Add([]byte{})
}

// FuzzParseBackupXML: Backup.xml never panics the reader; what it accepts
// is a {GUID} and one line of name, and writes back to the same.
func FuzzParseBackupXML(f *testing.F) {
	xmlSeeds(f, "Backup.xml")
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := ParseBackupXML("Backup.xml", b)
		if err != nil {
			return
		}
		require.Regexp(t, guidText, info.GPOGuid)
		again, err := ParseBackupXML("Backup.xml", backupXML(info.GPOGuid, info.DisplayName, "", 0, ""))
		require.NoError(t, err)
		assert.Equal(t, info.GPOGuid, again.GPOGuid)
		assert.Equal(t, info.DisplayName, again.DisplayName)
	})
}

// FuzzParseBkupInfo: the same for bkupInfo.xml.
func FuzzParseBkupInfo(f *testing.F) {
	xmlSeeds(f, "bkupInfo.xml")
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := ParseBkupInfo("bkupInfo.xml", b)
		if err != nil {
			return
		}
		require.Regexp(t, guidText, info.GPOGuid)
		inst := backupInstXML(info.GPOGuid, info.GPOGuid, info.DisplayName, "2026-01-01T00:00:00")
		again, err := ParseBkupInfo("bkupInfo.xml", []byte(xmlHeader+"<BackupInst xmlns=\""+manifestNS+"\">"+inst+"</BackupInst>"))
		require.NoError(t, err)
		assert.Equal(t, info.GPOGuid, again.GPOGuid)
		assert.Equal(t, info.DisplayName, again.DisplayName)
	})
}

// FuzzAddAudit: an audit.csv never panics the reader, and every setting it
// accepts is a subcategory by GUID.
func FuzzAddAudit(f *testing.F) {
	f.Add([]byte("Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value\r\n,System,Logon,{0CCE9215-69AE-11D9-BED3-505054503030},Success,,1\r\n"))
	f.Add([]byte("Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value\r\n,,Option:CrashOnAuditFail,,Disabled,,0\r\n"))
	f.Add([]byte("a,b\r\n1\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := &Baseline{}
		if err := b.addAudit("audit.csv", data); err != nil {
			return
		}
		for _, s := range b.Settings {
			require.Regexp(t, guidPattern, s.Address.Name)
			require.NotNil(t, s.Value.Audit)
		}
	})
}
