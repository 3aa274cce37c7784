package snapshot

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// maxTasksSize caps schtasks.csv: a few hundred tasks take well under a
// megabyte.
const maxTasksSize = 16 << 20

// groupUserRow splits a Win32_GroupUser row of wmic /format:csv. wmic does
// not quote, and each reference holds a comma
// (`Win32_Group.Domain="HOST",Name="Users"`), so the row is cut where the
// second reference begins; names never hold a quote, which makes the cut
// exact.
var groupUserRow = regexp.MustCompile(`^([^,]*),(.*?Win32_\w+\.Domain="[^"]*",Name="[^"]*"),(.*)$`)

// parseGroupUser reads wmic\groupuser.csv (wmic path Win32_GroupUser get
// GroupComponent,PartComponent /format:csv) into a table with the columns
// Node, GroupComponent and PartComponent.
func parseGroupUser(path string, b []byte) (*winfmt.Table, error) {
	text, err := winfmt.DecodeText(path, b)
	if err != nil {
		return nil, err
	}
	t := &winfmt.Table{File: path}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r \t")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if t.Header == nil {
			if !strings.EqualFold(strings.ReplaceAll(line, " ", ""), "Node,GroupComponent,PartComponent") {
				return nil, &winfmt.ParseError{File: path, Line: i + 1, Msg: "expected the header Node,GroupComponent,PartComponent"}
			}
			t.Header = []string{"Node", "GroupComponent", "PartComponent"}
			continue
		}
		m := groupUserRow.FindStringSubmatch(line)
		if m == nil {
			return nil, &winfmt.ParseError{File: path, Line: i + 1, Msg: "not a group membership: expected NODE,<Win32_Group reference>,<member reference>"}
		}
		for _, ref := range m[2:] {
			if _, _, _, ok := checks.ParseWMIRef(ref); !ok {
				return nil, &winfmt.ParseError{File: path, Line: i + 1, Msg: "not a WMI reference of the form Win32_Class.Domain=\"...\",Name=\"...\""}
			}
		}
		t.Rows = append(t.Rows, winfmt.Row{Line: i + 1, Fields: []string{m[1], m[2], m[3]}})
	}
	return t, nil
}

// Column layouts of `schtasks /query /v /fo csv` by Windows version and
// number of columns: the index of the run-as column. The header is in the
// language of the system; where it is English the columns are found by
// name ("TaskName", "Run As User"), elsewhere only by these layouts, each
// seen in a real export (checks/snapshot/testdata/schtasks-*.csv):
//   - Windows 7: 28 columns, "Run As User" the 15th ("Author", "Logon
//     Mode"; folders repeat the header);
//   - XP: 27 columns, the 19th (an Italian XP: "Esegui come utente"), or,
//     where schtasks has the "Logon Mode" column, 28 columns and the 20th.
//
// A Windows 7 and an XP layout both have 28 columns, so the version
// decides; an unknown version or count is "cannot be told", never a guess.
// The task name is the 2nd column in all of them.
var taskLayouts = map[string]map[int]int{
	"6.1": {28: 14},
	"5.1": {27: 18, 28: 19},
	"5.2": {27: 18, 28: 19},
}

// taskVersion is the major.minor of a Windows version ("6.1.7601" -> "6.1").
func taskVersion(v string) string {
	parts := strings.SplitN(strings.TrimSpace(v), ".", 3)
	if len(parts) < 2 {
		return ""
	}
	return parts[0] + "." + parts[1]
}

// parseTasks reads schtasks.csv of a Windows version (wmic os Version;
// "" when unknown). Windows 7 repeats the header before the tasks of each
// folder; those lines are skipped. A file of one line without a comma is
// schtasks' message that there are no tasks.
func parseTasks(path string, b []byte, version string) ([]checks.ScheduledTask, error) {
	t, err := winfmt.ParseCSV(path, b)
	if err != nil {
		return nil, err
	}
	if len(t.Header) <= 1 && len(t.Rows) == 0 {
		return []checks.ScheduledTask{}, nil
	}
	name, col := t.Col("TaskName"), t.Col("Run As User")
	if col < 0 || name < 0 {
		c, ok := taskLayouts[taskVersion(version)][len(t.Header)]
		if !ok {
			v := version
			if v == "" {
				v = "unknown"
			}
			return nil, &winfmt.ParseError{File: path, Line: 1, Msg: fmt.Sprintf("has %d columns and no \"TaskName\" and \"Run As User\" columns, and no known layout of Windows %s has %d columns (Windows 7 writes 28, XP 27 or 28), so the run-as column cannot be told", len(t.Header), v, len(t.Header))}
		}
		name, col = 1, c
	}
	out := []checks.ScheduledTask{}
	for _, r := range t.Rows {
		if sameFields(r.Fields, t.Header) {
			continue
		}
		out = append(out, checks.ScheduledTask{Name: strings.TrimSpace(r.Fields[name]), RunAs: strings.TrimSpace(r.Fields[col])})
	}
	return out, nil
}

func (h *Host) loadTasks(in source) error {
	b, ok, err := in.read("schtasks.csv", maxTasksSize)
	if err != nil || !ok {
		return err
	}
	info, _ := h.OS(context.Background())
	h.tasks, err = parseTasks(filepath.Join(h.dir, "schtasks.csv"), b, info.Version)
	return err
}

var _ checks.TaskSource = (*Host)(nil)

// ScheduledTasks lists the tasks of schtasks.csv with their run-as
// accounts as schtasks wrote them.
func (h *Host) ScheduledTasks(ctx context.Context) ([]checks.ScheduledTask, error) {
	if h.tasks == nil {
		return nil, fmt.Errorf("%w: the snapshot has no schtasks.csv", checks.ErrNotCollected)
	}
	return append([]checks.ScheduledTask(nil), h.tasks...), nil
}
