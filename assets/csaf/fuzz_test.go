package csaf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseCSAF: advisories come from outside; the reader must never panic,
// and a document it accepts must only reference products it defines.
func FuzzParseCSAF(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(corpusDir, "*.json"))
	seeds = append(seeds, filepath.Join("testdata", "own.json"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"document":{"csaf_version":"2.0"}}`))
	f.Add([]byte(`{"product_tree":{"branches":[{"branches":[{"branches":[]}]}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Parse("fuzz.json", b)
		if err != nil {
			if a != nil {
				t.Fatal("an advisory and an error")
			}
			return
		}
		for _, v := range a.Vulns {
			for _, ids := range v.Status {
				for _, id := range ids {
					if _, ok := a.Products[id]; !ok {
						t.Fatalf("accepted undefined product %q", id)
					}
				}
			}
		}
		_ = MatchAll([]Device{{Key: "k", Make: "x", Model: "y"}}, []*Advisory{a})
	})
}

// FuzzRange: version texts come from advisories; reading and deciding
// must never panic, a version is always in a range naming it alone, and
// an undecidable answer always says why.
func FuzzRange(f *testing.F) {
	for _, s := range []string{"2.3.6 and  below", "4.X | 5.X", ">= 1.0.0 | <= 1.1.1", "< 1.8.4 Service Pack 01",
		"A.01 <= C.0x | 4.0", "<=N", "vers:generic/>=1.0|<2.0", "all versions", "prior to 5.1", "versions 1.0 through 2.3",
		"1.0 through 2.X", "between 3.0 and 3.2", "4.1 and later", "İ", "vers:all/*"} {
		f.Add(s, "1.2")
	}
	f.Fuzz(func(t *testing.T, spec, v string) {
		r, err := ParseRange(spec)
		if err != nil {
			return
		}
		st, why := r.Decide(v)
		if why == "" {
			t.Fatalf("%q against %q: no reason", v, spec)
		}
		if st == VersionUnknown && strings.TrimSpace(v) != "" && len(r.unknown) == 0 && !r.hasUnreadableBound() {
			t.Fatalf("%q against %q: unknown without an unreadable part", v, spec)
		}
		if isVersion(v) && !strings.ContainsAny(v, "|<>=!*") {
			if one, err := ParseRange(v); err == nil && !one.Contains(v) && len(one.unknown) == 0 && len(one.alts) == 0 {
				t.Fatalf("%q is not in itself", v)
			}
		}
	})
}
