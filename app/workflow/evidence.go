package workflow

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"medharden/checks"
	"medharden/remediate"
)

// EvidenceFormat is the version of the evidence document's layout.
const EvidenceFormat = 1

// Capability statuses of the evidence document.
const (
	CapMet           = "met"            // every check passes or does not apply
	CapMetExceptions = "met-exceptions" // no finding; some checks are waived
	CapNotMet        = "not-met"        // at least one check fails
	CapUndetermined  = "undetermined"   // no failure, but a check could not be read
	CapNotAssessed   = "not-assessed"   // no check of the catalog covers it
)

// capabilityMeanings are the one-line meanings of the IEC/TR 80001-2-2
// capabilities as the MDS2 form explains them (shared/reference), in plain
// words for the evidence document; the names are checks.Capabilities.
var capabilityMeanings = map[string]string{
	"ALOF": "Prevent access and misuse by unauthorized users if the device is left idle for a period of time.",
	"AUDT": "Ability to reliably audit activity on the device.",
	"AUTH": "Ability of the device to determine the authorization of users.",
	"CNFS": "Ability to configure device security capabilities to meet users' needs.",
	"CSUP": "Ability of on-site or remote service staff, or authorized customer staff, to install and upgrade the device's security patches.",
	"DIDT": "Ability of the device to directly remove information that allows identification of a person.",
	"DTBK": "Ability to recover after damage or destruction of device data, hardware, software or site configuration information.",
	"EMRG": "Ability of the device user to access health data in a medical emergency that requires immediate access (break-glass).",
	"IGAU": "How the device ensures that stored data has not been altered or destroyed in an unauthorized manner and is from the originator.",
	"MLDP": "Ability of the device to effectively prevent, detect and remove malicious software.",
	"NAUT": "Ability of the device to authenticate communication partners and nodes.",
	"PAUT": "Ability to configure the device to authenticate users.",
	"PLOK": "Physical locks that keep people with physical access from compromising stored data or removable media.",
	"RDMP": "The manufacturer's plans for security support of third-party components within the device's life cycle.",
	"SAHD": "The device's inherent resistance to cyber attacks and malware.",
	"SGUD": "Availability of security guidance for the operator and administrator of the device and for the manufacturer's sales and service.",
	"STCF": "Ability to ensure that unauthorized access does not compromise the integrity and confidentiality of health data stored on the device or removable media.",
	"TXCF": "Ability of the device to ensure the confidentiality of transmitted health data.",
	"TXIG": "Ability of the device to ensure the integrity of transmitted data.",
}

// CapabilityMeaning is the plain-words meaning of a capability code.
func CapabilityMeaning(code string) string { return capabilityMeanings[code] }

// Evidence is the evidence document: the data, and the manifest that
// fingerprints the snapshot files and the data.
type Evidence struct {
	Format   int          `json:"format"`
	Data     EvidenceData `json:"data"`
	Manifest Manifest     `json:"manifest"`
}

// EvidenceData is what the document states; Manifest.DataSHA256 is the
// SHA-256 of its canonical JSON (CanonicalJSON).
type EvidenceData struct {
	Document     DocumentInfo         `json:"document"`
	Device       DeviceInfo           `json:"device"`
	Verdict      string               `json:"verdict"`
	Counts       checks.Counts        `json:"counts"`
	Notes        []string             `json:"notes"`
	Capabilities []CapabilityEvidence `json:"capabilities"`
	// Runs are the remediation runs found for the device, newest first;
	// Unverifiable are the run folders whose records do not verify: their
	// content is not shown.
	Runs         []RunEvidence    `json:"runs"`
	Unverifiable []RunUnverified  `json:"unverifiable_runs"`
	Waivers      []WaiverEvidence `json:"waivers"`
}

// DocumentInfo says who made the document, when, and with what.
type DocumentInfo struct {
	Title       string `json:"title"`
	GeneratedAt string `json:"generated_at"`
	GeneratedBy string `json:"generated_by"`
	Tool        string `json:"tool"`
	Version     string `json:"version"`
	Catalog     string `json:"catalog"`
	Profile     string `json:"profile"`
	Tailoring   string `json:"tailoring,omitempty"`
}

// DeviceInfo identifies the device the document is about.
type DeviceInfo struct {
	Hostname     string `json:"hostname"`
	Domain       string `json:"domain,omitempty"`
	OS           string `json:"os"`
	ServicePack  string `json:"service_pack,omitempty"`
	Version      string `json:"version,omitempty"`
	Architecture string `json:"architecture,omitempty"`
	// Source is "live" or "snapshot"; Snapshot is the folder's name.
	Source      string `json:"source"`
	Snapshot    string `json:"snapshot,omitempty"`
	CollectedAt string `json:"collected_at,omitempty"`
	CollectedBy string `json:"collected_by,omitempty"`
}

