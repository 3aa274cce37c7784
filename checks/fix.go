package checks

import "fmt"

// With returns a copy of the catalog in which each given check replaces the
// check with the same id. Tailoring uses it to apply value overrides without
// changing the built-in catalog, which is shared and never modified.
func (c *Catalog) With(changed ...Check) (*Catalog, error) {
	out := &Catalog{Checks: append([]Check(nil), c.Checks...), byID: make(map[string]int, len(c.byID))}
	for id, i := range c.byID {
		out.byID[id] = i
	}
	for _, ch := range changed {
		i, ok := out.byID[ch.ID]
		if !ok {
			return nil, fmt.Errorf("catalog has no check %q", ch.ID)
		}
		if err := ch.validate(); err != nil {
			return nil, fmt.Errorf("check %q: %w", ch.ID, err)
		}
		out.Checks[i] = ch
	}
	return out, nil
}
