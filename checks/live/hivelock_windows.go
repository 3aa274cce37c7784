//go:build windows

package live

import (
	"errors"
	"fmt"
	"runtime"
	"time"

	"golang.org/x/sys/windows"
)

// hiveLockName is the machine-wide lock over the hives medharden loads
// under HKEY_USERS (HKU\medharden-live-<SID>). A run holds it from its first
// load until it has unloaded them all, so a second run never takes the
// first run's hives for leftovers and unloads them under it.
//
// A named mutex rather than a lock file: Windows releases it when its
// owner dies (the next owner is told it was abandoned), so a killed run
// cannot leave a stale lock behind, while a lock file would outlive it and
// need a guess about whether its writer still runs.
const hiveLockName = `Global\medharden-hives`

// hiveLockWait is how long a run waits for another to release the hives
// before it gives up on loading one.
var hiveLockWait = 15 * time.Second

// errHivesBusy is the answer when another run holds the lock.
var errHivesBusy = errors.New("another medharden run is using the people's hives it loaded (lock " + hiveLockName + ")")

// hiveLock is a held hiveLockName. A Windows mutex belongs to the thread
// that took it, and goroutines move between threads, so one goroutine
// locked to its thread takes it, holds it and releases it.
type hiveLock struct {
	release chan struct{}
	done    chan struct{}
}

// acquireHiveLock takes the lock, waiting at most wait. abandoned says the
// previous holder died holding it: its hives are leftovers.
func acquireHiveLock(wait time.Duration) (l *hiveLock, abandoned bool, err error) {
	type result struct {
		abandoned bool
		err       error
	}
	got := make(chan result, 1)
	l = &hiveLock{release: make(chan struct{}), done: make(chan struct{})}
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		defer close(l.done)
		name, err := windows.UTF16PtrFromString(hiveLockName)
		if err != nil {
			got <- result{err: err}
			return
		}
		m, err := windows.CreateMutex(nil, false, name)
		if m == 0 {
			got <- result{err: winErr("open the lock "+hiveLockName, err)}
			return
		}
		defer windows.CloseHandle(m)
		ev, err := windows.WaitForSingleObject(m, uint32(wait/time.Millisecond))
		switch {
		case err != nil:
			got <- result{err: winErr("wait for the lock "+hiveLockName, err)}
			return
		case ev == uint32(windows.WAIT_TIMEOUT):
			got <- result{err: fmt.Errorf("%w, still after %s", errHivesBusy, wait)}
			return
		case ev != windows.WAIT_OBJECT_0 && ev != windows.WAIT_ABANDONED:
			got <- result{err: fmt.Errorf("wait for the lock %s: unexpected answer %#x", hiveLockName, ev)}
			return
		}
		got <- result{abandoned: ev == windows.WAIT_ABANDONED}
		<-l.release
		_ = windows.ReleaseMutex(m)
	}()
	r := <-got
	if r.err != nil {
		<-l.done
		return nil, false, r.err
	}
	return l, r.abandoned, nil
}

// Release gives the lock up; the hives must be unloaded first.
func (l *hiveLock) Release() {
	close(l.release)
	<-l.done
}
