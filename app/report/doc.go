// Package report writes an audit report (checks.Report) as plain text for a
// terminal, JSON and CSV for scripts and spreadsheets, and one self-contained
// HTML file that can be copied off a device and opened anywhere offline;
// and the evidence document (workflow.Evidence) as HTML for print and as
// JSON. Both HTML documents share one page skeleton (page.html.tmpl: the
// Content-Security-Policy, title and base style).
//
// Values in a report come from untrusted snapshots, so every writer treats
// them as data: HTML is escaped by html/template, CSV cells are guarded
// against formula injection and text output drops terminal control codes.
package report
