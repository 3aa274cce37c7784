package assets

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"medharden/checks"
)

// ExposureStatus is the verdict on one critical exposure.
type ExposureStatus string

const (
	Exposed    ExposureStatus = "exposed"
	NotExposed ExposureStatus = "not_exposed"
	// Unknown: the data needed was not collected; Reason says which.
	Unknown ExposureStatus = "unknown"
)

// Exposure is a critical legacy weakness with the evidence for the verdict.
type Exposure struct {
	ID           string         `json:"id"` // "MS17-010"
	Title        string         `json:"title"`
	Status       ExposureStatus `json:"status"`
	Evidence     string         `json:"evidence"`
	Reason       string         `json:"reason,omitempty"` // why unknown
	Capabilities []string       `json:"capabilities"`
	Remedy       string         `json:"remedy,omitempty"`
	// CheckID is the catalog check whose update list decided the verdict.
	CheckID string `json:"check_id,omitempty"`
}

// Exposure ids, also the suffix of the MH-EXP-* result ids.
const (
	ExpMS17010  = "MS17-010"
	ExpBlueKeep = "CVE-2019-0708"
	ExpMS08067  = "MS08-067"
	ExpSMB1     = "SMB1"
	ExpEOS      = "EOS"
)

// LegacyFinding tells whether a result id is an end-of-support or
// unpatched-exposure finding (an MH-EXP-* exposure or an MH-PATCH-* update
// check): on a device that cannot be patched, the hospital's legacy-device
// policy waives those only with compensating controls recorded.
func LegacyFinding(id string) bool {
	if strings.HasPrefix(id, "MH-PATCH-") {
		return true
	}
	for _, e := range []string{ExpMS17010, ExpBlueKeep, ExpMS08067, ExpSMB1, ExpEOS} {
		if id == "MH-EXP-"+e {
			return true
		}
	}
	return false
}

// ExposureResult tells whether id names an MH-EXP-* result.
func ExposureResult(id string) bool {
	return strings.HasPrefix(id, "MH-EXP-") && LegacyFinding(id)
}

// CriticalFinding tells whether a result is a critical exposure found on
// the device, or one that could not be ruled out: what every view and
// report shows first.
func CriticalFinding(r checks.Result) bool {
	return ExposureResult(r.ID) && (r.Status == checks.Fail || r.Status == checks.Error)
}

// CriticalFirst returns the results with the critical findings first, the
// rest in their order.
func CriticalFirst(results []checks.Result) []checks.Result {
	out := make([]checks.Result, 0, len(results))
	for _, r := range results {
		if CriticalFinding(r) {
			out = append(out, r)
		}
	}
	for _, r := range results {
		if !CriticalFinding(r) {
			out = append(out, r)
		}
	}
	return out
}

// exposureCaps are the 80001-2-2 capabilities every exposure touches:
// cyber security product upgrades and system and application hardening.
var exposureCaps = []string{"CSUP", "SAHD"}

// End of support dates Microsoft published.
var (
	win7EOS = time.Date(2020, 1, 14, 0, 0, 0, 0, time.UTC)
	xpEOS   = time.Date(2014, 4, 8, 0, 0, 0, 0, time.UTC)
	xpeEOS  = time.Date(2016, 1, 12, 0, 0, 0, 0, time.UTC) // XP Embedded SP3
)

const (
	tsKey       = `HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server`
	tsPolicyKey = `HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services`
	rdpTcpKey   = tsKey + `\WinStations\RDP-Tcp`
	lanSrvKey   = `HKLM\SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters`
)

// patchCheck names the catalog check holding the fixing updates for an
// exposure on an OS family: the KB lists live in the catalog, once.
var patchCheck = map[string]map[string]string{
	ExpMS17010:  {"win7": "MH-PATCH-1", "xp": "MH-PATCH-2"},
	ExpBlueKeep: {"win7": "MH-PATCH-3", "xp": "MH-PATCH-4"},
	ExpMS08067:  {"xp": "MH-PATCH-5"},
}

