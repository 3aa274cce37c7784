package workflow

import (
	"context"
	"errors"
	"strings"

	"medharden/assets"
	"medharden/checks"
	"medharden/checks/outfile"
	"medharden/remediate"
	"medharden/remediate/gpo"
)

// ParseSelection reads "failed", "capability:AUTH" or "ids:1.1.1,2.3.1.1";
// a mistake is an input error.
func ParseSelection(s string) (remediate.Selection, error) {
	sel, err := remediate.ParseSelection(s)
	if err != nil {
		return sel, InputError{err}
	}
	return sel, nil
}

// exposureChecks names, per exposure, the catalog checks whose fix removes
// it where the inventory does not name one (an unpatched exposure names
// its update check itself): the SMBv1 server is turned off by 18.3.4.
var exposureChecks = map[string][]string{
	"MH-EXP-" + assets.ExpSMB1: {"18.3.4"},
}

// Plan computes what remediating sel would change on the open target,
// from the results of its last audit; nothing is written. The checks are
// planned by remediate; each selected exposure is linked to the steps of
// the plan that fix it, or becomes a manual step saying what does.
func (s *Session) Plan(ctx context.Context, sel remediate.Selection) (*remediate.Plan, error) {
	s.mu.RLock()
	t, rep, rec, audited, tl := s.target, s.rep, s.rec, s.audited, s.tl
	s.mu.RUnlock()
	if !audited {
		return nil, errors.New("audit a target before planning changes")
	}
	return s.planFor(ctx, t, rep, rec, tl, sel)
}

// planFor is Plan for any audited target.
func (s *Session) planFor(ctx context.Context, t Target, rep checks.Report, rec *assets.Record, tl *remediate.Tailoring, sel remediate.Selection) (*remediate.Plan, error) {
	cat, err := s.Catalog()
	if err != nil {
		return nil, err
	}
	checkRep, exposures := split(rep, assets.ExposureResult)
	checkRep, vendor := split(checkRep, vendorResult)
	checkSel := sel
	if sel.Mode == "ids" {
		checkSel.IDs = nil
		for _, id := range sel.IDs {
			if !assets.ExposureResult(id) && !vendorResult(id) {
				checkSel.IDs = append(checkSel.IDs, id)
			}
		}
	}
	p, err := remediate.NewPlan(ctx, t.Host, cat, checkRep, checkSel, tl)
	if err != nil {
		return nil, err
	}
	p.Selection = sel.String()
	linkExposures(p, rep, exposures, rec, sel)
	vendorSkips(p, vendor, sel)
	return p, nil
}

func vendorResult(id string) bool { return strings.HasPrefix(id, gpo.IDPrefix) }

// vendorSkips lists the vendor baseline's results the selection names
// among the plan's skips: the plan changes the benchmark's checks, and a
// baseline's own values are set by its GPO.
func vendorSkips(p *remediate.Plan, vendor []checks.Result, sel remediate.Selection) {
	for _, r := range vendor {
		switch {
		case r.Status == checks.Waived:
			p.Skipped = append(p.Skipped, remediate.Skip{CheckID: r.ID, Reason: r.Reason})
		case !sel.Wants(r):
		case r.Status == checks.Pass:
			p.Skipped = append(p.Skipped, remediate.Skip{CheckID: r.ID, Reason: "already has the vendor baseline's value (" + r.Actual + "); nothing to change"})
		default:
			p.Skipped = append(p.Skipped, remediate.Skip{CheckID: r.ID, Reason: "a setting of the vendor baseline, which the plan does not change: apply the vendor's GPO (LGPO.exe /g) to set it, or make its values the benchmark's targets (baseline import)"})
		}
	}
}

// WritePack writes the offline remediation pack of plan p (apply.cmd,
// undo.cmd, .reg, .inf, README.txt) into dir, which must be new or empty
// unless force, as 'medharden remediate --pack' does. A plan made after a
// rehearsal is refused: its undo would restore the rehearsed values, not
// the device's.
func (s *Session) WritePack(p *remediate.Plan, dir string, force bool) (*remediate.Pack, error) {
	if p == nil {
		return nil, errors.New("make a plan first")
	}
	if s.Rehearsed() {
		return nil, Inputf("the plan was made on a rehearsed state, whose undo would not restore the device's values: open the snapshot again and plan before writing a pack")
	}
	if err := outfile.CheckDir(dir); err != nil {
		return nil, err
	}
	return remediate.WritePack(p, dir, remediate.PackOptions{Tool: s.cfg.Tool, Version: s.cfg.Version, Force: force})
}

