package checks

// V310Reused maps each CIS Windows 7 v3.1.0 number that v3.2.0 gave to a
// different recommendation to the check that number meant in v3.1.0. Such a
// number in a tailoring file is ambiguous: the file must say which
// numbering it uses.
var V310Reused = map[string]string{
	"2.3.17.2":  "MH-RETIRED-1",
	"2.3.17.3":  "2.3.17.2",
	"2.3.17.4":  "2.3.17.3",
	"2.3.17.5":  "2.3.17.4",
	"2.3.17.6":  "2.3.17.5",
	"2.3.17.7":  "2.3.17.6",
	"2.3.17.8":  "2.3.17.7",
	"17.2.2":    "MH-RETIRED-2",
	"17.2.3":    "MH-RETIRED-3",
	"17.6.1":    "17.6.2",
	"17.6.2":    "17.6.3",
	"18.3.6":    "18.3.7",
	"18.5.4.1":  "18.3.6",
	"18.8.36.1": "18.8.37.1",
	"18.8.36.2": "18.8.37.2",
}
