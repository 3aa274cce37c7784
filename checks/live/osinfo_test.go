package live

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"medharden/checks"
)

// RtlGetVersion and CurrentVersion values as recorded on each target, with
// what wmic os reports for the same machine.
func TestOSInfo(t *testing.T) {
	cases := []struct {
		name   string
		v      osVersion
		goarch string
		wow64  bool
		want   checks.OSInfo
		family string
		bitlk  bool
	}{
		{
			name:   "win7 pro x64, amd64 build",
			v:      osVersion{Major: 6, Minor: 1, Build: 7601, CSD: "Service Pack 1", ProductName: "Windows 7 Professional", EditionID: "Professional", SKU: 48},
			goarch: "amd64",
			want:   checks.OSInfo{Caption: "Microsoft Windows 7 Professional", Version: "6.1.7601", ServicePack: "Service Pack 1", Architecture: "64-bit", SKU: 48},
			family: "win7",
		},
		{
			name:   "win7 enterprise x64, 386 build under WOW64",
			v:      osVersion{Major: 6, Minor: 1, Build: 7601, CSD: "Service Pack 1", ProductName: "Windows 7 Enterprise", EditionID: "Enterprise", SKU: 4},
			goarch: "386", wow64: true,
			want:   checks.OSInfo{Caption: "Microsoft Windows 7 Enterprise", Version: "6.1.7601", ServicePack: "Service Pack 1", Architecture: "64-bit", SKU: 4},
			family: "win7", bitlk: true,
		},
		{
			name:   "win7 ultimate x86 RTM",
			v:      osVersion{Major: 6, Minor: 1, Build: 7600, ProductName: "Windows 7 Ultimate", EditionID: "Ultimate", SKU: 1},
			goarch: "386",
			want:   checks.OSInfo{Caption: "Microsoft Windows 7 Ultimate", Version: "6.1.7600", Architecture: "32-bit", SKU: 1},
			family: "win7", bitlk: true,
		},
		{
			name:   "xp sp3",
			v:      osVersion{Major: 5, Minor: 1, Build: 2600, CSD: "Service Pack 3", ProductName: "Microsoft Windows XP"},
			goarch: "386",
			want:   checks.OSInfo{Caption: "Microsoft Windows XP", Version: "5.1.2600", ServicePack: "Service Pack 3", Architecture: "32-bit"},
			family: "xp",
		},
		{
			name:   "no ProductName",
			v:      osVersion{Major: 6, Minor: 1, Build: 7601, EditionID: "Embedded"},
			goarch: "amd64",
			want:   checks.OSInfo{Caption: "Microsoft Windows 7 Embedded", Version: "6.1.7601", Architecture: "64-bit"},
			family: "win7",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := osInfo(c.v, c.goarch, c.wow64)
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.family, got.Family())
			assert.Equal(t, c.bitlk, got.HasBitLocker())
		})
	}
}

func TestNoBitLocker(t *testing.T) {
	err := noBitLocker(checks.OSInfo{Caption: "Microsoft Windows 7 Professional", Version: "6.1.7601"})
	assert.True(t, errors.Is(err, checks.ErrNotSupported))
	assert.Contains(t, err.Error(), "Windows 7 Professional has no BitLocker")
	assert.Contains(t, noBitLocker(checks.OSInfo{Version: "6.1.7601"}).Error(), "Windows 6.1.7601")
}

func TestLangID(t *testing.T) {
	for in, want := range map[string]int{"0409": 1033, "040C": 1036, "0407": 1031, "0c0a": 3082, " 0416 ": 1046, "": 0, "zz": 0, "10409": 0} {
		assert.Equal(t, want, langID(in), in)
	}
}
