package remediate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// Journal operations. Every change is announced (opApply, opRestore) and
// flushed to disk before it is made, and confirmed after, so that after a
// crash the journal tells which settings may have changed.
const (
	opBegin      = "begin"    // SHA256 of the backup, number of steps
	opApply      = "apply"    // about to set Step to Value
	opApplied    = "applied"  // Step is set
	opFailed     = "failed"   // Step could not be set (Error)
	opVerified   = "verified" // Step reads back as planned
	opNotTaken   = "not-taken"
	opResume     = "resume"   // an interrupted apply continues
	opRollback   = "rollback" // restoring begins (Detail says why)
	opRestore    = "restore"  // about to put Step back to Value
	opRestored   = "restored"
	opKeyRemoved = "key-removed" // an empty key the run created is gone (Detail)
	opEnd        = "end"         // closes the journal with State
)

// Record is one line of journal.jsonl.
type Record struct {
	Seq     int      `json:"seq"`
	Time    string   `json:"time"`
	Op      string   `json:"op"`
	Step    *int     `json:"step,omitempty"`
	Check   string   `json:"check,omitempty"`
	Setting *Address `json:"setting,omitempty"`
	Value   *State   `json:"value,omitempty"`
	Error   string   `json:"error,omitempty"`
	Detail  string   `json:"detail,omitempty"`
	State   RunState `json:"state,omitempty"`
	SHA256  string   `json:"backup_sha256,omitempty"`
	Steps   int      `json:"steps,omitempty"`
	// MAC chains the records: the HMAC of the previous record's MAC (the
	// run's id for the first) and this record without it. It is always
	// the line's last field.
	MAC string `json:"mac,omitempty"`
}

// macTail is what follows a record's other fields: `,"mac":"<64 hex>"}`.
const macTail = len(`,"mac":""}`) + 64

// journal appends records, each flushed to disk before the call returns.
type journal struct {
	f    *os.File
	path string
	seq  int
	key  []byte
	prev string // MAC of the last record
}

// openJournal opens a journal for appending after the record numbered seq
// whose MAC is prev (the run's id for a new journal).
func openJournal(path string, key []byte, seq int, prev string) (*journal, error) {
	if err := cutTornTail(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open journal: %w", err)
	}
	return &journal{f: f, path: path, seq: seq, key: key, prev: prev}, nil
}

// cutTornTail removes a last line that a crash cut short, so that the next
// record starts on a line of its own.
func cutTornTail(path string) error {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open journal: %w", err)
	}
	if len(data) == 0 || data[len(data)-1] == '\n' {
		return nil
	}
	keep := bytes.LastIndexByte(data, '\n') + 1
	if err := os.Truncate(path, int64(keep)); err != nil {
		return fmt.Errorf("repair journal %s: %w", path, err)
	}
	return nil
}

func (j *journal) add(r Record) error {
	j.seq++
	r.Seq = j.seq
	r.Time = now().UTC().Format(time.RFC3339Nano)
	r.MAC = ""
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	m := mac(j.key, []byte(j.prev), b)
	b = append(b[:len(b)-1], `,"mac":"`+m+`"}`+"\n"...)
	if _, err := j.f.Write(b); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	j.prev = m
	return nil
}

func (j *journal) close() error { return j.f.Close() }

func intp(i int) *int { return &i }

// readJournal reads journal.jsonl and checks its chain from seed (the
// run's id); it returns the records and the last record's MAC. A last line
// without its newline is a write that a crash cut short: the operation it
// announced was never started, and the next append removes it. Any other
// line that does not verify was changed, added, removed or reordered.
func readJournal(path string, key []byte, seed string) ([]Record, string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	var out []Record
	prev := seed
	lines := bytes.Split(data, []byte("\n"))
	for i, line := range lines {
		if i == len(lines)-1 {
			break // empty, or torn by a crash
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		r, m, err := verifyRecord(key, prev, line)
		if err == nil && r.Seq != len(out)+1 {
			err = fmt.Errorf("is record %d, expected %d", r.Seq, len(out)+1)
		}
		if err != nil {
			return out, prev, fmt.Errorf("%w: journal %s line %d %v: a line was changed, added, removed or reordered (or the disk is damaged); "+
				"nothing was changed, and the journal cannot say which settings the run touched. "+
				"'medharden rollback %s --force' restores every setting of the backup", ErrTampered, path, i+1, err, seed)
		}
		out = append(out, r)
		prev = m
	}
	return out, prev, nil
}

// verifyRecord checks one line against the previous record's MAC.
func verifyRecord(key []byte, prev string, line []byte) (Record, string, error) {
	var r Record
	n := len(line)
	if n <= macTail || !bytes.HasPrefix(line[n-macTail:], []byte(`,"mac":"`)) || !bytes.HasSuffix(line, []byte(`"}`)) {
		return r, "", fmt.Errorf("has no HMAC")
	}
	m := string(line[n-66 : n-2])
	body := append(append([]byte(nil), line[:n-macTail]...), '}')
	if !sameMAC(m, mac(key, []byte(prev), body)) {
		return r, "", fmt.Errorf("does not match its HMAC")
	}
	if err := json.Unmarshal(line, &r); err != nil {
		return r, "", fmt.Errorf("is not a journal record: %v", err)
	}
	return r, m, nil
}

// journalState summarizes a journal: closed with a state, or interrupted.
func journalState(recs []Record, err error) RunState {
	if err != nil && len(recs) == 0 {
		if os.IsNotExist(err) {
			return StateNotStarted
		}
		return StateDamaged
	}
	if err != nil {
		return StateDamaged
	}
	if len(recs) == 0 {
		return StateNotStarted
	}
	last := recs[len(recs)-1]
	if last.Op == opEnd {
		return last.State
	}
	return StateInterrupted
}

// journalSummary tells what a journal says about each step.
type journalSummary struct {
	started   map[int]bool // an apply was announced (it may have happened)
	applied   map[int]bool
	rollingBk bool // the last phase is a rollback
}

func summarize(recs []Record) journalSummary {
	s := journalSummary{started: map[int]bool{}, applied: map[int]bool{}}
	for _, r := range recs {
		switch r.Op {
		case opApply:
			if r.Step != nil {
				s.started[*r.Step] = true
			}
		case opApplied:
			if r.Step != nil {
				s.applied[*r.Step] = true
			}
		case opRollback:
			s.rollingBk = true
		case opResume:
			s.rollingBk = false
		}
	}
	return s
}
