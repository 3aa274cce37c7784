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
	opBegin    = "begin"    // SHA256 of the backup, number of steps
	opApply    = "apply"    // about to set Step to Value
	opApplied  = "applied"  // Step is set
	opFailed   = "failed"   // Step could not be set (Error)
	opVerified = "verified" // Step reads back as planned
	opNotTaken = "not-taken"
	opResume   = "resume"   // an interrupted apply continues
	opRollback = "rollback" // restoring begins (Detail says why)
	opRestore  = "restore"  // about to put Step back to Value
	opRestored = "restored"
	opEnd      = "end" // closes the journal with State
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
}

// journal appends records, each flushed to disk before the call returns.
type journal struct {
	f    *os.File
	path string
	seq  int
}

func openJournal(path string, seq int) (*journal, error) {
	if err := cutTornTail(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open journal: %w", err)
	}
	return &journal{f: f, path: path, seq: seq}, nil
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
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	b = append(b, '\n')
	if _, err := j.f.Write(b); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	return nil
}

func (j *journal) close() error { return j.f.Close() }

func intp(i int) *int { return &i }

// readJournal reads journal.jsonl. A last line cut short by a crash is
// ignored: its record was never flushed, so the operation it announced was
// never started. Damage anywhere else is an error.
func readJournal(path string) ([]Record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []Record
	lines := bytes.Split(data, []byte("\n"))
	for i, line := range lines {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var r Record
		if err := json.Unmarshal(line, &r); err != nil {
			if i == len(lines)-1 {
				break // torn final write
			}
			return out, fmt.Errorf("journal %s: line %d is damaged: %v", path, i+1, err)
		}
		out = append(out, r)
	}
	return out, nil
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