// assess decides every exposure from the record and, for RDP and SMB,
// from the registry.
func assess(ctx context.Context, h checks.Host, rec *Record) []Exposure {
	a := assessor{ctx: ctx, h: h, rec: rec}
	return []Exposure{a.ms17010(), a.blueKeep(), a.ms08067(), a.smb1(), a.endOfSupport()}
}

type assessor struct {
	ctx context.Context
	h   checks.Host
	rec *Record
}

func newExposure(id, title string) Exposure {
	return Exposure{ID: id, Title: title, Capabilities: append([]string(nil), exposureCaps...)}
}

func (e Exposure) unknown(reason string) Exposure {
	e.Status, e.Reason = Unknown, reason
	if e.Evidence == "" {
		e.Evidence = reason
	}
	return e
}

// patch reports which of the fixing updates are installed.
type patchState struct {
	check     checks.Check
	installed []string
	ok        bool   // the verdict can be given
	why       string // when !ok
}

func (a assessor) patch(id string) patchState {
	fam := a.rec.OS.Family
	cid, known := patchCheck[id][fam]
	if !known {
		return patchState{why: fmt.Sprintf("medharden knows the fixing updates for Windows 7 and XP only; this is %s", describe(a.rec.OS))}
	}
	cat, err := checks.Builtin()
	if err != nil {
		return patchState{why: "catalog: " + err.Error()}
	}
	ch, found := cat.Get(cid)
	if !found || len(ch.Probe.Hotfix) == 0 {
		return patchState{why: "the catalog has no update list " + cid}
	}
	st := patchState{check: ch}
	if gapOf(a.rec, "hotfixes") != "" {
		st.why = "the installed updates were not collected: " + gapOf(a.rec, "hotfixes")
		return st
	}
	have := map[string]Hotfix{}
	for _, f := range a.rec.Hotfixes {
		have[strings.ToUpper(f.ID)] = f
	}
	for _, kb := range ch.Probe.Hotfix {
		if f, ok := have[strings.ToUpper(kb)]; ok {
			s := f.ID
			switch {
			case f.InstalledOn != "":
				s += " (" + f.InstalledOn + ")"
			case f.InstalledOnRaw != "":
				s += " (installed on an unreadable date: " + strconv.Quote(f.InstalledOnRaw) + ")"
			}
			st.installed = append(st.installed, s)
		}
	}
	st.ok = true
	return st
}

func (st patchState) evidence(n int) string {
	if len(st.installed) > 0 {
		return "installed: " + strings.Join(st.installed, ", ")
	}
	kbs := st.check.Probe.Hotfix
	list := strings.Join(kbs, ", ")
	if len(kbs) > 4 {
		list = strings.Join(kbs[:3], ", ") + fmt.Sprintf(" or any of %d later rollups", len(kbs)-3)
	}
	return fmt.Sprintf("none of %s among %d installed updates", list, n)
}

func (e Exposure) fromPatch(st patchState, n int) Exposure {
	e.CheckID = st.check.ID
	e.Remedy = st.check.Fix.Manual
	if !st.ok {
		return e.unknown(st.why)
	}
	e.Evidence = st.evidence(n)
	if len(st.installed) > 0 {
		e.Status = NotExposed
	} else {
		e.Status = Exposed
	}
	return e
}

func (a assessor) ms17010() Exposure {
	e := newExposure(ExpMS17010, "MS17-010 EternalBlue (WannaCry): SMBv1 remote code execution")
	e = e.fromPatch(a.patch(ExpMS17010), len(a.rec.Hotfixes))
	if e.Status == Exposed && a.smbServerDisabled() {
		e.Evidence += "; the Server service is disabled, which closes the attack path until it is started again"
	}
	return e
}

func (a assessor) ms08067() Exposure {
	e := newExposure(ExpMS08067, "MS08-067 (Conficker): Server service remote code execution")
	if a.rec.OS.Family == "win7" {
		e.Status = NotExposed
		e.Evidence = "Windows 7 shipped with the MS08-067 fix (released before Windows 7)"
		return e
	}
	return e.fromPatch(a.patch(ExpMS08067), len(a.rec.Hotfixes))
}

