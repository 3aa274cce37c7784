package winfmt

import (
	"strconv"
	"strings"
)

// Table is a CSV file with a header line.
type Table struct {
	File   string
	Header []string
	Rows   []Row
}

// Row is one record; Fields has as many items as the header.
type Row struct {
	Line   int
	Fields []string
}

// ParseCSV reads the CSV that wmic /format:csv and auditpol /backup write.
//
// wmic never quotes: a field is written as is, quotes and all (a service's
// PathName "C:\Program Files\x.exe" keeps its quotes, which matters to the
// unquoted-path check). So when the header starts with wmic's "Node"
// column, quotes are plain text. Other files get RFC 4180 quoting. A row
// whose field count differs from the header's is an error: a value holding
// a comma would otherwise shift every later column silently.
//
// Blank lines are skipped (wmic starts its output with one and ends lines
// with CR CR LF). An empty file gives a Table without header or rows.
func ParseCSV(name string, b []byte) (*Table, error) {
	t := &Table{File: name}
	if len(b) == 0 {
		return t, nil
	}
	raw, err := decodeBytes(name, b)
	if err != nil {
		return nil, err
	}
	text := string(normalizeEOL(raw, true))
	r := csvReader{name: name, s: text, quotes: true}
	if first, ok := r.peekLine(); ok {
		f := first
		if i := strings.IndexByte(f, ','); i >= 0 {
			f = f[:i]
		}
		if strings.EqualFold(trimWS(f), "Node") {
			r.quotes = false
		}
	}
	hdr, line, ok, err := r.record()
	if err != nil || !ok {
		return t, err
	}
	seen := make(map[string]bool, len(hdr))
	for _, h := range hdr {
		k := strings.ToLower(trimWS(h))
		if k == "" || seen[k] {
			return nil, perr(name, line, "no CSV header (first line has an empty or repeated column name)")
		}
		seen[k] = true
	}
	t.Header = hdr
	for {
		f, line, ok, err := r.record()
		if err != nil {
			return nil, err
		}
		if !ok {
			return t, nil
		}
		if len(f) != len(hdr) {
			return nil, perr(name, line, "row has "+strconv.Itoa(len(f))+
				" fields but the header has "+strconv.Itoa(len(hdr)))
		}
		t.Rows = append(t.Rows, Row{Line: line, Fields: f})
	}
}

// Col returns the index of a column (case-insensitive), or -1.
func (t *Table) Col(name string) int {
	name = trimWS(name)
	for i, h := range t.Header {
		if strings.EqualFold(trimWS(h), name) {
			return i
		}
	}
	return -1
}

// Get returns a row's field in the named column, "" when there is none.
func (t *Table) Get(r Row, col string) string {
	return Field(r, t.Col(col))
}

// Field returns a row's field i (from Col, looked up once before a loop
// over the rows), "" when there is none.
func Field(r Row, i int) string {
	if i < 0 || i >= len(r.Fields) {
		return ""
	}
	return r.Fields[i]
}

type csvReader struct {
	name   string
	s      string
	pos    int
	line   int // number of the line that starts at pos, minus one
	quotes bool
}

func isBlankLine(s string) bool { return trimWS(s) == "" }

// peekLine returns the first non-blank line without consuming it.
func (r *csvReader) peekLine() (string, bool) {
	p := r.pos
	for p < len(r.s) {
		end := strings.IndexByte(r.s[p:], '\n')
		var l string
		if end < 0 {
			l, p = r.s[p:], len(r.s)
		} else {
			l, p = r.s[p:p+end], p+end+1
		}
		if !isBlankLine(l) {
			return l, true
		}
	}
	return "", false
}

// record reads the next non-blank record and the line it starts on.
func (r *csvReader) record() ([]string, int, bool, error) {
	for r.pos < len(r.s) {
		r.line++
		end := strings.IndexByte(r.s[r.pos:], '\n')
		if end < 0 {
			end = len(r.s) - r.pos
		}
		if !isBlankLine(r.s[r.pos : r.pos+end]) {
			start := r.line
			f, err := r.fields(start)
			return f, start, err == nil, err
		}
		r.pos += end + 1
	}
	return nil, 0, false, nil
}

func (r *csvReader) fields(start int) ([]string, error) {
	var out []string
	for {
		if r.quotes && r.pos < len(r.s) && r.s[r.pos] == '"' {
			var sb strings.Builder
			i := r.pos + 1
			for {
				j := strings.IndexByte(r.s[i:], '"')
				if j < 0 {
					return nil, perr(r.name, start, "quoted field without closing quote")
				}
				chunk := r.s[i : i+j]
				r.line += strings.Count(chunk, "\n")
				sb.WriteString(chunk)
				i += j + 1
				if i < len(r.s) && r.s[i] == '"' {
					sb.WriteByte('"')
					i++
					continue
				}
				break
			}
			out = append(out, sb.String())
			r.pos = i
			if r.pos >= len(r.s) {
				return out, nil
			}
			switch r.s[r.pos] {
			case ',':
				r.pos++
				continue
			case '\n':
				r.pos++
				return out, nil
			}
			return nil, perr(r.name, r.line, "text after the closing quote of a field")
		}
		rest := r.s[r.pos:]
		j := strings.IndexAny(rest, ",\n")
		if j < 0 {
			r.pos = len(r.s)
			return append(out, rest), nil
		}
		out = append(out, rest[:j])
		r.pos += j + 1
		if rest[j] == '\n' {
			return out, nil
		}
	}
}
