package live

import (
	"fmt"
	"strconv"
	"strings"

	"medharden/checks"
)

// osVersion is what RtlGetVersion and the CurrentVersion key say.
type osVersion struct {
	Major, Minor, Build uint32
	CSD                 string // "Service Pack 1"
	ProductName         string // "Windows 7 Professional"
	EditionID           string // "Professional"
	SKU                 int
}

// osInfo builds OSInfo the way wmic os reports it, so the catalog family,
// the BitLocker edition test and the report agree with a snapshot.
func osInfo(v osVersion, goarch string, wow64 bool) checks.OSInfo {
	return checks.OSInfo{
		Caption:      caption(v.ProductName, v.EditionID, v.Major, v.Minor),
		Version:      fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Build),
		ServicePack:  strings.TrimSpace(v.CSD),
		Architecture: architecture(goarch, wow64),
		SKU:          v.SKU,
	}
}

// caption is Win32_OperatingSystem.Caption without its trailing space:
// "Microsoft " plus the ProductName.
func caption(product, edition string, major, minor uint32) string {
	p := strings.TrimSpace(product)
	if p == "" {
		p = "Windows"
		if major == 6 && minor == 1 {
			p = "Windows 7"
		}
		if e := strings.TrimSpace(edition); e != "" {
			p += " " + e
		}
	}
	if !strings.HasPrefix(strings.ToLower(p), "microsoft ") {
		p = "Microsoft " + p
	}
	return p
}

// architecture is the OS's, not the process's: a 386 build under WOW64
// runs on 64-bit Windows.
func architecture(goarch string, wow64 bool) string {
	switch goarch {
	case "amd64", "arm64":
		return "64-bit"
	}
	if wow64 {
		return "64-bit"
	}
	return "32-bit"
}

// WBEM_E_INVALID_NAMESPACE: the BitLocker WMI namespace exists only on
// editions that ship BitLocker.
const wbemInvalidNamespace = 0x8004100E

// noBitLocker is the answer for an edition without BitLocker.
func noBitLocker(info checks.OSInfo) error {
	what := strings.TrimSpace(info.Caption)
	if what == "" {
		what = "Windows " + info.Version
	}
	return fmt.Errorf("%w: %s has no BitLocker drive encryption (only Windows 7 Ultimate and Enterprise do)", checks.ErrNotSupported, what)
}

// langID reads the install language as the registry writes it, four hex
// digits ("0409"), into the LCID Win32_OperatingSystem.OSLanguage gives
// (1033); 0 when it is not a language id.
func langID(s string) int {
	s = strings.TrimSpace(s)
	if len(s) == 0 || len(s) > 4 {
		return 0
	}
	n, err := strconv.ParseUint(s, 16, 16)
	if err != nil {
		return 0
	}
	return int(n)
}