// CapabilityEvidence is one 80001-2-2 capability's section.
type CapabilityEvidence struct {
	Code      string           `json:"code"`
	Name      string           `json:"name"`
	Meaning   string           `json:"meaning"`
	Status    string           `json:"status"`
	Statement string           `json:"statement"`
	Counts    checks.Counts    `json:"counts"`
	Checks    []CheckEvidence  `json:"checks"`
	Waived    []string         `json:"waived_checks"`
	Manual    []ManualStep     `json:"manual_steps"`
	History   []ChangeEvidence `json:"history"`
	Tailored  []string         `json:"tailored_checks"`
}

// CheckEvidence is one check's result as the document shows it; secret
// values are already hidden by the audit.
type CheckEvidence struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Level    string `json:"level"`
	Status   string `json:"status"`
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
	Reason   string `json:"reason"`
	User     string `json:"user,omitempty"`
	Tailored string `json:"tailored,omitempty"`
}

// WaiverEvidence is an accepted exception, from the tailoring file.
type WaiverEvidence struct {
	Check         string `json:"check"`
	Title         string `json:"title"`
	Kind          string `json:"kind"` // "waiver" or "legacy-device"
	Justification string `json:"justification"`
	Approver      string `json:"approver"`
	// Expires is a waiver's last day, NextReview a legacy waiver's.
	Expires         string   `json:"expires,omitempty"`
	NextReview      string   `json:"next_review,omitempty"`
	NetworkSegment  string   `json:"network_segment,omitempty"`
	FirewallRule    string   `json:"firewall_rule,omitempty"`
	VendorStatement string   `json:"vendor_statement,omitempty"`
	Source          string   `json:"source"` // file:line
	Capabilities    []string `json:"capabilities"`
}

// ManualStep is what a person must do by hand for a check that is not met.
type ManualStep struct {
	Check string `json:"check"`
	Title string `json:"title"`
	Step  string `json:"step"`
}

// RunEvidence is one verified remediation run.
type RunEvidence struct {
	ID        string `json:"id"`
	Created   string `json:"created"`
	User      string `json:"user"`
	Tool      string `json:"tool"`
	State     string `json:"state"`
	Rehearsal bool   `json:"rehearsal"`
	Changes   int    `json:"changes"`
	SHA256    string `json:"backup_sha256"`
}

// RunUnverified is a run folder whose backup or journal fails its
// integrity check: listed, never used as history.
type RunUnverified struct {
	ID      string `json:"id"`
	Problem string `json:"problem"`
}

// ChangeEvidence is one setting a verified run changed.
type ChangeEvidence struct {
	Run       string `json:"run"`
	When      string `json:"when"`
	Who       string `json:"who"`
	Check     string `json:"check"`
	Setting   string `json:"setting"`
	Before    string `json:"before"`
	After     string `json:"after"`
	Outcome   string `json:"outcome"`
	Rehearsal bool   `json:"rehearsal"`
}

// Manifest fingerprints the snapshot files and the document's data.
type Manifest struct {
	Algorithm  string         `json:"algorithm"`
	Files      []ManifestFile `json:"files"`
	DataSHA256 string         `json:"data_sha256"`
	DataRule   string         `json:"data_rule"`
}

