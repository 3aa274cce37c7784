package workflow

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"medharden/assets"
	"medharden/checks"
	"medharden/checks/infile"
	"medharden/remediate"
)

// Baselines and drift. A baseline records the configuration a vendor or
// the hospital validated: every setting the profile's checks read, with
// its value as found, the device it was read on, who saved it and when,
// and the tool and catalog it was read with. Drift reads the same
// settings on a later snapshot and lists what changed.

// BaselineSchema names the baseline file's format.
const BaselineSchema = "medharden-baseline/1"

// maxBaseline is far above a real baseline (a few hundred settings, well
// under 1 MiB).
const maxBaseline = 64 << 20

// ErrBaselineTampered: the baseline's content does not match the SHA-256
// it carries.
var ErrBaselineTampered = errors.New("baseline content does not match its SHA-256 (edited or damaged)")

// Baseline is the file `baseline save` writes. SHA256 is the hash of the
// file's other content as json.Marshal writes it (SHA256 empty): it shows
// accidental or naive edits, not a forger who recomputes it.
type Baseline struct {
	Schema      string          `json:"schema"`
	Tool        string          `json:"tool"`
	Version     string          `json:"version"`
	Catalog     BaselineCatalog `json:"catalog"`
	Device      BaselineDevice  `json:"device"`
	SavedBy     string          `json:"saved_by"`
	SavedAt     string          `json:"saved_at"` // RFC 3339, UTC
	Settings    []Setting       `json:"settings"`
	NotRecorded []Unrecorded    `json:"not_recorded,omitempty"`
	SHA256      string          `json:"sha256,omitempty"`
}

// BaselineCatalog says what the settings were chosen by.
type BaselineCatalog struct {
	Profile string `json:"profile"`
	// Digest is the SHA-256 of the profile's checks' ids and probes: a
	// different catalog may read other settings.
	Digest    string `json:"digest"`
	Checks    int    `json:"checks"`
	Tailoring string `json:"tailoring,omitempty"` // the tailoring file, as named
}

// BaselineDevice is the device the baseline was read on.
type BaselineDevice struct {
	Hostname     string `json:"hostname"`
	SerialNumber string `json:"serial_number,omitempty"` // BIOS serial
	Manufacturer string `json:"manufacturer,omitempty"`
	Model        string `json:"model,omitempty"`
	OS           string `json:"os"`
	Snapshot     string `json:"snapshot,omitempty"` // the folder read
	CollectedAt  string `json:"collected_at,omitempty"`
}

// Setting is one setting as found. Secret settings (a stored password)
// keep only whether they are set: no value, no hash.
type Setting struct {
	Address checks.Address `json:"address"`
	Exists  bool           `json:"exists"`
	Value   *checks.Value  `json:"value,omitempty"`
	Shown   string         `json:"shown"`
	Secret  bool           `json:"secret,omitempty"`
	// Unreadable says why the setting could not be read ("not collected",
	// "not supported", "unreadable"); Exists and Value are then unset.
	Unreadable   string   `json:"unreadable,omitempty"`
	Checks       []string `json:"checks"`
	Capabilities []string `json:"capabilities"`
}

// Unrecorded is a check whose input is not a single setting (the list of
// accounts, installed updates, BitLocker volumes): drift does not cover it.
type Unrecorded struct {
	Check  string `json:"check"`
	Reason string `json:"reason"`
}

// plannedSetting is an address the checks read, before it is read.
type plannedSetting struct {
	addr         checks.Address
	secret       bool
	checks, caps map[string]bool
	problem      string // the address cannot be formed (no such account)
}

