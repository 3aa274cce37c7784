package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"medharden/app/workflow"
	"medharden/checks"
	"medharden/checks/outfile"
)

// FleetSchema names the row format of fleet output; it changes only when
// a field changes meaning (fields may be added).
const FleetSchema = "medharden.fleet/1"

// fleetRow is one check result of one device: a JSONL line or a CSV row.
// The names are a public contract (README, "Fleet"): add, never rename.
type fleetRow struct {
	Schema       string   `json:"schema"`
	Folder       string   `json:"folder"`
	Host         string   `json:"host"`
	BIOSSerial   string   `json:"bios_serial"`
	AssetTag     string   `json:"asset_tag"`
	CollectedAt  string   `json:"collected_at"`
	Profile      string   `json:"profile"`
	CheckID      string   `json:"check_id"`
	Title        string   `json:"title"`
	Level        string   `json:"level"`
	Capabilities []string `json:"capabilities"`
	Status       string   `json:"status"`
	Expected     string   `json:"expected"`
	Actual       string   `json:"actual"`
	Reason       string   `json:"reason"`
	User         string   `json:"user"`
	Override     string   `json:"override"`
	// Record is "check" for a check result, "drift" for a setting that
	// differs from the --baseline; Change and Setting are a drift's.
	Record  string `json:"record"`
	Change  string `json:"change"`
	Setting string `json:"setting"`
}

// fleetColumns are the CSV header, in the JSON names.
var fleetColumns = []string{"schema", "folder", "host", "bios_serial", "asset_tag", "collected_at", "profile",
	"check_id", "title", "level", "capabilities", "status", "expected", "actual", "reason", "user", "override",
	"record", "change", "setting"}

func (r fleetRow) cells() []string {
	return []string{r.Schema, r.Folder, r.Host, r.BIOSSerial, r.AssetTag, r.CollectedAt, r.Profile,
		r.CheckID, r.Title, r.Level, strings.Join(r.Capabilities, ";"), r.Status, r.Expected, r.Actual, r.Reason, r.User, r.Override,
		r.Record, r.Change, r.Setting}
}