// ManifestFile is one snapshot file.
type ManifestFile struct {
	Path   string `json:"path"` // relative to the snapshot folder, with '/'
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// DataRule says how Manifest.DataSHA256 is computed, for the verifier.
const DataRule = "SHA-256 of the canonical JSON of the data member: object keys sorted, no whitespace, UTF-8, no HTML escaping, as CanonicalJSON writes it"

// EvidenceOptions are the document's clock and author.
type EvidenceOptions struct {
	// Now is the document's time; zero means now.
	Now time.Time
}

// Evidence assembles the evidence document of the open, audited target:
// one section per 80001-2-2 capability with its checks, waivers, manual
// steps and the remediation history from verified backups, and the
// manifest of the snapshot files and the data.
func (s *Session) Evidence(ctx context.Context, opt EvidenceOptions) (*Evidence, error) {
	t, ok := s.Target()
	rep, audited := s.Audited()
	if !ok || !audited {
		return nil, fmt.Errorf("open and audit a target first")
	}
	cat, err := s.Catalog()
	if err != nil {
		return nil, err
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	tl := s.Tailoring()
	d := EvidenceData{
		Document: DocumentInfo{
			GeneratedAt: now.Format(time.RFC3339), GeneratedBy: s.user(),
			Tool: s.cfg.Tool, Version: s.cfg.Version, Catalog: catalogVersion(),
			Profile: rep.Profile, Tailoring: rep.Tailoring,
		},
		Device:  deviceInfo(ctx, t, rep, s.user()),
		Counts:  checks.Summarize(rep.Results).Counts,
		Notes:   append([]string{}, rep.Notes...),
		Verdict: evidenceVerdict(rep.Summary.Counts),
	}
	host := d.Device.Hostname
	if host == "" {
		host = "unknown host"
	}
	d.Document.Title = "Security capability evidence (IEC/TR 80001-2-2): " + host
	caps := map[string]*CapabilityEvidence{}
	for _, code := range checks.CapabilityCodes() {
		caps[code] = &CapabilityEvidence{Code: code, Name: checks.Capabilities[code], Meaning: capabilityMeanings[code],
			Checks: []CheckEvidence{}, Waived: []string{}, Manual: []ManualStep{}, History: []ChangeEvidence{}, Tailored: []string{}}
	}
	for _, cs := range checks.Summarize(rep.Results).Capabilities {
		if c := caps[cs.Code]; c != nil {
			c.Counts = cs.Counts
		}
	}
	manual := map[string]bool{} // code|check already listed (a check per person has several results)
	for _, res := range rep.Results {
		ce := checkEvidence(res)
		ch, inCatalog := cat.Get(res.ID)
		for _, code := range res.Capabilities {
			c := caps[code]
			if c == nil {
				continue // the catalog refuses unknown codes; exposures use known ones
			}
			c.Checks = append(c.Checks, ce)
			if res.Status == checks.Waived {
				c.Waived = appendOnce(c.Waived, res.ID)
			}
			if res.Override != nil {
				c.Tailored = appendOnce(c.Tailored, res.ID)
			}
			// A waived finding is accepted: no step is owed for it.
			if inCatalog && (res.Status == checks.Fail || res.Status == checks.Error) && strings.TrimSpace(ch.Fix.Manual) != "" {
				if k := code + "|" + res.ID; !manual[k] {
					manual[k] = true
					c.Manual = append(c.Manual, ManualStep{Check: res.ID, Title: res.Title, Step: strings.TrimSpace(ch.Fix.Manual)})
				}
			}
		}
	}
	d.Waivers = waiverEvidence(tl, rep)
	if err := s.history(t, cat, &d, caps); err != nil {
		return nil, err
	}
	for _, code := range checks.CapabilityCodes() {
		c := caps[code]
		c.Status, c.Statement = capabilityStatus(c.Counts)
		d.Capabilities = append(d.Capabilities, *c)
	}
	ev := &Evidence{Format: EvidenceFormat, Data: d, Manifest: Manifest{Algorithm: "SHA-256", Files: []ManifestFile{}, DataRule: DataRule}}
	if t.ID.Kind == Snapshot {
		if ev.Manifest.Files, err = hashFolder(t.ID.Folder); err != nil {
			return nil, err
		}
	}
	canon, err := CanonicalJSON(ev.Data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(canon)
	ev.Manifest.DataSHA256 = hex.EncodeToString(sum[:])
	return ev, nil
}

// HasFindings tells whether the document records something to act on: a
// check that fails or could not be read, or a remediation record that
// does not verify.
func (e *Evidence) HasFindings() bool {
	return e.Data.Counts.Fail > 0 || e.Data.Counts.Error > 0 || len(e.Data.Unverifiable) > 0
}

// deviceInfo identifies the device; this computer is "collected" by the
// audit itself, when and by whom the document is written.
func deviceInfo(ctx context.Context, t Target, rep checks.Report, user string) DeviceInfo {
	h := rep.Host
	d := DeviceInfo{Hostname: h.Hostname, OS: h.Caption, ServicePack: h.ServicePack, Version: h.Version,
		Architecture: h.Architecture, Source: t.ID.Kind.String(), CollectedAt: t.ID.CollectedAt}
	if h.Domain != "" {
		d.Domain = "workgroup " + h.Domain
		if h.PartOfDomain {
			d.Domain = "domain " + h.Domain
		}
	}
	if t.ID.Kind == Live {
		d.CollectedAt, d.CollectedBy = rep.Started, user
	}
	if t.ID.Kind == Snapshot {
		// The folder's name, not the path on the reader's computer.
		d.Snapshot = filepath.Base(t.ID.Folder)
		if ss, ok := t.Host.(checks.SessionSource); ok {
			if sess, err := ss.Session(ctx); err == nil {
				d.CollectedBy = sess.UserName
			}
		}
	}
	return d
}

func checkEvidence(res checks.Result) CheckEvidence {
	ce := CheckEvidence{ID: res.ID, Title: res.Title, Level: res.Level, Status: string(res.Status),
		Expected: res.Expected, Actual: res.Actual, Reason: res.Reason}
	if res.User != nil {
		ce.User = res.User.String()
	}
	if res.Override != nil {
		ce.Tailored = res.Override.String()
	}
	return ce
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// capabilityStatus is a capability's status and the sentence that says it.
func capabilityStatus(c checks.Counts) (string, string) {
	switch {
	case c.Total == 0:
		return CapNotAssessed, "No check of this tool covers this capability: answer it from the device's documentation and the site's procedures."
	case c.Fail > 0:
		return CapNotMet, fmt.Sprintf("Not met: %d of %d checks fail%s.", c.Fail, c.Total, unreadable(c))
	case c.Error > 0:
		return CapUndetermined, fmt.Sprintf("Not determined: %d of %d checks could not be read; none fails.", c.Error, c.Total)
	case c.Waived > 0:
		return CapMetExceptions, fmt.Sprintf("Met with accepted exceptions: %d of %d checks are waived (see the waivers); the others pass or do not apply.", c.Waived, c.Total)
	}
	return CapMet, fmt.Sprintf("Met: all %d checks pass or do not apply.", c.Total)
}

func unreadable(c checks.Counts) string {
	if c.Error == 0 {
		return ""
	}
	return fmt.Sprintf(" and %d could not be read", c.Error)
}

func evidenceVerdict(c checks.Counts) string {
	switch {
	case c.Total == 0:
		return "No checks were run."
	case c.Fail == 0 && c.Error == 0 && c.Waived == 0:
		return fmt.Sprintf("All %d checks pass or do not apply.", c.Total)
	case c.Fail == 0 && c.Error == 0:
		return fmt.Sprintf("No findings: %d checks pass or do not apply, %d are waived with the approvals below.", c.Total-c.Waived, c.Waived)
	}
	return fmt.Sprintf("%d of %d checks need attention: %d fail, %d could not be read.", c.Fail+c.Error, c.Total, c.Fail, c.Error)
}

// waiverEvidence lists the waivers the audit applied, with their
// justification, approver, expiry and compensating controls.
func waiverEvidence(tl *remediate.Tailoring, rep checks.Report) []WaiverEvidence {
	out := []WaiverEvidence{}
	if tl == nil {
		return out
	}
	for _, res := range rep.Results {
		if res.Status != checks.Waived {
			continue
		}
		w := WaiverEvidence{Check: res.ID, Title: res.Title, Capabilities: append([]string{}, res.Capabilities...)}
		found := false
		for _, x := range tl.Waivers {
			if x.ID == res.ID {
				w.Kind, w.Justification, w.Approver, w.Expires = "waiver", x.Justification, x.Approver, x.Expires
				w.Source = fmt.Sprintf("%s:%d", tl.File, x.Line)
				found = true
			}
		}
		if !found {
			for _, x := range tl.LegacyWaivers {
				if x.ID == res.ID {
					w.Kind, w.Justification, w.Approver, w.NextReview = "legacy-device", x.Justification, x.Approver, x.NextReview
					w.NetworkSegment, w.FirewallRule, w.VendorStatement = x.NetworkSegment, x.FirewallRule, x.VendorStatement
					w.Source = fmt.Sprintf("%s:%d", tl.File, x.Line)
					found = true
				}
			}
		}
		if !found {
			// Waived under an alias: the audit's reason names the approval.
			w.Kind, w.Justification, w.Source = "waiver", res.Reason, tl.File
		}
		out = append(out, w)
	}
	return out
}

// history adds the remediation runs of the device: those of the runs
// folder for this computer; for a snapshot, those of the runs and
// rehearsals folders made on the same host. Only runs whose backup and
// journal verify are shown; the others are listed as not verifiable.
func (s *Session) history(t Target, cat *checks.Catalog, d *EvidenceData, caps map[string]*CapabilityEvidence) error {
	roots := s.roots()
	if t.ID.Kind == Live {
		roots = roots[:1]
	}
	d.Runs, d.Unverifiable = []RunEvidence{}, []RunUnverified{}
	var runs []*remediate.Run
	for _, root := range roots {
		list, err := remediate.ListBackups(root)
		if err != nil {
			return InputError{fmt.Errorf("read the remediation history in %s: %w", root, err)}
		}
		runs = append(runs, list...)
	}
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].ID > runs[j].ID })
	host := d.Device.Hostname
	for _, r := range runs {
		if r.Err != nil || r.Backup == nil {
			// Its content cannot be trusted, not even the host it names.
			why := "the backup could not be read"
			if r.Err != nil {
				why = r.Err.Error()
			}
			d.Unverifiable = append(d.Unverifiable, RunUnverified{ID: r.ID, Problem: why})
			continue
		}
		b := r.Backup
		if host == "" || !strings.EqualFold(b.Host.Hostname, host) {
			continue
		}
		rehearsal := IsRehearsal(r)
		if t.ID.Kind == Live && rehearsal {
			continue
		}
		d.Runs = append(d.Runs, RunEvidence{ID: r.ID, Created: b.Created, User: b.User, Tool: strings.TrimSpace(b.Tool + " " + b.Version),
			State: string(r.State), Rehearsal: rehearsal, Changes: len(b.Settings), SHA256: r.SHA256})
		outcome := stepOutcomes(r.Journal)
		for i, sv := range b.Settings {
			ch, ok := cat.Get(sv.CheckID)
			secret := secretSetting(sv.Setting, ok && ch.Secret)
			c := ChangeEvidence{Run: r.ID, When: b.Created, Who: b.User, Check: sv.CheckID, Setting: sv.Setting.String(),
				Before: showState(sv.Setting.Kind, sv.Before, secret), After: showState(sv.Setting.Kind, checks.State{Exists: true, Value: sv.Target}, secret),
				Outcome: outcome[i], Rehearsal: rehearsal}
			if c.Outcome == "" {
				c.Outcome = "not started"
			}
			for _, code := range ch.Capabilities {
				if cp := caps[code]; cp != nil {
					cp.History = append(cp.History, c)
				}
			}
		}
	}
	return nil
}

// stepOutcomes says, from a verified journal, what became of each step:
// its last record, in plain words.
func stepOutcomes(recs []remediate.Record) map[int]string {
	words := map[string]string{
		"apply": "started, not confirmed", "applied": "applied", "verified": "applied and verified",
		"failed": "failed", "not-taken": "did not take", "restore": "restore started, not confirmed",
		"restored": "rolled back",
	}
	out := map[int]string{}
	for _, rec := range recs {
		if rec.Step == nil {
			continue
		}
		if w, ok := words[rec.Op]; ok {
			out[*rec.Step] = w
		}
	}
	return out
}

// secretSetting is the one rule for a setting whose value is never shown:
// the catalog marks its check secret, or it is a registry value named like
// a password, as the audit treats it.
func secretSetting(a checks.Address, catalogSecret bool) bool {
	return catalogSecret || (a.Kind == checks.KindRegistry && strings.Contains(strings.ToLower(a.Name), "password"))
}

func showState(k checks.Kind, st checks.State, secret bool) string {
	switch {
	case secret && st.Exists:
		return "set (value hidden)"
	case secret:
		return "not set"
	}
	return st.Show(k)
}

// catalogVersion names the built-in catalog by the SHA-256 of its checks,
// so two documents say whether they were judged by the same catalog.
func catalogVersion() string {
	cat, err := checks.Builtin()
	if err != nil {
		return "unknown"
	}
	b, err := json.Marshal(cat.Checks)
	if err != nil {
		return "unknown"
	}
	sum := sha256.Sum256(b)
	return fmt.Sprintf("built-in, %d checks, sha256 %s", len(cat.Checks), hex.EncodeToString(sum[:8]))
}

// hashFolder lists every file of a snapshot folder with its SHA-256,
// sorted by path. Anything but a regular file or a folder is refused: a
// manifest must not follow a link out of the folder.
func hashFolder(dir string) ([]ManifestFile, error) {
	out := []ManifestFile{}
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			return nil
		}
		if !e.Type().IsRegular() {
			return Inputf("snapshot %s: %s is not a regular file; the manifest lists files only", dir, path)
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		n, err := io.Copy(h, f)
		if err != nil {
			return fmt.Errorf("hash %s: %w", path, err)
		}
		out = append(out, ManifestFile{Path: filepath.ToSlash(rel), Size: n, SHA256: hex.EncodeToString(h.Sum(nil))})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// CanonicalJSON is the one serialization the data hash covers: object keys
// sorted, no whitespace, UTF-8, no HTML escaping. Numbers are integers.
func CanonicalJSON(v interface{}) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic interface{}
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(generic); err != nil { // maps are written with sorted keys
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