// settingsRead lists the settings the checks read on h, in a stable order.
func settingsRead(ctx context.Context, h checks.Host, selected []checks.Check, d checks.Declared) ([]*plannedSetting, []Unrecorded) {
	byKey := map[string]*plannedSetting{}
	var order []string
	var skipped []Unrecorded
	add := func(ch checks.Check, a checks.Address, problem string) {
		k := remediate.SettingID(a)
		p := byKey[k]
		if p == nil {
			p = &plannedSetting{addr: a, checks: map[string]bool{}, caps: map[string]bool{}, problem: problem}
			byKey[k] = p
			order = append(order, k)
		}
		p.secret = p.secret || ch.Secret
		p.checks[ch.ID] = true
		for _, c := range ch.Capabilities {
			p.caps[c] = true
		}
	}
	var users []checks.User
	var accts []checks.Account
	var acctErr error
	needUsers, needAccts := false, false
	for _, ch := range selected {
		needUsers = needUsers || ch.UserScope()
		needAccts = needAccts || ch.Probe.Kind() == checks.KindAccount
	}
	if needUsers {
		users = checks.BuildDevice(ctx, h, d).Users()
	}
	if needAccts {
		accts, acctErr = h.Accounts(ctx)
	}
	for _, ch := range selected {
		p := ch.Probe
		switch p.Kind() {
		case checks.KindRegistry:
			// A person whose hive cannot be found (no SID, no profile)
			// has no address to record: the check says why instead.
			if ch.UserScope() {
				for _, u := range users {
					if u.Problem() != "" {
						skipped = append(skipped, Unrecorded{Check: ch.ID, Reason: "settings of " + u.Name + ": " + u.Problem()})
					}
				}
			}
			keys := append([]string{p.Registry.Key}, p.Registry.Fallback...)
			for _, key := range keys {
				if !ch.UserScope() || len(users) == 0 {
					add(ch, checks.Address{Kind: checks.KindRegistry, Key: key, Name: p.Registry.Value}, "")
					continue
				}
				for _, u := range users {
					if u.Problem() == "" {
						add(ch, checks.Address{Kind: checks.KindRegistry, Key: checks.UserKey(key, u.SID), Name: p.Registry.Value, Label: u.Name}, "")
					}
				}
			}
		case checks.KindDriver:
			// A driver's start type is read from its Services key only.
			add(ch, checks.Address{Kind: checks.KindRegistry, Key: `HKLM\SYSTEM\CurrentControlSet\Services\` + p.Driver, Name: "Start"}, "")
		case checks.KindSecPol:
			add(ch, checks.Address{Kind: checks.KindSecPol, Key: p.SecPol.Section, Name: p.SecPol.Key}, "")
		case checks.KindRight:
			add(ch, checks.Address{Kind: checks.KindRight, Name: p.Right}, "")
		case checks.KindAudit:
			add(ch, checks.Address{Kind: checks.KindAudit, Name: p.Audit.GUID, Label: p.Audit.Name}, "")
		case checks.KindService:
			add(ch, checks.Address{Kind: checks.KindService, Name: p.Service}, "")
		case checks.KindAccount:
			// The account's name and state, found by relative id.
			sid, label, problem := "RID "+p.Account.RID, "", ""
			if acctErr != nil {
				problem = category(acctErr)
			} else {
				problem = "no local account with relative id " + p.Account.RID
			}
			for _, a := range accts {
				if a.RID() == p.Account.RID {
					sid, label, problem = a.SID, a.Name, ""
					break
				}
			}
			for _, f := range []string{checks.FieldName, checks.FieldDisabled} {
				add(ch, checks.Address{Kind: checks.KindAccount, Key: sid, Name: f, Label: label}, problem)
			}
		default:
			skipped = append(skipped, Unrecorded{Check: ch.ID, Reason: "reads " + ch.Probe.Describe() + ", not a single setting"})
		}
	}
	out := make([]*plannedSetting, len(order))
	for i, k := range order {
		out[i] = byKey[k]
	}
	return out, skipped
}

// category names why a setting could not be read, without the folder or
// value, so that two snapshots compare.
func category(err error) string {
	switch {
	case errors.Is(err, checks.ErrNotSupported):
		return "not supported"
	case errors.Is(err, checks.ErrNotCollected):
		return "not collected"
	case errors.Is(err, checks.ErrAccessDenied):
		return "access denied"
	}
	return "unreadable"
}

// readSetting reads one planned setting on h.
func readSetting(ctx context.Context, h checks.Host, p *plannedSetting) Setting {
	// A value named like a password is secret whatever a catalog entry or
	// a baseline file says, as the audit treats it.
	secret := secretSetting(p.addr, p.secret)
	s := Setting{Address: p.addr, Secret: secret, Checks: sortedKeys(p.checks), Capabilities: sortedKeys(p.caps)}
	if p.problem != "" {
		s.Unreadable, s.Shown = p.problem, p.problem
		return s
	}
	st, err := checks.ReadSetting(ctx, h, p.addr)
	if err != nil {
		s.Unreadable = category(err)
		s.Shown = s.Unreadable
		return s
	}
	s.Exists = st.Exists
	switch {
	case secret && st.Exists:
		s.Shown = "set (value not recorded)"
	case secret:
		s.Shown = "not set"
	default:
		s.Shown = st.Show(p.addr.Kind)
		if st.Exists {
			v := st.Value
			s.Value = &v
		}
	}
	return s
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// readSettings opens dir with the profile and tailoring of the session
// (profile: the baseline's when given) and reads every setting.
func (s *Session) readSettings(ctx context.Context, dir, profile string) (Target, checks.Profile, *checks.Catalog, []Setting, []Unrecorded, error) {
	t, err := Open(ctx, dir)
	if err != nil {
		return t, checks.Profile{}, nil, nil, nil, err
	}
	cat, err := s.Catalog()
	if err != nil {
		return t, checks.Profile{}, nil, nil, nil, err
	}
	s.mu.RLock()
	tl, chosen := s.tl, s.profile
	s.mu.RUnlock()
	name, err := profileFor(chosen, tl)
	if err != nil {
		return t, checks.Profile{}, nil, nil, nil, err
	}
	if profile != "" {
		name = profile
	}
	p, err := PickProfile(ctx, t.Host, name)
	if err != nil {
		return t, p, nil, nil, nil, err
	}
	var d checks.Declared
	if tl != nil {
		d = tl.Options(checks.Options{}).Declared
	}
	planned, skipped := settingsRead(ctx, t.Host, cat.Select(p), d)
	out := make([]Setting, len(planned))
	for i, ps := range planned {
		out[i] = readSetting(ctx, t.Host, ps)
	}
	return t, p, cat, out, skipped, nil
}

// SaveBaseline reads the settings of a snapshot folder (or this computer
// when dir is "") as the validated configuration. now is the clock.
func (s *Session) SaveBaseline(ctx context.Context, dir string, now time.Time) (Baseline, error) {
	t, p, cat, settings, skipped, err := s.readSettings(ctx, dir, "")
	if err != nil {
		return Baseline{}, err
	}
	digest, err := catalogDigest(cat, p)
	if err != nil {
		return Baseline{}, err
	}
	b := Baseline{
		Schema: BaselineSchema, Tool: s.cfg.Tool, Version: s.cfg.Version,
		Catalog:  BaselineCatalog{Profile: p.Name, Digest: digest, Checks: len(cat.Select(p))},
		Device:   BaselineDevice{Hostname: t.ID.Hostname, OS: t.ID.OS, Snapshot: t.ID.Folder, CollectedAt: t.ID.CollectedAt},
		SavedBy:  s.user(),
		SavedAt:  now.UTC().Format(time.RFC3339),
		Settings: settings, NotRecorded: skipped,
	}
	if tl := s.Tailoring(); tl != nil {
		b.Catalog.Tailoring = tl.File
	}
	if rec, err := assets.Collect(ctx, t.Host); err == nil {
		b.Device.SerialNumber = rec.Identity.SerialNumber
		b.Device.Manufacturer = rec.Identity.Manufacturer
		b.Device.Model = rec.Identity.Model
		if rec.CollectedAt != "" {
			b.Device.CollectedAt = rec.CollectedAt
		}
	}
	return b, nil
}

// catalogDigest is the SHA-256 of what the profile's checks read (ids
// and probes): the tailoring's value overrides change verdicts, not the
// settings read.
func catalogDigest(cat *checks.Catalog, p checks.Profile) (string, error) {
	type read struct {
		ID    string
		Probe checks.Probe
	}
	sel := cat.Select(p)
	reads := make([]read, len(sel))
	for i, ch := range sel {
		reads[i] = read{ch.ID, ch.Probe}
	}
	data, err := json.Marshal(reads)
	if err != nil {
		return "", fmt.Errorf("catalog digest: %w", err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// contentHash is the SHA-256 of the baseline without its hash.
func (b Baseline) contentHash() (string, error) {
	b.SHA256 = ""
	data, err := json.Marshal(b)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// Encode returns the baseline file's bytes, with its SHA-256.
func (b Baseline) Encode() ([]byte, error) {
	sum, err := b.contentHash()
	if err != nil {
		return nil, err
	}
	b.SHA256 = sum
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// LoadBaseline reads a baseline file; one that is not a baseline, or whose
// content does not match its SHA-256, is an InputError naming the file.
func LoadBaseline(path string) (Baseline, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return Baseline{}, InputError{fmt.Errorf("baseline: %w", err)}
	}
	if !st.Mode().IsRegular() {
		return Baseline{}, Inputf("baseline %s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return Baseline{}, InputError{fmt.Errorf("baseline: %w", err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxBaseline+1))
	if err != nil {
		return Baseline{}, InputError{fmt.Errorf("read baseline %s: %w", path, err)}
	}
	if len(data) > maxBaseline {
		return Baseline{}, Inputf("baseline %s is larger than %d MiB", path, maxBaseline>>20)
	}
	return DecodeBaseline(path, data)
}

// DecodeBaseline parses and verifies a baseline's bytes; path names it in
// errors.
func DecodeBaseline(path string, data []byte) (Baseline, error) {
	var b Baseline
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		off := dec.InputOffset()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = se.Offset
		}
		line := infile.LineAt(data, off)
		return Baseline{}, Inputf("baseline %s:%d: not a medharden baseline: %v", path, line, err)
	}
	if dec.More() {
		return Baseline{}, Inputf("baseline %s: text after the baseline", path)
	}
	if key, off, ok := duplicateKey(data); ok {
		return Baseline{}, Inputf("baseline %s:%d: key %q appears twice in one object", path, 1+bytes.Count(data[:off], []byte{'\n'}), key)
	}
	if b.Schema != BaselineSchema {
		return Baseline{}, Inputf("baseline %s: schema %q, expected %q", path, b.Schema, BaselineSchema)
	}
	sum, err := b.contentHash()
	if err != nil {
		return Baseline{}, InputError{fmt.Errorf("baseline %s: %w", path, err)}
	}
	if b.SHA256 == "" || sum != strings.ToLower(b.SHA256) {
		return Baseline{}, InputError{fmt.Errorf("%w: %s", ErrBaselineTampered, path)}
	}
	for i, st := range b.Settings {
		if !st.Address.Kind.Settable() {
			return Baseline{}, Inputf("baseline %s: setting %d has unknown kind %q", path, i+1, st.Address.Kind)
		}
	}
	return b, nil
}

// duplicateKey finds a key given twice in one object (compared without
// case, as the decoder matches fields), which the decoder would silently
// resolve to the last; the offset is where the second one ends.
func duplicateKey(data []byte) (string, int64, bool) {
	type frame struct {
		keys    map[string]bool // nil for an array
		wantKey bool
	}
	var stack []*frame
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].keys != nil {
			stack[n-1].wantKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", 0, false // syntax errors are the decoder's to report
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, &frame{keys: map[string]bool{}, wantKey: true})
			case '[':
				stack = append(stack, &frame{})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
			continue
		case string:
			if n := len(stack); n > 0 && stack[n-1].keys != nil && stack[n-1].wantKey {
				top := stack[n-1]
				k := strings.ToLower(v)
				if top.keys[k] {
					return v, dec.InputOffset(), true
				}
				top.keys[k], top.wantKey = true, false
				continue
			}
		}
		valueDone()
	}
}

// Change kinds of a drift.
const (
	Changed    = "changed"
	Added      = "added"      // did not exist when validated, exists now
	Removed    = "removed"    // existed when validated, does not now
	Unreadable = "unreadable" // could not be read now, or when validated
	NotInBase  = "not in baseline"
)

// Drift is one setting that differs from the baseline.
type Drift struct {
	Change       string         `json:"change"`
	Address      checks.Address `json:"address"`
	Setting      string         `json:"setting"` // the address for people
	Baseline     string         `json:"baseline"`
	Now          string         `json:"now"`
	Checks       []string       `json:"checks"`
	Capabilities []string       `json:"capabilities"`
}

// DriftReport is the comparison of a snapshot with a baseline.
type DriftReport struct {
	Baseline BaselineDevice `json:"baseline_device"`
	SavedBy  string         `json:"saved_by"`
	SavedAt  string         `json:"saved_at"`
	Profile  string         `json:"profile"`
	Host     string         `json:"host"`
	OS       string         `json:"os"`
	Snapshot string         `json:"snapshot,omitempty"`
	// CatalogChanged is set when the profile's checks differ from the
	// ones the baseline was read with.
	CatalogChanged bool    `json:"catalog_changed"`
	Compared       int     `json:"compared"`
	Drift          []Drift `json:"drift"`
}

// Drift reads the baseline's settings on a snapshot folder (or this
// computer when dir is "") and lists each that changed, in the baseline's
// order, then the settings the catalog reads now that the baseline lacks.
func (s *Session) Drift(ctx context.Context, b Baseline, dir string) (DriftReport, error) {
	t, p, cat, now, _, err := s.readSettings(ctx, dir, b.Catalog.Profile)
	if err != nil {
		return DriftReport{}, err
	}
	r := DriftReport{Baseline: b.Device, SavedBy: b.SavedBy, SavedAt: b.SavedAt, Profile: p.Name,
		Host: t.ID.Hostname, OS: t.ID.OS, Snapshot: t.ID.Folder, Drift: []Drift{}}
	if digest, err := catalogDigest(cat, p); err == nil {
		r.CatalogChanged = digest != b.Catalog.Digest
	}
	r.Compared, r.Drift = diffSettings(ctx, t.Host, b.Settings, now, NotInBase)
	return r, nil
}

// diffSettings is the one comparison of settings: each of was that
// changed in now, in was's order (one now lacks is read on h), then the
// settings of now that was lacks, as change newKind. It returns how many
// of was were compared.
func diffSettings(ctx context.Context, h checks.Host, was, now []Setting, newKind string) (int, []Drift) {
	out := []Drift{}
	current := make(map[string]Setting, len(now))
	for _, st := range now {
		current[remediate.SettingID(st.Address)] = st
	}
	compared := 0
	for _, w := range was {
		k := remediate.SettingID(w.Address)
		cur, ok := current[k]
		if !ok {
			// The catalog no longer reads it here; read it anyway.
			cur = readSetting(ctx, h, &plannedSetting{addr: w.Address, secret: w.Secret})
		}
		delete(current, k)
		compared++
		if change := compare(w, cur); change != "" {
			out = append(out, driftOf(change, w, w.Shown, cur.Shown))
		}
	}
	for _, st := range now {
		if _, left := current[remediate.SettingID(st.Address)]; left {
			out = append(out, driftOf(newKind, st, "", st.Shown))
		}
	}
	return compared, out
}

func driftOf(change string, st Setting, was, now string) Drift {
	return Drift{Change: change, Address: st.Address, Setting: st.Address.String(), Baseline: was, Now: now,
		Checks: st.Checks, Capabilities: st.Capabilities}
}

// compare says how a setting changed, "" when it did not. A secret
// compares only whether it is set.
func compare(was, now Setting) string {
	switch {
	case was.Unreadable != "" || now.Unreadable != "":
		if was.Unreadable == now.Unreadable {
			return ""
		}
		return Unreadable
	case !was.Exists && now.Exists:
		return Added
	case was.Exists && !now.Exists:
		return Removed
	case !was.Exists || was.Secret || now.Secret:
		return ""
	case was.Value == nil || now.Value == nil:
		return Unreadable
	case !was.Value.Equal(was.Address.Kind, *now.Value):
		return Changed
	}
	return ""
}
