package snapshot

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"medharden/checks"
)

// BenchmarkAuditSampleL1 is a full cis-win7-l1 audit of the sample vendor
// snapshot, parsing every file of the folder each time (target: median
// under 50 ms on a 2-core machine; see README).
func BenchmarkAuditSampleL1(b *testing.B) {
	cat, err := checks.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	benchAudit(b, func() *checks.Catalog { return cat })
}

// BenchmarkAuditSampleL1Cold also decodes the catalog every time, as one
// run of the command does.
func BenchmarkAuditSampleL1Cold(b *testing.B) {
	benchAudit(b, func() *checks.Catalog {
		cat, err := checks.LoadCatalog(catalogFS(), "catalog")
		if err != nil {
			b.Fatal(err)
		}
		return cat
	})
}

func catalogFS() fs.FS { return os.DirFS(filepath.Join("..")) }

func benchAudit(b *testing.B, catalog func() *checks.Catalog) {
	dir := filepath.Join("..", "..", "testdata", "snapshots", "ICU-CS01-20261118-093000")
	p, _ := checks.FindProfile("cis-win7-l1")
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		cat := catalog()
		h, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := checks.Audit(ctx, h, cat, p, checks.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Results) < 250 {
			b.Fatalf("only %d results", len(rep.Results))
		}
	}
}
