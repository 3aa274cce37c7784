package csaf

import (
	"fmt"
	"testing"

	"medharden/assets"
)

// BenchmarkMatch100x10000: about 100 advisories (the corpus repeated)
// against 10,000 devices with a few programs each, Windows 7 or XP, some
// KBs, and clinical versions.
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
	makes := []string{"Hillrom", "GE Healthcare", "Philips", "BD", "Baxter", "Medtronic", "ACME", "Spacelabs"}
	oses := []string{"Microsoft Windows 7 Professional", "Microsoft Windows XP Professional"}
	var kbs []string
	for k := 0; k < 25; k++ {
		kbs = append(kbs, fmt.Sprintf("KB%d", 3000000+k))
	}
	devices := make([]Device, 10000)
	for i := range devices {
		devices[i] = device(fmt.Sprintf("d%d", i), makes[i%len(makes)], fmt.Sprintf("Model %d", i%50),
			assets.Software{Name: "Welch Allyn Connex Spot Monitor", Version: "1.40", Publisher: "Hillrom"},
			assets.Software{Name: "Adobe Reader", Version: "9.0", Publisher: "Adobe"},
			assets.Software{Name: "Java 6", Version: "6.0.45", Publisher: "Oracle"})
		devices[i] = win(devices[i], oses[i%2], "Service Pack 1", kbs...)
		devices[i].Version = fmt.Sprintf("1.%d", i%60)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// What advisories match does: every match, folded per device and advisory.
		if fs := Summarize(MatchAll(devices, advs)); len(fs) == 0 {
			b.Fatal("no finding")
		}
	}
}
