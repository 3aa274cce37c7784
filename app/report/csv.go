package report

import (
	"encoding/csv"
	"io"
	"strings"

	"medharden/checks"
	"medharden/checks/outfile"
)

// CSVHeader is the first row of WriteCSV's output.
var CSVHeader = []string{"id", "title", "level", "status", "capabilities", "expected", "actual", "reason", "source", "override", "compensating_controls", "user"}

// WriteCSV writes one row per result. The output is UTF-8 with a byte order
// mark and CRLF line ends, which is what Excel on Windows needs to show
// non-ASCII text correctly. Capabilities are joined with ';'. The override
// column names the tailoring file, line and value a check was judged
// against ("site.yaml:12 sets 0"), empty for the benchmark's own value; the
// compensating_controls column holds a legacy-device waiver's controls;
// the user column names the person (name and SID) whose own settings a
// user-scope check judged, one row per person. In a rehearsed report the
// source column of every row starts with RehearsalMark.
func WriteCSV(w io.Writer, r checks.Report) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, res := range r.Results {
		override := ""
		if res.Override != nil {
			override = res.Override.String()
		}
		compensating := ""
		if res.Compensating != nil {
			compensating = res.Compensating.String()
		}
		user := ""
		if res.User != nil {
			user = res.User.String()
		}
		source := res.Source
		if r.Rehearsal {
			// CSV has no header but its columns: every row carries the mark.
			source = RehearsalMark + ": " + source
		}
		row := []string{res.ID, res.Title, res.Level, string(res.Status),
			strings.Join(res.Capabilities, ";"), res.Expected, res.Actual, res.Reason, source, override, compensating, user}
		for i := range row {
			row[i] = outfile.CSVCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
