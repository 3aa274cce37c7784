package workflow

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	"medharden/assets"
	"medharden/checks"
	"medharden/checks/snapshot"
)

// ErrFleetFolder marks a fleet run in which at least one folder could not
// be read or audited; the others were still reported (exit 2).
var ErrFleetFolder = errors.New("folder could not be audited")

// FleetDevice is one folder of a fleet run: its audit, or why there is
// none.
type FleetDevice struct {
	Folder   string
	Report   checks.Report
	Identity assets.Identity // BIOS serial, host name; empty when not read
	AssetTag string          // from the technician fields beside the snapshot
	// CollectedAt is RFC 3339 when the inventory could read it, else as
	// the collector wrote it.
	CollectedAt string
	Err         error // the folder could not be read or audited
	// Drift is the comparison with the fleet's baseline (SetBaseline) for
	// a device of the baseline's model; nil otherwise, or when DriftErr
	// says why it could not be made.
	Drift    *DriftReport
	DriftErr error
	panicked *WorkerPanic
}

// SetBaseline makes every later fleet run compare each device of the
// baseline's model with it; nil stops it.
func (s *Session) SetBaseline(b *Baseline) {
	s.mu.Lock()
	s.baseline = b
	s.mu.Unlock()
}

// OfModel tells whether a device is of the baseline's model: the same
// maker and model (without case). A baseline that records no model (its
// inventory could not be read) covers every device.
func (b Baseline) OfModel(id assets.Identity) bool {
	if b.Device.Model == "" {
		return true
	}
	return strings.EqualFold(strings.TrimSpace(b.Device.Manufacturer), strings.TrimSpace(id.Manufacturer)) &&
		strings.EqualFold(strings.TrimSpace(b.Device.Model), strings.TrimSpace(id.Model))
}

// WorkerPanic is a panic caught on a fleet worker and raised again on the
// caller's goroutine, where the command's one recover turns it into exit
// 3 and a crash log: a panic on a worker would otherwise end the program
// without either.
type WorkerPanic struct {
	Value interface{}
	stack []byte
}

func (p *WorkerPanic) String() string { return fmt.Sprint(p.Value) }

// Stack is the worker's stack where it panicked.
func (p *WorkerPanic) Stack() []byte { return p.stack }

// catch runs fn and returns its panic, if any.
func catch(fn func()) (p *WorkerPanic) {
	defer func() {
		if v := recover(); v != nil {
			p = &WorkerPanic{Value: v, stack: debug.Stack()}
		}
	}()
	fn()
	return nil
}

// FleetFolder is a folder found by FindSnapshots: a snapshot folder, or a
// folder that could not be searched (Err).
type FleetFolder struct {
	Path string
	Err  error
}

