package report

import (
	"fmt"
	"strings"

	"medharden/checks"
)

// RehearsalMark heads every view and every report of a rehearsed state: a
// snapshot after changes were applied to its in-memory copy. Such a report
// is not evidence of the device's state.
const RehearsalMark = "REHEARSAL - NOT THE DEVICE'S STATE"

// rehearsalNote says, under the mark, what the report shows instead.
const rehearsalNote = "These results were read after changes were applied to an in-memory copy of the snapshot " +
	"(a rehearsal). The device and the snapshot's files were not changed; the audit of the snapshot as collected " +
	"is the record of the device."

// rehearsalFilePart is RehearsalMark as it can stand in a file name.
const rehearsalFilePart = "REHEARSAL-NOT-THE-DEVICES-STATE"

// FileName suggests a report's file name: host, collection or audit date
// and the extension, with the rehearsal mark in front of a rehearsed
// report's name.
func FileName(r checks.Report, ext string) string {
	host := strings.Map(func(c rune) rune {
		if c < ' ' || strings.ContainsRune(`\/:*?"<>|`, c) {
			return '_'
		}
		return c
	}, strings.TrimSpace(r.Host.Hostname))
	if host == "" {
		host = "medharden"
	}
	date := r.Host.CollectedAt
	if len(date) < 10 {
		date = r.Started
	}
	if len(date) >= 10 {
		date = strings.ReplaceAll(date[:10], "-", "")
	}
	name := fmt.Sprintf("%s-%s-report.%s", host, date, ext)
	if r.Rehearsal {
		name = rehearsalFilePart + "-" + name
	}
	return name
}
