package csaf

import (
	"fmt"
	"testing"

	"medharden/assets"
)

// BenchmarkMatch100x10000: about 100 advisories (the corpus repeated)
// against 10,000 devices with a few programs each.
func BenchmarkMatch100x10000(b *testing.B) {
	files := corpusFiles(b)
	var advs []*Advisory
	for len(advs) < 100 {
		for _, f := range files {
			a, err := ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			advs = append(advs, a)
		}
	}
	makes := []string{"Hillrom", "GE Healthcare", "Philips", "BD", "Baxter", "Medtronic", "ACME"}
	devices := make([]Device, 10000)
	for i := range devices {
		devices[i] = device(fmt.Sprintf("d%d", i), makes[i%len(makes)], fmt.Sprintf("Model %d", i%50),
			assets.Software{Name: "Welch Allyn Connex Spot Monitor", Version: "1.40", Publisher: "Hillrom"},
			assets.Software{Name: "Adobe Reader", Version: "9.0", Publisher: "Adobe"},
			assets.Software{Name: "Java 6", Version: "6.0.45", Publisher: "Oracle"})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if ms := MatchAll(devices, advs); len(ms) == 0 {
			b.Fatal("no match")
		} else if i == 0 {
			b.Logf("%d matches, %d findings", len(ms), len(Summarize(ms)))
		}
	}
}
