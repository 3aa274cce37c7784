package live

import (
	"fmt"
	"strings"

	"medharden/checks/winfmt"
)

// seceditArea is the /areas value that makes secedit /configure apply a
// section of a template.
func seceditArea(section string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(section)) {
	case "privilege rights":
		return "USER_RIGHTS", nil
	case "system access", "event audit", "registry values", "kerberos policy":
		return "SECURITYPOLICY", nil
	}
	return "", fmt.Errorf("security policy section [%s] cannot be written by medharden", section)
}

// quotedKeys are the [System Access] keys secedit writes in double quotes.
var quotedKeys = map[string]bool{"newadministratorname": true, "newguestname": true}

// seceditTemplate is the smallest template secedit /configure accepts that
// changes one key: [Unicode], [Version] and the key's own section.
func seceditTemplate(section, name, value string) (*winfmt.INF, error) {
	if strings.ContainsAny(name, "=[];\r\n") || strings.TrimSpace(name) == "" {
		return nil, fmt.Errorf("security policy key %q cannot be written to a template", name)
	}
	v := strings.TrimSpace(value)
	if quotedKeys[strings.ToLower(name)] && !(len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"') {
		if strings.ContainsRune(v, '"') {
			return nil, fmt.Errorf("[%s] %s: %q may not contain a double quote", section, name, value)
		}
		v = `"` + v + `"`
	}
	return &winfmt.INF{Sections: []winfmt.INFSection{
		{Name: "Unicode", Entries: []winfmt.INFEntry{{Key: "Unicode", Value: "yes"}}},
		{Name: "Version", Entries: []winfmt.INFEntry{
			{Key: "signature", Value: `"$CHICAGO$"`},
			{Key: "Revision", Value: "1"},
		}},
		{Name: section, Entries: []winfmt.INFEntry{{Key: name, Value: v}}},
	}}, nil
}

// exportArgs and configureArgs are secedit's command lines; /quiet keeps
// it from asking questions, /log keeps its log out of %windir%\security.
func exportArgs(cfg, log string) []string {
	return []string{"/export", "/cfg", cfg, "/areas", "SECURITYPOLICY", "USER_RIGHTS", "/log", log, "/quiet"}
}

func configureArgs(db, cfg, area, log string) []string {
	return []string{"/configure", "/db", db, "/cfg", cfg, "/areas", area, "/log", log, "/quiet"}
}

// seceditLogTail gives the last few meaningful lines of a secedit log for
// an error message; secedit writes its log in UTF-16LE.
func seceditLogTail(b []byte, lines int) string {
	text, err := winfmt.DecodeText("secedit.log", b)
	if err != nil {
		return ""
	}
	var keep []string
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.Trim(l, "-") == "" {
			continue
		}
		keep = append(keep, l)
	}
	if len(keep) > lines {
		keep = keep[len(keep)-lines:]
	}
	return strings.Join(keep, " | ")
}
