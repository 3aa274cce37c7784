package winfmt

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func addFixtureSeeds(f *testing.F) {
	for _, fx := range fixtures() {
		f.Add(readFixture(f, fx.name))
	}
}

func FuzzDecodeText(f *testing.F) {
	addFixtureSeeds(f)
	f.Add([]byte{0xFF, 0xFE, 0x3D, 0xD8})
	f.Add([]byte("a\r\r\nb\rc"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeText("f", b)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is %T, not *ParseError", err)
			}
			return
		}
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8: %q", s)
		}
		if strings.IndexByte(s, '\r') >= 0 {
			t.Fatalf("CR left in %q", s)
		}
		if strings.IndexByte(s, 0) >= 0 || strings.ContainsRune(s, utf8.RuneError) && !utf8.Valid(b) && len(b) > 1 && b[0] == 0xFF && b[1] == 0xFE {
			t.Fatalf("NUL or replaced surrogate accepted: %q", s)
		}
	})
}

func FuzzParseReg(f *testing.F) {
	addFixtureSeeds(f)
	f.Add([]byte("REGEDIT4\n[HKEY_X]\n\"a\"=hex(2):41,00,\\\n  00\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rf, err := ParseReg("f.reg", b)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "f.reg" {
				t.Fatalf("bad error %T %v", err, err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteReg(&buf, rf); err != nil {
			t.Fatalf("WriteReg of parsed file: %v", err)
		}
		again, err := ParseReg("again.reg", buf.Bytes())
		if err != nil {
			t.Fatalf("reparse: %v\n%q", err, buf.Bytes())
		}
		sameKeys(t, rf.Keys, again.Keys)
	})
}

func FuzzParseINF(f *testing.F) {
	addFixtureSeeds(f)
	f.Add([]byte("[A]\nk = v\n[a]\nk2=\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		inf, err := ParseINF("f.inf", b)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "f.inf" {
				t.Fatalf("bad error %T %v", err, err)
			}
			return
		}
		for _, s := range inf.Sections {
			for _, e := range s.Entries {
				_, _ = ParseRegistryValue(e.Key, e.Value)
				_ = SplitRights(e.Value)
			}
			for _, l := range s.Lines {
				if len(l.Fields) == 0 {
					t.Fatalf("[%s] line %d has no field", s.Name, l.Line)
				}
			}
		}
		var buf bytes.Buffer
		if err := WriteINF(&buf, inf); err != nil {
			t.Fatalf("WriteINF of parsed file: %v", err)
		}
		again, err := ParseINF("again.inf", buf.Bytes())
		if err != nil {
			if len(inf.Sections) == 0 {
				return // nothing written: an empty file
			}
			t.Fatalf("reparse: %v", err)
		}
		sameINF(t, inf, again)
	})
}

// FuzzSplitINFFields: fields written back as secedit writes them split
// into the same fields.
func FuzzSplitINFFields(f *testing.F) {
	for _, s := range []string{`"seclogon",4,""`, `a","b,c`, ` "x "" y" ,`, `"open`, `x"y"z`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fields, err := SplitINFFields(s)
		if err != nil {
			return
		}
		if len(fields) == 0 {
			t.Fatalf("no field from %q", s)
		}
		parts := make([]string, len(fields))
		for i, fl := range fields {
			parts[i] = quoteINFField(fl)
		}
		again, err := SplitINFFields(strings.Join(parts, ","))
		if err != nil {
			t.Fatalf("rewritten %q: %v", parts, err)
		}
		if !sameStrings(fields, again) {
			t.Fatalf("%q -> %q -> %q", s, fields, again)
		}
	})
}

func FuzzParseCSV(f *testing.F) {
	addFixtureSeeds(f)
	f.Add([]byte("a,b\n\"x\"\"y\",\"1\n2\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := ParseCSV("f.csv", b)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "f.csv" {
				t.Fatalf("bad error %T %v", err, err)
			}
			return
		}
		last := 0
		for _, r := range tb.Rows {
			if len(r.Fields) != len(tb.Header) {
				t.Fatalf("row %d has %d fields, header %d", r.Line, len(r.Fields), len(tb.Header))
			}
			if r.Line <= last {
				t.Fatalf("line numbers not increasing: %d after %d", r.Line, last)
			}
			last = r.Line
			for _, h := range tb.Header {
				_ = tb.Get(r, h)
			}
		}
	})
}
