package winfmt

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
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
	// Repeats found through the reused id buffer: case, root spelling,
	// non-ASCII names, deletes in between.
	f.Add([]byte("REGEDIT4\n[HKEY_LOCAL_MACHINE\\X]\n\"\xc4\"=dword:1\n[hklm\\x\\]\n\"\xe4\"=dword:2\n"))
	f.Add([]byte("REGEDIT4\n[MACHINE\\X\\Y]\n@=\"1\"\n[-HKLM\\X]\n[HKLM\\X\\Y]\n@=\"2\"\n@=\"2\"\n\"\"=-\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rf, err := ParseReg("f.reg", b)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "f.reg" {
				t.Fatalf("bad error %T %v", err, err)
			}
			return
		}
		for i, k := range rf.Keys {
			if got, want := rf.NormalizedKey(i), NormalizeKey(k.Path); got != want {
				t.Fatalf("key %d: NormalizedKey %q, NormalizeKey %q", i, got, want)
			}
			for j, v := range k.Values {
				if got, want := rf.UpperName(i, j), strings.ToUpper(v.Name); got != want {
					t.Fatalf("key %d value %d: UpperName %q, ToUpper %q", i, j, got, want)
				}
			}
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

// FuzzParsePol: whatever ParsePol accepts, WritePol writes back byte for
// byte (the format has one encoding of each record).
func FuzzParsePol(f *testing.F) {
	f.Add(polBytes(polRec("K", "V", 4, []byte{1, 0, 0, 0})))
	f.Add(polBytes(polRec(`Software\P`, "**del.x", 1, w16(" \x00")), polRec("K", "", 7, w16("a\x00\x00"))))
	f.Add(polBytes(polRec("K", "Q", 11, make([]byte, 8)), polRec("K", "B", 3, []byte{']', 0})))
	f.Add(append(polBytes(), w16("[K")...))
	for _, p := range [][]string{
		{"scm-server2008r2-member", "machine_registry.pol"},
		{"scm-server2008r2-member", "user_registry.pol"},
	} {
		if b, err := os.ReadFile(filepath.Join(append([]string{"..", "..", "..", "shared", "corpus", "gpo"}, p...)...)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		pf, err := ParsePol("f.pol", b)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "f.pol" || !strings.Contains(pe.Msg, "offset") && len(b) >= 8 && string(b[:4]) == "PReg" {
				t.Fatalf("bad error %T %v", err, err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WritePol(&buf, pf); err != nil {
			t.Fatalf("WritePol of parsed file: %v", err)
		}
		if !bytes.Equal(buf.Bytes(), b) {
			t.Fatalf("written back differently:\n%x\n%x", b, buf.Bytes())
		}
		for _, r := range pf.Records {
			_, _ = r.Directive()
		}
	})
}

// FuzzParseLGPO: whatever ParseLGPO accepts, WriteLGPO writes and
// ParseLGPO reads back as the same entries.
func FuzzParseLGPO(f *testing.F) {
	f.Add([]byte("; c\r\nComputer\r\nK\r\nV\r\nDWORD:1\r\n\r\nUSER\r\nK\\S\r\n*\r\nDELETEALLVALUES\r\n"))
	f.Add([]byte("User:bob\nK\n\nMULTISZ:a\\0b\nComputer\nK\nOld\nDELETE\nComputer\nK\nq\nQWORD:7\n"))
	f.Add([]byte("Computer\nK\nV\nEXSZ: %x% \n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, err := ParseLGPO("f.txt", b)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "f.txt" {
				t.Fatalf("bad error %T %v", err, err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteLGPO(&buf, entries); err != nil {
			t.Fatalf("WriteLGPO of parsed entries: %v", err)
		}
		again, err := ParseLGPO("again.txt", buf.Bytes())
		if err != nil {
			t.Fatalf("reparse: %v\n%q", err, buf.Bytes())
		}
		sameLGPO(t, entries, again)
	})
}
