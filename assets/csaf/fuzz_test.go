package csaf

import (
	"os"
	"path/filepath"
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
