package remediate

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/winfmt"
)

const legacyTailoring = `legacy_waivers:
  - id: MH-EXP-EOS
    justification: "Central station validated on Windows 7 only (IEC 62304 release 4.2)"
    approver: "Dr. A. Smith, biomedical engineering"
    network_segment: "VLAN 112, patient-monitoring network"
    firewall_rule: "FW-ICU-07: only HL7 tcp/2575 to 198.51.100.5"
    vendor_statement: "ACME letter 2026-03-01: no OS upgrade for this model"
    next_review: 2027-06-30
`

func TestLegacyWaivers(t *testing.T) {
	tl, err := ParseTailoring("site.yaml", []byte(legacyTailoring))
	require.NoError(t, err)
	require.Len(t, tl.LegacyWaivers, 1)
	assert.Equal(t, LegacyWaiver{ID: "MH-EXP-EOS", Justification: "Central station validated on Windows 7 only (IEC 62304 release 4.2)",
		Approver: "Dr. A. Smith, biomedical engineering", NetworkSegment: "VLAN 112, patient-monitoring network",
		FirewallRule: "FW-ICU-07: only HL7 tcp/2575 to 198.51.100.5", VendorStatement: "ACME letter 2026-03-01: no OS upgrade for this model",
		NextReview: "2027-06-30", Line: 2}, tl.LegacyWaivers[0])

	tl.Now = func() time.Time { return time.Date(2027, 6, 30, 12, 0, 0, 0, time.Local) }
	why, ok := tl.Waive("MH-EXP-EOS")
	require.True(t, ok)
	assert.Contains(t, why, "legacy device")
	rep := checks.Report{Results: []checks.Result{{ID: "MH-EXP-EOS", Status: checks.Waived}, {ID: "1.1.1", Status: checks.Fail}}}
	tl.Mark(&rep)
	require.NotNil(t, rep.Results[0].Compensating)
	assert.Equal(t, checks.Compensating{File: "site.yaml", Line: 2, NetworkSegment: "VLAN 112, patient-monitoring network",
		FirewallRule: "FW-ICU-07: only HL7 tcp/2575 to 198.51.100.5", VendorStatement: "ACME letter 2026-03-01: no OS upgrade for this model",
		NextReview: "2027-06-30"}, *rep.Results[0].Compensating)
	assert.Nil(t, rep.Results[1].Compensating)
	assert.Empty(t, rep.Notes)

	// After the review date the finding shows again, with a note.
	tl.Now = func() time.Time { return time.Date(2027, 7, 1, 0, 1, 0, 0, time.Local) }
	_, ok = tl.Waive("MH-EXP-EOS")
	assert.False(t, ok)
	rep = checks.Report{Results: []checks.Result{{ID: "MH-EXP-EOS", Status: checks.Fail}}}
	tl.Mark(&rep)
	assert.Nil(t, rep.Results[0].Compensating)
	require.Len(t, rep.Notes, 1)
	assert.Contains(t, rep.Notes[0], "due for review on 2027-06-30")
}

// An end-of-support or unpatched-exposure finding is waived only with its
// compensating controls; everything is refused with the file and line.
func TestLegacyWaiversReject(t *testing.T) {
	full := func(id, review string) string {
		return "legacy_waivers:\n  - id: " + id + "\n    justification: j\n    approver: a\n    network_segment: VLAN 9\n    firewall_rule: FW-1\n    vendor_statement: v\n    next_review: " + review + "\n"
	}
	tests := []struct {
		name string
		yaml string
		line int
		want string
	}{
		{"ordinary waiver of an exposure", "waivers:\n  - {id: MH-EXP-EOS, justification: x, approver: y, expires: 2027-01-01}\n", 2, "waive it under legacy_waivers"},
		{"ordinary waiver of a patch check", "waivers:\n  - {id: MH-PATCH-1, justification: x, approver: y, expires: 2027-01-01}\n", 2, "compensating controls"},
		{"no firewall rule", "legacy_waivers:\n  - {id: MH-EXP-EOS, justification: j, approver: a, network_segment: VLAN 9, vendor_statement: v, next_review: 2027-01-01}\n", 2, "needs firewall_rule"},
		{"no controls at all", "legacy_waivers:\n  - {id: MH-PATCH-2, justification: j, approver: a, next_review: 2027-01-01}\n", 2, "needs network_segment, firewall_rule, vendor_statement"},
		{"empty segment", "legacy_waivers:\n  - {id: MH-EXP-EOS, justification: j, approver: a, network_segment: ' ', firewall_rule: f, vendor_statement: v, next_review: 2027-01-01}\n", 2, "needs network_segment"},
		{"not a legacy finding", full(`"1.1.4"`, "2027-01-01"), 2, "legacy_waivers take MH-EXP-* and MH-PATCH-*"},
		{"unknown exposure", full("MH-EXP-HEARTBLEED", "2027-01-01"), 2, "not an end-of-support"},
		{"review too far ahead", full("MH-EXP-EOS", time.Now().AddDate(MaxWaiverYears, 1, 0).Format("2006-01-02")), 8, "years ahead"},
		{"review not a date", full("MH-EXP-EOS", "next spring"), 8, "yyyy-mm-dd"},
		{"unknown field", "legacy_waivers:\n  - {id: MH-EXP-EOS, vlan: 9}\n", 2, `unknown field "vlan"`},
		{"duplicate", full("MH-EXP-EOS", "2027-01-01") + "  - {id: MH-EXP-EOS, justification: j, approver: a, network_segment: n, firewall_rule: f, vendor_statement: v, next_review: 2027-01-01}\n", 9, "already waived at line 2"},
		{"multi-line control", "legacy_waivers:\n  - id: MH-EXP-EOS\n    justification: j\n    approver: a\n    network_segment: \"VLAN 9\\nVLAN 10\"\n    firewall_rule: f\n    vendor_statement: v\n    next_review: 2027-01-01\n", 5, "network_segment"},
		{"not a list", "legacy_waivers: MH-EXP-EOS\n", 1, "must be a list"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTailoring("site.yaml", []byte(tc.yaml))
			require.Error(t, err)
			var pe *winfmt.ParseError
			require.True(t, errors.As(err, &pe), "%T: %v", err, err)
			assert.Equal(t, tc.line, pe.Line, err.Error())
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestLegacyWaiverForUnknownPatchCheck(t *testing.T) {
	tl, err := ParseTailoring("site.yaml", []byte("legacy_waivers:\n  - {id: MH-PATCH-99, justification: j, approver: a, network_segment: n, firewall_rule: f, vendor_statement: v, next_review: 2027-01-01}\n"))
	require.NoError(t, err)
	cat, err := checks.Builtin()
	require.NoError(t, err)
	_, err = tl.Tailor(cat)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `legacy waiver for unknown check "MH-PATCH-99"`)
	assert.Contains(t, err.Error(), "site.yaml")
}
