//go:build windows

package live

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/sys/windows"

	"medharden/checks"
)

var _ checks.TaskSource = (*Host)(nil)

// ScheduledTasks lists the scheduled tasks with the accounts they run as,
// from the task definitions in %SystemRoot%\System32\Tasks (Windows 7):
// XML the Task Scheduler keeps, the same in every language, unlike
// schtasks' output. A name is resolved to its SID with LookupAccountName;
// one that does not resolve (a deleted or domain account out of reach)
// keeps its name. Windows' own tasks (under \Microsoft\) are listed too:
// they run as system identities or groups, which the guards already leave
// alone, and a vendor may put a task there. One definition that cannot be
// read makes the whole list "not collected", naming the file: a guard must
// not miss a task's account.
//
// XP keeps its tasks as binary .job files in %SystemRoot%\Tasks, which
// this does not read; medharden does not run on XP (its collector and
// schtasks.csv cover it).
func (h *Host) ScheduledTasks(ctx context.Context) ([]checks.ScheduledTask, error) {
	info, err := h.OS(ctx)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(info.Version, "5.") {
		return nil, fmt.Errorf("%w: Windows %s keeps scheduled tasks as .job files, which medharden does not read", checks.ErrNotCollected, info.Version)
	}
	dir, err := tasksDir()
	if err != nil {
		return nil, err
	}
	return readTaskDir(ctx, dir, lookupTaskAccount)
}

// tasksDir is %SystemRoot%\System32\Tasks as this process must name it: a
// 32-bit process on 64-bit Windows reaches the real System32 through
// Sysnative (System32 is redirected to SysWOW64, and Tasks is not exempt).
func tasksDir() (string, error) {
	root, err := windows.GetSystemWindowsDirectory()
	if err != nil {
		return "", winErr("find the Windows folder", err)
	}
	var wow bool
	if err := windows.IsWow64Process(windows.CurrentProcess(), &wow); err == nil && wow {
		return filepath.Join(root, "Sysnative", "Tasks"), nil
	}
	return filepath.Join(root, "System32", "Tasks"), nil
}

// readTaskDir reads every task definition under dir; a task's name is its
// path below dir (\Vendor\Export).
func readTaskDir(ctx context.Context, dir string, lookup func(string) string) ([]checks.ScheduledTask, error) {
	out := []checks.ScheduledTask{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("%w: read the scheduled tasks: %v", checks.ErrNotCollected, err)
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := readCapped(path, maxTaskFileSize)
		if err != nil {
			return fmt.Errorf("%w: read the scheduled task %s: %v", checks.ErrNotCollected, path, err)
		}
		runAs, err := parseTaskXML(path, b)
		if err != nil {
			return fmt.Errorf("%w: %v", checks.ErrNotCollected, err)
		}
		rel, _ := filepath.Rel(dir, path)
		out = append(out, checks.ScheduledTask{Name: `\` + rel, RunAs: runAs, SID: lookup(runAs)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// readCapped reads a file of at most limit bytes; one byte more is read so
// that parseTaskXML reports the size.
func readCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// lookupTaskAccount is the SID of a task's account: a SID as it is, a name
// through LookupAccountName (which knows this system's localized names);
// "" when it does not resolve.
func lookupTaskAccount(name string) string {
	n := strings.TrimSpace(name)
	if strings.HasPrefix(strings.ToUpper(n), "S-1-") {
		return strings.ToUpper(n)
	}
	sid, _, _, err := windows.LookupSID("", n)
	if err != nil {
		return ""
	}
	return sid.String()
}
