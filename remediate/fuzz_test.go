package remediate

import (
	"strings"
	"testing"
)

// FuzzParseTailoring: a tailoring file comes from outside; whatever it holds,
// parsing ends in a tailoring or an error that names the file, never a panic.
func FuzzParseTailoring(f *testing.F) {
	for _, seed := range []string{
		"profile: cis-win7-l1\n",
		"waivers:\n  - id: \"1.1.4\"\n    justification: x\n    approver: y\n    expires: 2027-06-30\n",
		"do_not_touch:\n  services: [PMCentralSvc]\n  accounts: [svcvendor]\nemergency_account: breakglass\nrdp_management: true\n",
		"overrides:\n  \"1.2.2\": 5\n  \"2.2.16\": [S-1-5-32-546]\n",
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
		}
	})
}
