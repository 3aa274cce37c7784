package remediate

import (
	"context"
	"testing"
)

func BenchmarkPlan(b *testing.B) {
	h := openSnap(b, writeFixture(b, fixtureOpts{session: consoleTech}))
	cat, prof := testCatalog(b), profileFor(b, false)
	rep := audit(b, h, cat, prof, nil)
	sel, _ := ParseSelection("failed")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := NewPlan(context.Background(), h, cat, rep, sel, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyRollback measures a whole run, fsyncs included: the
// journal flushes every record, which dominates.
func BenchmarkApplyRollback(b *testing.B) {
	ctx := context.Background()
	h := openSnap(b, writeFixture(b, fixtureOpts{session: consoleTech}))
	cat, prof := testCatalog(b), profileFor(b, false)
	p := plan(b, h, cat, prof, "failed", nil)
	root := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := Apply(ctx, h, p, Options{Root: root})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Rollback(ctx, h, out.Run, Options{Root: root, Catalog: cat}); err != nil {
			b.Fatal(err)
		}
	}
}
