package workflow

import (
	"sort"
	"strings"

	"medharden/assets"
	"medharden/checks"
)

// Risk groups of the findings that need attention, most urgent first.
const (
	RiskCredential = "Blank or default password (logon test)"
	RiskExposure   = "Critical exposure"
	RiskPassword   = "Blank or clear-text password"
	RiskAccount    = "Accounts and logon"
	RiskOther      = "Other settings"
)

// credentialChecks test the accounts' passwords themselves (a blank or a
// vendor's published default): the most direct way in, so they come first.
var credentialChecks = map[string]bool{"MH-CRED-1": true, "MH-CRED-2": true}

// passwordChecks find a blank or a clear-text password: an account anyone
// can log on to, or a password anyone can read.
var passwordChecks = map[string]bool{"MH-ACC-3": true, "MH-LOGON-1": true}

// Attention is one finding that needs someone's attention, with its risk
// group and the check folded into it (the update check of an exposure).
type Attention struct {
	Result checks.Result
	Group  string
	Also   string
}

// Attention lists the open target's findings (failures and errors) by
// clinical risk: blank or vendor-default passwords found by the logon test
// (or their signs), the critical exposures, blank or clear-text passwords,
// accounts and logon (account policies, the Accounts options, medharden's
// account checks), then the others by capability; a check that could not
// be read comes after the failures of its group. The update check of a
// listed exposure is folded into it.
func (s *Session) Attention() []Attention {
	rep, _ := s.Report()
	links := s.ExposureChecks()
	folded := map[string]string{}
	for _, r := range rep.Results {
		if check, ok := links[r.ID]; ok && assets.CriticalFinding(r) {
			folded[check] = r.ID
		}
	}
	var out []Attention
	for _, r := range rep.Results {
		if (r.Status != checks.Fail && r.Status != checks.Error) || folded[r.ID] != "" {
			continue
		}
		out = append(out, Attention{Result: r, Group: riskGroup(r), Also: links[r.ID]})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ra, rb := riskRank(a.Group), riskRank(b.Group); ra != rb {
			return ra < rb
		}
		if (a.Result.Status == checks.Error) != (b.Result.Status == checks.Error) {
			return b.Result.Status == checks.Error
		}
		if a.Group == RiskOther {
			return firstCap(a.Result) < firstCap(b.Result)
		}
		return false
	})
	return out
}

func riskGroup(r checks.Result) string {
	switch {
	case credentialChecks[r.ID]:
		return RiskCredential
	case assets.CriticalFinding(r):
		return RiskExposure
	case passwordChecks[r.ID]:
		return RiskPassword
	case strings.HasPrefix(r.ID, "MH-ACC-"), strings.HasPrefix(r.ID, "1."), strings.HasPrefix(r.ID, "2.3.1."):
		return RiskAccount
	}
	return RiskOther
}

func riskRank(group string) int {
	for i, g := range []string{RiskCredential, RiskExposure, RiskPassword, RiskAccount, RiskOther} {
		if g == group {
			return i
		}
	}
	return 5
}

func firstCap(r checks.Result) string {
	if len(r.Capabilities) == 0 {
		return "~"
	}
	return r.Capabilities[0]
}
