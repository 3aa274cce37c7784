package outfile

import "strings"

// CSVCell stops a spreadsheet from running a cell as a formula: snapshot
// values, device records and people's entries are untrusted, and
// "=HYPERLINK(...)" or "@SUM(...)" in a value would otherwise run when a
// technician opens the file. A leading single quote makes the cell plain
// text.
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
