package snapshot

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"medharden/checks"
	"medharden/checks/winfmt"
)

var _ checks.InventorySource = (*Host)(nil)

// WMI returns the rows of wmic\<class>.csv, without the Node column.
func (h *Host) WMI(ctx context.Context, class string) ([]map[string]string, error) {
	t, err := h.table(strings.ToLower(class))
	if err != nil {
		return nil, err
	}
	rows := make([]map[string]string, 0, len(t.Rows))
	for _, r := range t.Rows {
		m := make(map[string]string, len(t.Header))
		for i, col := range t.Header {
			if strings.EqualFold(col, "Node") || i >= len(r.Fields) {
				continue
			}
			m[col] = strings.TrimSpace(r.Fields[i])
		}
		rows = append(rows, m)
	}
	return rows, nil
}

// RegSubkeys lists the subkeys the exports hold under key, with the case
// of their first appearance.
func (h *Host) RegSubkeys(ctx context.Context, key string) ([]string, error) {
	nk := winfmt.NormalizeKey(key)
	if h.keyAbsent(nk) && !h.reg.covers(nk) {
		return nil, nil
	}
	if !h.reg.covers(nk) {
		return nil, fmt.Errorf("%w: no reg export in the snapshot covers %s", checks.ErrNotCollected, key)
	}
	// Each name is upper-cased once, for both the repeat test and the sort.
	type subkey struct{ name, upper string }
	seen := map[string]bool{}
	var subs []subkey
	prefix := nk + `\`
	for k := range h.reg.keys {
		if !strings.HasPrefix(k, prefix) || !h.reg.live(k) {
			continue
		}
		name := h.reg.display(k)
		if len(name) != len(k) {
			name = k // spelling changed length when upper-cased: use the normalized form
		}
		rest := name[len(prefix):]
		if i := strings.IndexByte(rest, '\\'); i >= 0 {
			rest = rest[:i]
		}
		if up := strings.ToUpper(rest); !seen[up] {
			seen[up] = true
			subs = append(subs, subkey{rest, up})
		}
	}
	sort.Slice(subs, func(i, j int) bool { return subs[i].upper < subs[j].upper })
	var out []string
	for _, s := range subs {
		out = append(out, s.name)
	}
	return out, nil
}