// isSnapshot tells a collector folder by what the collector always
// writes; such a folder is not searched further.
func isSnapshot(dir string) bool {
	for _, name := range []string{"collect.log", "secedit.inf", "wmic"} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

// FindSnapshots lists the snapshot folders in dirs, each a snapshot folder
// or a folder holding them at any depth, sorted by path. Symbolic links
// are never followed (a link given as a DIR is listed as an error); a
// folder that cannot be read, or a DIR without any snapshot, is listed
// with its error.
func FindSnapshots(dirs []string) []FleetFolder {
	var out []FleetFolder
	for _, root := range dirs {
		found := 0
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				out = append(out, FleetFolder{Path: p, Err: err})
				found++
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				if p == root {
					out = append(out, FleetFolder{Path: p, Err: fmt.Errorf("%s is a symbolic link or junction, not followed", p)})
					found++
				}
				return nil
			}
			if !d.IsDir() {
				if p == root {
					out = append(out, FleetFolder{Path: p, Err: fmt.Errorf("%s is not a folder", p)})
					found++
				}
				return nil
			}
			if isSnapshot(p) {
				out = append(out, FleetFolder{Path: p})
				found++
				return fs.SkipDir
			}
			return nil
		})
		if err != nil {
			out = append(out, FleetFolder{Path: root, Err: err})
		} else if found == 0 {
			out = append(out, FleetFolder{Path: root, Err: fmt.Errorf("%s holds no snapshot folder", root)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	// A folder named twice (a share and one of its folders) is audited once.
	kept := out[:0]
	for i, f := range out {
		if i > 0 && f.Path == out[i-1].Path && f.Err == nil && out[i-1].Err == nil {
			continue
		}
		kept = append(kept, f)
	}
	return kept
}

// AuditFolder opens and audits one snapshot folder with the session's
// profile and tailoring, as Load does, without making it the session's
// target: it is safe to call from several goroutines.
func (s *Session) AuditFolder(ctx context.Context, dir string) FleetDevice {
	d := FleetDevice{Folder: dir}
	t, err := Open(ctx, dir)
	if err != nil {
		d.Err = err
		return d
	}
	rep, rec, err := s.audit(ctx, t)
	if err != nil {
		d.Err = err
		return d
	}
	d.Report, d.CollectedAt = rep, rep.Host.CollectedAt
	if rec != nil {
		d.Identity = rec.Identity
		if rec.CollectedAt != "" {
			d.CollectedAt = rec.CollectedAt
		}
	}
	s.mu.RLock()
	b := s.baseline
	s.mu.RUnlock()
	if b != nil && b.OfModel(d.Identity) {
		r, err := s.Drift(ctx, *b, dir)
		if err != nil {
			d.DriftErr = err
		} else {
			d.Drift = &r
		}
	}
	if f, err := assets.LoadFields(FieldsPath(t.ID)); err == nil {
		d.AssetTag = f.AssetTag
	} else if s.cfg.Warn != nil {
		s.cfg.Warn(err)
	}
	return d
}

// NewestPerDevice keeps, of the snapshot folders, the newest of each
// device, recognized as inventory merge recognizes it (assets.Merge: BIOS
// serial, then a physical MAC, then the host name). Folders whose identity
// cannot be read are kept, to be reported by their audit. The order of
// folders is kept.
func NewestPerDevice(ctx context.Context, folders []FleetFolder, workers int) []FleetFolder {
	inputs := make([]assets.Input, len(folders))
	ok := make([]bool, len(folders))
	parallel(len(folders), workers, func(i int) {
		f := folders[i]
		if f.Err != nil {
			return
		}
		// Only the files that say which device it is: the audit opens the
		// chosen folders whole, so each file is parsed once.
		h, err := snapshot.OpenIdentity(f.Path)
		if err != nil {
			return
		}
		rec, err := assets.Collect(ctx, h)
		if err != nil {
			return
		}
		// Only what the merge links and orders by: the rest of the record
		// is not kept for a whole fleet.
		inputs[i] = assets.Input{File: f.Path, Record: assets.Record{
			CollectedAt: rec.CollectedAt, Identity: rec.Identity, Network: rec.Network}}
		ok[i] = true
	})
	var valid []assets.Input
	for i := range inputs {
		if ok[i] {
			valid = append(valid, inputs[i])
		}
	}
	newest := map[string]bool{}
	for _, d := range assets.Merge(valid, assets.MergeOptions{}).Devices {
		newest[d.Sources[len(d.Sources)-1]] = true // sources are oldest first
	}
	var out []FleetFolder
	for i, f := range folders {
		if !ok[i] || newest[f.Path] {
			out = append(out, f)
		}
	}
	return out
}

// parallel runs fn(0..n-1) on workers goroutines; a panic in fn is
// raised again here, once all have stopped.
func parallel(n, workers int, fn func(i int)) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first *WorkerPanic
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				i := i
				if p := catch(func() { fn(i) }); p != nil {
					mu.Lock()
					if first == nil {
						first = p
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if first != nil {
		panic(first)
	}
}

// AuditFleet audits the folders on workers goroutines and hands each
// result to emit in the folders' order, as soon as it and those before it
// are done. At most 2×workers results wait in memory, so a fleet of any
// size runs in bounded memory. An error from emit stops the run.
func (s *Session) AuditFleet(ctx context.Context, folders []FleetFolder, workers int, emit func(FleetDevice) error) error {
	if workers < 1 {
		workers = 1
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make([]chan FleetDevice, len(folders))
	for i := range done {
		done[i] = make(chan FleetDevice, 1)
	}
	window := make(chan struct{}, 2*workers)
	jobs := make(chan int)
	go func() {
		defer close(jobs)
		for i := range folders {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			jobs <- i
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				f := folders[i]
				if f.Err != nil {
					done[i] <- FleetDevice{Folder: f.Path, Err: f.Err}
					continue
				}
				var d FleetDevice
				if p := catch(func() { d = s.AuditFolder(ctx, f.Path) }); p != nil {
					d = FleetDevice{Folder: f.Path, panicked: p}
				}
				done[i] <- d
			}
		}()
	}
	var err error
	for i := range folders {
		d := <-done[i]
		<-window
		if d.panicked != nil {
			panic(d.panicked)
		}
		if err = emit(d); err != nil {
			break
		}
	}
	cancel()
	// Let the workers finish what they hold; their results are dropped.
	go func() {
		for range window {
		}
	}()
	wg.Wait()
	close(window)
	return err
}
