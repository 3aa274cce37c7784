package remediate

import (
	"strings"
	"testing"
	"time"

	"medharden/assets"
)

// FuzzParseTailoring: a tailoring file comes from outside; whatever it holds,
// parsing ends in a tailoring or an error that names the file, never a panic.
func FuzzParseTailoring(f *testing.F) {
	for _, seed := range []string{
		"profile: cis-win7-l1\n",
		"waivers:\n  - id: \"1.1.4\"\n    justification: x\n    approver: y\n    expires: 2027-06-30\n",
		"do_not_touch:\n  services: [PMCentralSvc]\n  accounts: [svcvendor]\nemergency_account: breakglass\nrdp_management: true\n",
		"overrides:\n  \"1.2.2\": 5\n  \"2.2.16\": [S-1-5-32-546]\n",
		"legacy_waivers:\n  - id: MH-EXP-EOS\n    justification: x\n    approver: y\n    network_segment: VLAN 112\n    firewall_rule: FW-7\n    vendor_statement: ACME 2026-01\n    next_review: 2027-06-30\n",
		"legacy_waivers:\n  - {id: MH-PATCH-1, next_review: 2099-01-01}\n",
		"waivers:\n  - {id: MH-EXP-SMB1, justification: x, approver: y, expires: 2027-01-01}\n",
		"a: &x [*x, *x]\n",
		"--- \n...\n",
		"\xff\xfe",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tl, err := ParseTailoring("tailoring.yaml", b)
		if err != nil {
			if !strings.Contains(err.Error(), "tailoring.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, w := range tl.Waivers {
			if w.ID == "" || w.Justification == "" || w.Approver == "" {
				t.Fatalf("accepted an incomplete waiver: %+v", w)
			}
			if assets.LegacyFinding(w.ID) {
				t.Fatalf("accepted %s as an ordinary waiver, without compensating controls", w.ID)
			}
		}
		for _, w := range tl.LegacyWaivers {
			if !assets.LegacyFinding(w.ID) || w.Justification == "" || w.Approver == "" || w.NetworkSegment == "" ||
				w.FirewallRule == "" || w.VendorStatement == "" || w.NextReview == "" {
				t.Fatalf("accepted an incomplete legacy waiver: %+v", w)
			}
			if w.NextReview > time.Now().AddDate(MaxWaiverYears, 0, 1).Format("2006-01-02") {
				t.Fatalf("accepted a review date beyond %d years: %s", MaxWaiverYears, w.NextReview)
			}
		}
	})
}