// fleetRows turns one device into its rows; a folder that could not be
// audited is one row with status error, no check id and the reason.
func fleetRows(d workflow.FleetDevice) []fleetRow {
	base := fleetRow{Schema: FleetSchema, Folder: d.Folder, Host: d.Report.Host.Hostname,
		BIOSSerial: d.Identity.SerialNumber, AssetTag: d.AssetTag,
		CollectedAt: d.CollectedAt, Profile: d.Report.Profile, Capabilities: []string{}, Record: recordCheck}
	if base.Host == "" {
		base.Host = d.Identity.Hostname
	}
	if d.Err != nil {
		base.Status = string(checks.Error)
		base.Reason = d.Err.Error()
		return []fleetRow{base}
	}
	rows := make([]fleetRow, 0, len(d.Report.Results))
	for _, res := range d.Report.Results {
		r := base
		r.CheckID, r.Title, r.Level, r.Status = res.ID, res.Title, res.Level, string(res.Status)
		r.Expected, r.Actual, r.Reason = res.Expected, res.Actual, res.Reason
		if res.Capabilities != nil {
			r.Capabilities = res.Capabilities
		}
		if res.User != nil {
			r.User = res.User.String()
		}
		if res.Override != nil {
			r.Override = res.Override.String()
		}
		rows = append(rows, r)
	}
	base.Record = recordDrift
	if d.DriftErr != nil {
		base.Status, base.Reason = string(checks.Error), "drift: "+d.DriftErr.Error()
		rows = append(rows, base)
	}
	if d.Drift != nil {
		for _, dr := range d.Drift.Drift {
			r := base
			r.CheckID, r.Status, r.Change, r.Setting = strings.Join(dr.Checks, ";"), statusDrift, dr.Change, dr.Setting
			r.Expected, r.Actual = dr.Baseline, dr.Now
			r.Reason = "differs from the baseline saved " + d.Drift.SavedAt + " by " + d.Drift.SavedBy
			if dr.Capabilities != nil {
				r.Capabilities = dr.Capabilities
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// Record types and the status of a drift row.
const (
	recordCheck = "check"
	recordDrift = "drift"
	statusDrift = "drift"
)

// fleetWriter writes rows as they come.
type fleetWriter interface {
	device(d workflow.FleetDevice) error
	flush() error
	close()
}

type jsonlWriter struct {
	bw  *bufio.Writer
	enc *json.Encoder
}

func newJSONLWriter(w io.Writer) *jsonlWriter {
	bw := bufio.NewWriter(w)
	return &jsonlWriter{bw: bw, enc: json.NewEncoder(bw)}
}

func (j *jsonlWriter) device(d workflow.FleetDevice) error {
	for _, r := range fleetRows(d) {
		if err := j.enc.Encode(r); err != nil {
			return err
		}
	}
	return j.bw.Flush()
}

func (j *jsonlWriter) flush() error { return j.bw.Flush() }
func (j *jsonlWriter) close()       {}

// csvFleetWriter writes UTF-8 with a byte order mark and CRLF, as the
// audit's CSV does, every cell guarded against formulas.
type csvFleetWriter struct{ cw *csv.Writer }

func newCSVFleetWriter(w io.Writer) (*csvFleetWriter, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(fleetColumns); err != nil {
		return nil, err
	}
	return &csvFleetWriter{cw}, nil
}

func (c *csvFleetWriter) device(d workflow.FleetDevice) error {
	for _, r := range fleetRows(d) {
		row := r.cells()
		for i := range row {
			row[i] = outfile.CSVCell(row[i])
		}
		if err := c.cw.Write(row); err != nil {
			return err
		}
	}
	c.cw.Flush()
	return c.cw.Error()
}

func (c *csvFleetWriter) flush() error { c.cw.Flush(); return c.cw.Error() }
func (c *csvFleetWriter) close()       {}

var fleetFormats = []string{"jsonl", "csv", "html"}

const fleetExitHelp = `Exit codes:
  0  every check of every device passed (or was waived or not applicable)
  1  findings: at least one check failed or could not be evaluated, or
     (--baseline) a setting of a device of the baseline's model drifted
  2  usage error, or at least one folder could not be read or audited
     (listed on standard error and as a row with status error; the others
     are still reported)
  3  internal error`

// fleetGCPercent is the garbage collector's target during a fleet run.
const fleetGCPercent = 400

type fleetOptions struct {
	profile, tailoring, format, out string
	baseline                        string
	all                             bool
}

func runFleet(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o fleetOptions
	fl := newFlagSet("fleet", stderr)
	fl.StringVar(&o.profile, "profile", "", "profile: "+profileNames()+" (default: chosen from each device's Windows version)")
	fl.StringVar(&o.tailoring, "tailoring", "", "tailoring `file` (YAML): waivers, profile, value overrides")
	fl.StringVar(&o.format, "format", "jsonl", "output format: "+strings.Join(fleetFormats, ", "))
	fl.StringVar(&o.out, "out", "", "write to `file` (replaced when the run ends) instead of standard output")
	fl.StringVar(&o.baseline, "baseline", "", "baseline `file` ('baseline save'): add drift rows for each device of its model (jsonl, csv)")
	fl.BoolVar(&o.all, "all", false, "audit every snapshot, not only the newest of each device")
	setUsage(fl, stderr, "Usage: medharden fleet DIR... [--profile P] [--tailoring FILE] [--format jsonl|csv|html] [--out FILE] [--all] [--baseline B.json]\n\n"+
		"Audits every snapshot folder in the DIRs (searched at any depth; links are not followed),\n"+
		"in parallel, one row per check result. Of several snapshots of one device (same BIOS serial,\n"+
		"then MAC, as inventory merge decides) only the newest is audited unless --all.\n\n",
		fleetExitHelp)
	dirs, help, err := parseFlags(fl, args)
	if help || err != nil {
		return err
	}
	if len(dirs) == 0 {
		return usagef("fleet: no folder given; name the snapshot folders or the share that holds them")
	}
	if o.format != "jsonl" && o.format != "csv" && o.format != "html" {
		return usagef("fleet: unknown format %q; use one of %s", o.format, strings.Join(fleetFormats, ", "))
	}
	if o.baseline != "" && o.format == "html" {
		return usagef("fleet: --baseline adds drift rows to jsonl or csv, not to html")
	}
	if err := checkOut(o.out); err != nil {
		return err
	}
	s, err := newSession("", o.profile, o.tailoring, stderr)
	if err != nil {
		return err
	}
	if o.baseline != "" {
		b, err := workflow.LoadBaseline(o.baseline)
		if err != nil {
			return err
		}
		s.SetBaseline(&b)
	}
	workers := runtime.NumCPU()
	folders := workflow.FindSnapshots(dirs)
	if !o.all {
		folders = workflow.NewestPerDevice(ctx, folders, workers)
	}
	return fleet(ctx, s, folders, workers, o, stdout, stderr)
}

// fleet audits the folders and streams the rows to stdout or, with
// --out, into the temporary file that becomes the output when all is
// written.
func fleet(ctx context.Context, s *workflow.Session, folders []workflow.FleetFolder, workers int, o fleetOptions, stdout, stderr io.Writer) error {
	// Each folder's parse is garbage once its rows are written, and the
	// live heap stays at a few folders whatever the fleet's size: collecting
	// at 5× the live heap rather than 2× saves a quarter of the CPU for a
	// peak well under 200 MB (BenchmarkFleet).
	defer debug.SetGCPercent(debug.SetGCPercent(fleetGCPercent))
	w := stdout
	var file *outfile.File
	if o.out != "" {
		f, err := outfile.Create(o.out, 0o600)
		if err != nil {
			return err
		}
		defer f.Abort()
		file, w = f, f
	}
	var fw fleetWriter
	switch o.format {
	case "csv":
		c, err := newCSVFleetWriter(w)
		if err != nil {
			return err
		}
		fw = c
	case "html":
		h, err := newHTMLFleetWriter(w)
		if err != nil {
			return err
		}
		fw = h
	default:
		fw = newJSONLWriter(w)
	}
	defer fw.close()
	var total checks.Counts
	bad, drifted := 0, 0
	err := s.AuditFleet(ctx, folders, workers, func(d workflow.FleetDevice) error {
		if d.Err != nil {
			bad++
			fmt.Fprintf(stderr, "medharden: fleet: %s: %v\n", d.Folder, d.Err)
		} else {
			total.Fail += d.Report.Summary.Fail
			total.Error += d.Report.Summary.Error
		}
		if d.DriftErr != nil {
			bad++
			fmt.Fprintf(stderr, "medharden: fleet: %s: drift: %v\n", d.Folder, d.DriftErr)
		}
		if d.Drift != nil {
			drifted += len(d.Drift.Drift)
		}
		return fw.device(d)
	})
	if err == nil {
		err = fw.flush()
	}
	if err == nil && file != nil {
		err = file.Commit()
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "medharden: fleet: %d folders, %d could not be audited; %d failed, %d errors\n",
		len(folders), bad, total.Fail, total.Error)
	if bad > 0 {
		return fmt.Errorf("fleet: %d of %d folders: %w", bad, len(folders), workflow.ErrFleetFolder)
	}
	if total.Fail > 0 || total.Error > 0 || drifted > 0 {
		return findingsError{fmt.Sprintf("%d failed, %d errors, %d settings drifted", total.Fail, total.Error, drifted)}
	}
	return nil
}
