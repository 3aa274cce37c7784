package winfmt

import "strconv"

// ParseError names the file and the 1-based line of a problem. Line 0
// means the problem concerns the whole file (empty, bad encoding).
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
	}
	return e.File + ": " + e.Msg
}

func perr(file string, line int, msg string) *ParseError {
	return &ParseError{File: file, Line: line, Msg: msg}
}
