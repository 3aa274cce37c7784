package live

import (
	"sort"
	"strings"
)

// normSID upper-cases a SID string so "s-1-5-32-544" and "S-1-5-32-544"
// compare equal; anything else is only trimmed.
func normSID(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(strings.ToUpper(s), "S-1-") {
		return strings.ToUpper(s)
	}
	return s
}

// diffRights says which holders to add and which to remove so that a
// right's holders become want. Duplicates and case are ignored; both lists
// come back sorted so the calls are made in a stable order.
func diffRights(current, want []string) (add, remove []string) {
	have := map[string]bool{}
	for _, s := range current {
		have[normSID(s)] = true
	}
	keep := map[string]bool{}
	for _, s := range want {
		n := normSID(s)
		if n == "" || keep[n] {
			continue
		}
		keep[n] = true
		if !have[n] {
			add = append(add, n)
		}
	}
	for s := range have {
		if !keep[s] {
			remove = append(remove, s)
		}
	}
	sort.Strings(add)
	sort.Strings(remove)
	return add, remove
}