// GPOBackup is what WriteGPO wrote: the folder, the backup's id, the
// plan's changes it carries, and for each other change why Group Policy
// cannot carry it.
type GPOBackup struct {
	Dir        string
	BackupID   string
	Carried    []remediate.Step
	NotCarried []string
}

// WriteGPO writes the changes of plan p as a GPO backup (registry.pol,
// GptTmpl.inf, audit.csv, Backup.xml, README.txt) into dir, which must be
// new or empty unless force (remediate.ErrPackExists), as 'medharden
// remediate --gpo' does. A plan made after a rehearsal is refused, as
// WritePack refuses it: its changes are measured against the rehearsed
// values, not the device's.
func (s *Session) WriteGPO(p *remediate.Plan, dir string, force bool) (*GPOBackup, error) {
	if p == nil {
		return nil, errors.New("make a plan first")
	}
	if s.Rehearsed() {
		return nil, Inputf("the plan was made on a rehearsed state, not the device's: open the snapshot again and plan before writing a GPO")
	}
	if err := outfile.CheckDir(dir); err != nil {
		return nil, err
	}
	ex, err := gpo.Write(p, dir, gpo.ExportOptions{Tool: s.cfg.Tool, Version: s.cfg.Version, Force: force})
	if err != nil {
		return nil, err
	}
	return &GPOBackup{Dir: dir, BackupID: ex.BackupID, Carried: ex.Carried, NotCarried: ex.NotCarried}, nil
}

// split returns the report without the results whose id is in, and those
// results.
func split(rep checks.Report, in func(id string) bool) (checks.Report, []checks.Result) {
	var exp []checks.Result
	out := rep
	out.Results = make([]checks.Result, 0, len(rep.Results))
	for _, r := range rep.Results {
		if in(r.ID) {
			exp = append(exp, r)
		} else {
			out.Results = append(out.Results, r)
		}
	}
	return out, exp
}

// linkExposures adds the selected exposures to the plan: one fixed by a
// step of the plan is listed as not changed, naming that step; any other
// becomes a manual step with the inventory's remedy and the state of the
// check that would fix it.
func linkExposures(p *remediate.Plan, rep checks.Report, exposures []checks.Result, rec *assets.Record, sel remediate.Selection) {
	inPlan := map[string]remediate.Step{}
	for _, st := range p.Steps {
		inPlan[st.CheckID] = st
	}
	results := map[string]checks.Result{}
	for _, r := range rep.Results {
		results[r.ID] = r
	}
	for _, r := range exposures {
		switch {
		case r.Status == checks.Waived:
			p.Skipped = append(p.Skipped, remediate.Skip{CheckID: r.ID, Reason: r.Reason})
			continue
		case !sel.Wants(r):
			continue
		case r.Status == checks.Pass:
			p.Skipped = append(p.Skipped, remediate.Skip{CheckID: r.ID, Reason: "not exposed (" + r.Actual + "); nothing to change"})
			continue
		}
		remedy, fixes := exposureFix(r, rec)
		var planned, notes []string
		for _, id := range fixes {
			if st, ok := inPlan[id]; ok {
				planned = append(planned, stepKind(st)+" "+id)
				continue
			}
			if fr, ok := results[id]; ok {
				notes = append(notes, "check "+id+" is "+string(fr.Status)+" and not in this plan ("+fr.Reason+")")
			}
		}
		if len(planned) > 0 {
			p.Skipped = append(p.Skipped, remediate.Skip{CheckID: r.ID, Reason: "fixed by the " + strings.Join(planned, " and ") + " of this plan"})
			continue
		}
		manual := remedy
		if len(notes) > 0 {
			manual += " (" + strings.Join(notes, "; ") + ")"
		}
		p.Steps = append(p.Steps, remediate.Step{CheckID: r.ID, Title: r.Title, Manual: manual})
	}
}

// exposureFix is what removes an exposure: the inventory's remedy and
// the catalog checks that make the fix.
func exposureFix(r checks.Result, rec *assets.Record) (string, []string) {
	fixes := append([]string(nil), exposureChecks[r.ID]...)
	remedy := ""
	if rec != nil {
		for _, e := range rec.Exposures {
			if "MH-EXP-"+e.ID == r.ID {
				remedy = e.Remedy
				if e.CheckID != "" {
					fixes = append([]string{e.CheckID}, fixes...)
				}
			}
		}
	}
	if remedy == "" {
		remedy = r.Reason
	}
	return remedy, fixes
}

func stepKind(st remediate.Step) string {
	switch {
	case st.Manual != "":
		return "manual step"
	case st.Blocked != "":
		return "step (refused by a safety guard)"
	}
	return "change"
}
