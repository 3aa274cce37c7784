package checks

import "strings"

// wellKnown maps the English names secedit or an administrator may write
// to their SIDs. Names differ per language, SIDs never do, so every
// comparison is made on SIDs and names are only resolved on the way in.
var wellKnown = map[string]string{
	"EVERYONE":                                    "S-1-1-0",
	"CREATOR OWNER":                               "S-1-3-0",
	"NT AUTHORITY\\NETWORK":                       "S-1-5-2",
	"NT AUTHORITY\\BATCH":                         "S-1-5-3",
	"NT AUTHORITY\\INTERACTIVE":                   "S-1-5-4",
	"NT AUTHORITY\\SERVICE":                       "S-1-5-6",
	"NT AUTHORITY\\ANONYMOUS LOGON":               "S-1-5-7",
	"NT AUTHORITY\\ENTERPRISE DOMAIN CONTROLLERS": "S-1-5-9",
	"NT AUTHORITY\\AUTHENTICATED USERS":           "S-1-5-11",
	"NT AUTHORITY\\SYSTEM":                        "S-1-5-18",
	"NT AUTHORITY\\LOCAL SERVICE":                 "S-1-5-19",
	"NT AUTHORITY\\NETWORK SERVICE":               "S-1-5-20",
	"NT AUTHORITY\\LOCAL ACCOUNT":                 "S-1-5-113",
	"NT AUTHORITY\\LOCAL ACCOUNT AND MEMBER OF ADMINISTRATORS GROUP": "S-1-5-114",
	"BUILTIN\\ADMINISTRATORS":                  "S-1-5-32-544",
	"BUILTIN\\USERS":                           "S-1-5-32-545",
	"BUILTIN\\GUESTS":                          "S-1-5-32-546",
	"BUILTIN\\POWER USERS":                     "S-1-5-32-547",
	"BUILTIN\\ACCOUNT OPERATORS":               "S-1-5-32-548",
	"BUILTIN\\SERVER OPERATORS":                "S-1-5-32-549",
	"BUILTIN\\PRINT OPERATORS":                 "S-1-5-32-550",
	"BUILTIN\\BACKUP OPERATORS":                "S-1-5-32-551",
	"BUILTIN\\REPLICATOR":                      "S-1-5-32-552",
	"BUILTIN\\REMOTE DESKTOP USERS":            "S-1-5-32-555",
	"BUILTIN\\NETWORK CONFIGURATION OPERATORS": "S-1-5-32-556",
	"BUILTIN\\PERFORMANCE LOG USERS":           "S-1-5-32-559",
	"BUILTIN\\IIS_IUSRS":                       "S-1-5-32-568",
	"NT SERVICE\\WDISERVICEHOST":               "S-1-5-80-3139157870-2983391045-3678747466-658725712-1809340420",
	"NT SERVICE\\ALL SERVICES":                 "S-1-5-80-0",
	"WINDOW MANAGER\\WINDOW MANAGER GROUP":     "S-1-5-90-0",
}

var sidNames map[string]string

func init() {
	sidNames = make(map[string]string, len(wellKnown))
	for name, sid := range wellKnown {
		short := name
		if i := strings.IndexByte(name, '\\'); i >= 0 {
			short = name[i+1:]
		}
		sidNames[sid] = titleCase(short)
	}
}

// WellKnownSID resolves an English well-known account name, with or without
// its domain part ("Administrators", "BUILTIN\Administrators").
func WellKnownSID(name string) (string, bool) {
	n := strings.ToUpper(strings.TrimSpace(name))
	if sid, ok := wellKnown[n]; ok {
		return sid, true
	}
	for full, sid := range wellKnown {
		if i := strings.IndexByte(full, '\\'); i >= 0 && full[i+1:] == n {
			return sid, true
		}
	}
	return "", false
}

// SIDLabel renders a SID for people: "Administrators (S-1-5-32-544)".
func SIDLabel(sid string) string {
	if name, ok := sidNames[strings.ToUpper(sid)]; ok {
		return name + " (" + sid + ")"
	}
	return sid
}

func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		if w == "iis_iusrs" {
			words[i] = "IIS_IUSRS"
			continue
		}
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}
