package live

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"medharden/checks/infile"
	"medharden/checks/winfmt"
)

// maxTaskFileSize caps one task definition: Windows' own are a few
// kilobytes.
const maxTaskFileSize = 1 << 20

// taskXML is the part of a Task Scheduler 2.0 definition
// (%SystemRoot%\System32\Tasks\...) that says whom a task runs as: its
// actions run under the principal Actions/@Context names, whose UserId is
// a SID or an account name, or whose GroupId is a group.
type taskXML struct {
	XMLName    xml.Name `xml:"Task"`
	Principals struct {
		Principal []struct {
			ID      string `xml:"id,attr"`
			UserID  string `xml:"UserId"`
			GroupID string `xml:"GroupId"`
		} `xml:"Principal"`
	} `xml:"Principals"`
	Actions *struct {
		Context string `xml:"Context,attr"`
	} `xml:"Actions"`
}

// parseTaskXML returns the account a task definition runs as. The file is
// read strictly: Windows writes it as UTF-16 with a BOM; anything that is
// not one well-formed Task element with one principal for its actions is
// an error naming the file (and line), never a task without an account.
func parseTaskXML(file string, b []byte) (string, error) {
	if len(b) > maxTaskFileSize {
		return "", &winfmt.ParseError{File: file, Msg: fmt.Sprintf("is %d bytes, more than a task definition holds (%d)", len(b), maxTaskFileSize)}
	}
	text, err := winfmt.DecodeText(file, b)
	if err != nil {
		return "", err
	}
	d := xml.NewDecoder(strings.NewReader(text))
	// The text is decoded already; the declaration still says UTF-16.
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-16", "utf-16le", "unicode", "utf-8":
			return r, nil
		}
		return nil, fmt.Errorf("encoding %q is not one Windows writes task definitions in", label)
	}
	var t taskXML
	if err := d.Decode(&t); err != nil {
		return "", xmlErr(file, text, d, err)
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", xmlErr(file, text, d, err)
		}
		switch tk := tok.(type) {
		case xml.Comment, xml.ProcInst:
		case xml.CharData:
			if len(bytes.TrimSpace(tk)) != 0 {
				return "", xmlErr(file, text, d, errors.New("text after the Task element"))
			}
		default:
			return "", xmlErr(file, text, d, errors.New("more after the Task element"))
		}
	}
	ps := t.Principals.Principal
	pick := -1
	switch {
	case t.Actions != nil && t.Actions.Context != "":
		for i, p := range ps {
			if p.ID == t.Actions.Context {
				pick = i
			}
		}
		if pick < 0 {
			return "", &winfmt.ParseError{File: file, Msg: fmt.Sprintf("the actions run as principal %q, which the task does not define", t.Actions.Context)}
		}
	case len(ps) == 1:
		pick = 0
	case len(ps) == 0:
		return "", &winfmt.ParseError{File: file, Msg: "has no Principal: the account the task runs as cannot be told"}
	default:
		return "", &winfmt.ParseError{File: file, Msg: fmt.Sprintf("has %d principals and its actions name none (Actions/@Context)", len(ps))}
	}
	p := ps[pick]
	if u := strings.TrimSpace(p.UserID); u != "" {
		return u, nil
	}
	if g := strings.TrimSpace(p.GroupID); g != "" {
		return g, nil
	}
	return "", &winfmt.ParseError{File: file, Msg: fmt.Sprintf("principal %q has neither UserId nor GroupId: the account the task runs as cannot be told", p.ID)}
}

// xmlErr names the file and, where it can, the line of an XML error.
func xmlErr(file, text string, d *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &winfmt.ParseError{File: file, Line: se.Line, Msg: "not a task definition: " + se.Msg}
	}
	line := infile.LineAt([]byte(text), d.InputOffset())
	return &winfmt.ParseError{File: file, Line: line, Msg: "not a task definition: " + err.Error()}
}
