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

// NewCatalog builds a catalog from checks made in code (an imported
// baseline's), validated as a loaded catalog is.
func NewCatalog(list []Check) (*Catalog, error) {
	cat := &Catalog{byID: map[string]int{}}
	for _, ch := range list {
		if err := ch.validate(); err != nil {
			return nil, fmt.Errorf("check %q: %w", ch.ID, err)
		}
		if _, dup := cat.byID[ch.ID]; dup {
			return nil, fmt.Errorf("duplicate check id %q", ch.ID)
		}
		cat.byID[ch.ID] = len(cat.Checks)
		cat.Checks = append(cat.Checks, ch)
	}
	return cat, nil
}