func (a assessor) blueKeep() Exposure {
	e := newExposure(ExpBlueKeep, "CVE-2019-0708 BlueKeep: Remote Desktop remote code execution before logon")
	st := a.patch(ExpBlueKeep)
	if st.ok && len(st.installed) > 0 {
		return e.fromPatch(st, len(a.rec.Hotfixes))
	}
	on, rdpEvidence, err := a.rdpEnabled()
	if err != nil {
		e.CheckID, e.Remedy = st.check.ID, st.check.Fix.Manual
		return e.unknown("cannot tell whether Remote Desktop is enabled: " + err.Error())
	}
	if !on {
		e.Status = NotExposed
		e.Evidence = rdpEvidence
		e.CheckID, e.Remedy = st.check.ID, st.check.Fix.Manual
		if st.ok {
			e.Evidence += "; the fix is not installed (" + st.evidence(len(a.rec.Hotfixes)) + "), so enabling Remote Desktop would expose the device"
		}
		return e
	}
	e = e.fromPatch(st, len(a.rec.Hotfixes))
	e.Evidence = rdpEvidence + "; " + e.Evidence
	if e.Status == Exposed {
		if v, err := a.dword(rdpTcpKey, "UserAuthentication"); err == nil {
			if v == 0 {
				e.Evidence += "; Network Level Authentication is off (RDP-Tcp UserAuthentication = 0)"
			} else {
				e.Evidence += "; Network Level Authentication is on, which limits the attack to holders of a valid account"
			}
		}
	}
	return e
}

// rdpEnabled reads fDenyTSConnections: the policy value wins over the
// local one, as Windows applies it; absent everywhere means the Windows
// default, Remote Desktop off.
func (a assessor) rdpEnabled() (bool, string, error) {
	for _, key := range []string{tsPolicyKey, tsKey} {
		v, err := a.dword(key, "fDenyTSConnections")
		switch {
		case err == nil:
			state := "enabled"
			if v != 0 {
				state = "disabled"
			}
			return v == 0, fmt.Sprintf("Remote Desktop is %s (%s fDenyTSConnections = %d)", state, key, v), nil
		case errors.Is(err, checks.ErrAbsent):
			continue
		case key == tsPolicyKey && errors.Is(err, checks.ErrNotCollected):
			continue // no policy export: the local value decides
		default:
			return false, "", err
		}
	}
	return false, "Remote Desktop is disabled (fDenyTSConnections is not set: Windows default)", nil
}

func (a assessor) dword(key, name string) (uint64, error) {
	v, err := a.h.RegValue(a.ctx, key, name)
	if err != nil {
		return 0, err
	}
	n, ok := v.Uint64()
	if !ok {
		return 0, fmt.Errorf("%s\\%s is not a number (type %d)", key, name, v.Type)
	}
	return n, nil
}

// smbServerDisabled tells whether the Server service cannot start.
func (a assessor) smbServerDisabled() bool {
	st, err := a.h.ServiceStart(a.ctx, "LanmanServer")
	return err == nil && st == checks.StartDisabled
}

func (a assessor) smb1() Exposure {
	e := newExposure(ExpSMB1, "SMBv1 server enabled")
	e.Remedy = "Set HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters SMB1 = 0 (REG_DWORD) and restart, after the device vendor confirms nothing on the network still needs SMBv1."
	switch a.rec.OS.Family {
	case "xp":
		e.Remedy = "Windows XP has no SMB other than SMBv1: block TCP 139/445 to the device or disable the Server service if the vendor allows."
		e.Status = Exposed
		e.Evidence = "Windows XP speaks only SMBv1"
		if a.smbServerDisabled() {
			e.Evidence += "; the Server service is disabled, so nothing listens until it is started again"
		}
		return e
	case "win7":
	default:
		return e.unknown("SMBv1 is judged for Windows 7 and XP only; this is " + describe(a.rec.OS))
	}
	v, err := a.dword(lanSrvKey, "SMB1")
	switch {
	case err == nil && v == 0:
		e.Status = NotExposed
		e.Evidence = lanSrvKey + " SMB1 = 0"
	case err == nil:
		e.Status = Exposed
		e.Evidence = fmt.Sprintf("%s SMB1 = %d", lanSrvKey, v)
	case errors.Is(err, checks.ErrAbsent):
		e.Status = Exposed
		e.Evidence = lanSrvKey + " SMB1 is not set: Windows 7 then serves SMBv1"
	default:
		return e.unknown("cannot read the SMB server settings: " + err.Error())
	}
	if e.Status == Exposed && a.smbServerDisabled() {
		e.Evidence += "; the Server service is disabled, so nothing listens until it is started again"
	}
	return e
}

