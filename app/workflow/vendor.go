package workflow

import (
	"context"
	"fmt"
	"strings"

	"medharden/checks"
	"medharden/checks/winfmt"
	"medharden/remediate"
	"medharden/remediate/gpo"
)

// NoProfile is the profile of an audit that judges a vendor baseline
// alone, without the benchmark.
const NoProfile = "none"

// SetVendorBaseline loads a vendor baseline (a GPO backup folder, a folder
// holding GptTmpl.inf, registry.pol and audit.csv, or an LGPO text file)
// that every later audit judges the target against beside the profile's
// checks (alone with NoProfile): each setting it sets becomes a check
// MH-GPO-n, in the order its files set them. "" removes it. Errors name
// the file and line.
func (s *Session) SetVendorBaseline(path string) error {
	var b *gpo.Baseline
	if path != "" {
		var err error
		if b, err = gpo.Load(path); err != nil {
			return InputError{err}
		}
	}
	s.mu.Lock()
	s.vendor = b
	s.mu.Unlock()
	return nil
}

// ImportBaseline turns a vendor baseline (as SetVendorBaseline reads it)
// into a tailoring file written to out: an override for each check whose
// target the vendor sets to another value, for the checks of the
// session's profile ("" all), as 'medharden baseline import' does. The
// file must read back with the strict parser and tailor the catalog, as it
// will when it is used; nothing is written otherwise.
func (s *Session) ImportBaseline(path, out string) (*gpo.Tailored, error) {
	profile := s.Profile()
	if profile == NoProfile {
		return nil, Inputf("baseline import: profile %s has no checks to override; name another profile or leave it out", NoProfile)
	}
	b, err := gpo.Load(path)
	if err != nil {
		return nil, InputError{err}
	}
	cat, err := checks.Builtin()
	if err != nil {
		return nil, err
	}
	t, err := gpo.Tailor(b, cat, profile)
	if err != nil {
		return nil, err
	}
	data := t.YAML()
	tl, err := remediate.ParseTailoring(out, data)
	if err == nil {
		_, err = tl.Tailor(cat)
	}
	if err != nil {
		return nil, fmt.Errorf("baseline import: the tailoring written from %s does not read back: %w", path, err)
	}
	if err := WriteFile(out, data); err != nil {
		return nil, err
	}
	return t, nil
}

// VendorBaseline is the loaded vendor baseline, or nil.
func (s *Session) VendorBaseline() *gpo.Baseline {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.vendor
}

// vendorWaivers refuses a waiver for a baseline's check (MH-GPO-n) that
// the audit's baseline does not have: without a baseline the id names
// nothing, and a waiver must never silently lose its subject.
func vendorWaivers(tl *remediate.Tailoring, b *gpo.Baseline) error {
	if tl == nil {
		return nil
	}
	for _, w := range tl.Waivers {
		if !strings.HasPrefix(w.ID, gpo.IDPrefix) {
			continue
		}
		var msg string
		switch {
		case b == nil:
			msg = fmt.Sprintf("waiver for %s: an %s id names a setting of a vendor baseline, and this audit judges none; audit against the baseline or remove the waiver", w.ID, gpo.IDPrefix+"n")
		case !b.HasCheck(w.ID):
			msg = fmt.Sprintf("waiver for unknown check %q: the vendor baseline %s sets %d settings (%s1 to %s%d)", w.ID, b.Name, len(b.Settings), gpo.IDPrefix, gpo.IDPrefix, len(b.Settings))
		default:
			continue
		}
		return InputError{&winfmt.ParseError{File: tl.File, Line: w.Line, Msg: msg}}
	}
	return nil
}

// vendorAudit judges the target against the vendor baseline with the
// engine every audit uses, the tailoring's waivers included.
func vendorAudit(ctx context.Context, t Target, b *gpo.Baseline, cat *checks.Catalog, opt checks.Options) (checks.Report, error) {
	rep, err := gpo.Audit(ctx, t.Host, b, cat, opt)
	if err != nil {
		return rep, err
	}
	rep.Profile = "baseline " + b.Name
	return rep, nil
}
