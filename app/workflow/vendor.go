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