func (a assessor) endOfSupport() Exposure {
	e := newExposure(ExpEOS, "Windows is past its end of support")
	e.Remedy = "Plan the replacement or upgrade with the device vendor; until then isolate the device on its own network segment."
	var end time.Time
	var what string
	switch a.rec.OS.Family {
	case "win7":
		end, what = win7EOS, "Windows 7 extended support ended 2020-01-14 (paid Extended Security Updates ended 2023-01-10)"
	case "xp":
		end, what = xpEOS, "Windows XP support ended 2014-04-08"
		if strings.Contains(strings.ToLower(a.rec.OS.Name), "embedded") {
			end, what = xpeEOS, "Windows XP Embedded SP3 support ended 2016-01-12"
		}
	default:
		return e.unknown("end of support is known for Windows 7 and XP only; this is " + describe(a.rec.OS))
	}
	at, err := time.Parse(time.RFC3339, a.rec.CollectedAt)
	if err != nil {
		at = now()
	}
	if at.Before(end) {
		e.Status = NotExposed
		e.Evidence = fmt.Sprintf("%s; still supported on %s", what, at.Format("2006-01-02"))
		return e
	}
	e.Status = Exposed
	e.Evidence = fmt.Sprintf("%s: %d days before this inventory (%s)", what, int(at.Sub(end).Hours()/24), at.Format("2006-01-02"))
	return e
}

func describe(o OS) string {
	if o.Name != "" {
		return o.Name + " (" + o.Version + ")"
	}
	return "Windows " + o.Version
}

func gapOf(rec *Record, part string) string {
	for _, g := range rec.Gaps {
		if g.Part == part {
			return g.Reason
		}
	}
	return ""
}

// An exposure result expects, in words, what its `expected` notation
// ("not exposed") says; its reason is a sentence about the device, like a
// check's about its setting, followed by the remedy when it is exposed.
const (
	exposureWords = "must not be exposed"
	exposureOf    = "The device"
)

// exposedSentence starts the reason of an exposed result.
var exposedSentence = checks.Sentence(exposureOf, "it is exposed; it "+exposureWords)

// ExposureAction is what to do about an exposure result: the remedy its
// reason gives after saying that the device is exposed ("" when it gives
// none).
func ExposureAction(r checks.Result) string {
	if !strings.HasPrefix(r.Reason, exposedSentence) {
		return ""
	}
	return strings.TrimSpace(r.Reason[len(exposedSentence):])
}

// ExposureResults turns a record's exposures into check results, so that
// reports show them beside the CIS results: exposed is fail, not exposed is
// pass, unknown is error. Ids are "MH-EXP-<id>", level "MH".
func ExposureResults(rec Record) []checks.Result {
	out := make([]checks.Result, 0, len(rec.Exposures))
	for _, e := range rec.Exposures {
		r := checks.Result{
			ID:           "MH-EXP-" + e.ID,
			Title:        e.Title,
			Level:        "MH",
			Capabilities: append([]string(nil), e.Capabilities...),
			Expected:     "not exposed",
			Words:        exposureWords,
			Actual:       e.Evidence,
			Source:       "device inventory",
		}
		switch e.Status {
		case Exposed:
			r.Status, r.Reason = checks.Fail, exposedSentence
			if e.Remedy != "" {
				r.Reason += " " + checks.Sentence("", e.Remedy)
			}
		case NotExposed:
			r.Status, r.Reason = checks.Pass, checks.Sentence(exposureOf, "it is not exposed")
		default:
			r.Status, r.Reason = checks.Error, e.Reason
		}
		if r.Capabilities == nil {
			r.Capabilities = []string{}
		}
		if r.Actual == "" {
			r.Actual = e.Reason
		}
		out = append(out, r)
	}
	return out
}
