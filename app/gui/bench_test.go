package gui

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// BenchmarkLoad is opening the sample snapshot: parse, pick the profile,
// audit.
func BenchmarkLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		s := NewState("0.1.0")
		if err := s.Load(context.Background(), sampleDir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenAndRender is what a technician waits for: the snapshot opened
// through the window and the first frame of the results drawn (by the test
// driver's software painter). heap-MB is the live Go heap after the first
// window of the process (the test driver keeps closed windows' renderers, so
// later iterations would count those too).
func BenchmarkOpenAndRender(b *testing.B) {
	a := test.NewApp()
	defer a.Quit()
	for i := 0; i < b.N; i++ {
		m := newMainWindow(a, NewState("0.1.0"))
		m.win.Resize(fyne.NewSize(1240, 760))
		m.load(sampleDir)
		m.wait()
		if len(m.results.rows) == 0 {
			b.Fatal("no results shown")
		}
		m.win.Canvas().Capture()
		b.StopTimer()
		firstHeap.Do(func() {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			heapMB = float64(ms.HeapInuse) / (1 << 20)
		})
		m.win.Close()
		b.StartTimer()
	}
	b.ReportMetric(heapMB, "heap-MB")
}

var (
	firstHeap sync.Once
	heapMB    float64
)
