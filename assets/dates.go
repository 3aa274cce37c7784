package assets

import (
	"strconv"
	"strings"
	"time"
)

// parseWMITime reads a CIM datetime, "20150312101500.000000+060": local
// time and its offset from UTC in minutes. wmic prints it exactly so.
func parseWMITime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 14 || !allDigits(s[:14]) {
		return time.Time{}, false
	}
	loc := time.UTC
	if len(s) >= 25 && (s[21] == '+' || s[21] == '-') && allDigits(s[22:25]) {
		m, _ := strconv.Atoi(s[22:25])
		if s[21] == '-' {
			m = -m
		}
		loc = time.FixedZone("", m*60)
	}
	t, err := time.ParseInLocation("20060102150405", s[:14], loc)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// wmiTimeRFC3339 gives the RFC 3339 form of a CIM datetime, or "".
func wmiTimeRFC3339(s string) string {
	t, ok := parseWMITime(s)
	if !ok {
		return ""
	}
	return t.Format(time.RFC3339)
}

// normalizeDate turns the date forms Windows writes for updates and
// programs into yyyy-mm-dd: "3/14/2017" (Win32_QuickFixEngineering writes
// month first whatever the locale), "14.03.2017" (day first, as exports
// re-saved on German-style locales have it), "20170314" (Uninstall InstallDate),
// and the 16-digit hexadecimal FILETIME some systems leave in InstalledOn.
// It returns "" when the text is none of these, so callers keep the raw text.
func normalizeDate(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return ""
	case len(s) == 8 && allDigits(s):
		if t, err := time.Parse("20060102", s); err == nil && plausible(t) {
			return t.Format("2006-01-02")
		}
	case strings.Count(s, "/") == 2:
		p := strings.Split(s, "/")
		a, e1 := strconv.Atoi(p[0])
		b, e2 := strconv.Atoi(p[1])
		y, e3 := strconv.Atoi(p[2])
		if e1 != nil || e2 != nil || e3 != nil {
			return ""
		}
		if len(p[0]) == 4 { // yyyy/mm/dd
			a, b, y = b, y, a
		}
		m, d := a, b
		if m > 12 && d <= 12 { // a day-first locale slipped through
			m, d = d, m
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if m < 1 || m > 12 || t.Day() != d || !plausible(t) {
			return ""
		}
		return t.Format("2006-01-02")
	case strings.Count(s, ".") == 2:
		// dd.mm.yyyy, as German-style locales write it
		p := strings.Split(s, ".")
		d, e1 := strconv.Atoi(p[0])
		m, e2 := strconv.Atoi(p[1])
		y, e3 := strconv.Atoi(p[2])
		if e1 != nil || e2 != nil || e3 != nil || len(p[2]) != 4 {
			return ""
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if m < 1 || m > 12 || t.Day() != d || !plausible(t) {
			return ""
		}
		return t.Format("2006-01-02")
	case len(s) == 16 && isHex(s):
		// FILETIME: 100 ns intervals since 1601-01-01 UTC.
		ft, err := strconv.ParseUint(s, 16, 64)
		if err != nil {
			return ""
		}
		const epochDiff = 116444736000000000 // 1601 -> 1970 in 100 ns
		if ft < epochDiff {
			return ""
		}
		t := time.Unix(0, 0).UTC().Add(time.Duration((ft-epochDiff)/10000) * time.Millisecond)
		if plausible(t) {
			return t.Format("2006-01-02")
		}
	default:
		if t, err := time.Parse("2006-01-02", s); err == nil && plausible(t) {
			return t.Format("2006-01-02")
		}
	}
	return ""
}

// plausible rejects dates no update or program can have been installed on.
func plausible(t time.Time) bool { return t.Year() >= 1990 && t.Year() < 2200 }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return s != ""
}
