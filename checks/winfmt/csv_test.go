package winfmt

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCSVWmicOS(t *testing.T) {
	tb, err := ParseCSV("wmic/os.csv", readFixture(t, "wmic_os.csv"))
	require.NoError(t, err)
	assert.Equal(t, "wmic/os.csv", tb.File)
	assert.Equal(t, []string{"Node", "BuildNumber", "Caption", "CSDVersion", "OSArchitecture", "Version"}, tb.Header)
	require.Len(t, tb.Rows, 1)
	r := tb.Rows[0]
	assert.Equal(t, 3, r.Line, "blank first line, header on 2; CR CR LF is one line end")
	assert.Equal(t, "WS-ICU-01", tb.Get(r, "node"))
	assert.Equal(t, "Microsoft Windows 7 Professional ", tb.Get(r, "Caption"), "fields are not trimmed")
	assert.Equal(t, "6.1.7601", tb.Get(r, "VERSION"))
	assert.Equal(t, "", tb.Get(r, "NoSuchColumn"))
	assert.Equal(t, 4, tb.Col("osarchitecture"))
	assert.Equal(t, -1, tb.Col("nope"))
}

func TestParseCSVWmicKeepsQuotes(t *testing.T) {
	tb, err := ParseCSV("wmic/service.csv", readFixture(t, "wmic_service.csv"))
	require.NoError(t, err)
	require.Len(t, tb.Rows, 5)
	paths := map[string]string{}
	for _, r := range tb.Rows {
		paths[tb.Get(r, "Name")] = tb.Get(r, "PathName")
	}
	assert.Equal(t, `"C:\Program Files\Vendor\mon.exe" -service`, paths["VendorMon"])
	assert.Equal(t, `"C:\Program Files\Vendor\agent.exe"`, paths["VendorAgent"])
	assert.Equal(t, `C:\Program Files\Vendor\up date.exe`, paths["Unquoted"])
	assert.Equal(t, "", paths["Empty"])
	assert.Equal(t, 7, tb.Rows[4].Line)
}

func TestParseCSVAuditpol(t *testing.T) {
	for name, data := range map[string][]byte{
		"ansi":    readFixture(t, "auditpol.csv"),
		"utf16":   utf16File(auditpolCSV),
		"utf8bom": utf8BOMFile(auditpolCSV),
	} {
		t.Run(name, func(t *testing.T) {
			tb, err := ParseCSV("auditpol.csv", data)
			require.NoError(t, err)
			require.Len(t, tb.Header, 7)
			require.Len(t, tb.Rows, 4)
			r := tb.Rows[1]
			assert.Equal(t, 3, r.Line)
			assert.Equal(t, "{0CCE9215-69AE-11D9-BED3-505054503030}", tb.Get(r, "Subcategory GUID"))
			assert.Equal(t, "Success", tb.Get(r, "Inclusion Setting"))
			assert.Equal(t, "1", tb.Get(r, "Setting Value"))
			assert.Equal(t, "Option:CrashOnAuditFail", tb.Get(tb.Rows[3], "Subcategory"))
		})
	}
}

func TestParseCSVQuoted(t *testing.T) {
	// A file saved by a spreadsheet: RFC 4180 quoting, "" escapes and a
	// line break inside a field.
	data := []byte("Machine Name,Subcategory,Setting Value\r\n" +
		"\"WS,01\",\"Say \"\"hi\"\"\",1\r\n" +
		"WS-02,\"two\r\nlines\",2\r\n" +
		"WS-03,plain \"inner\" quote,3\r\n")
	tb, err := ParseCSV("q.csv", data)
	require.NoError(t, err)
	require.Len(t, tb.Rows, 3)
	assert.Equal(t, []string{"WS,01", `Say "hi"`, "1"}, tb.Rows[0].Fields)
	assert.Equal(t, []string{"WS-02", "two\nlines", "2"}, tb.Rows[1].Fields)
	assert.Equal(t, 3, tb.Rows[1].Line)
	assert.Equal(t, []string{"WS-03", `plain "inner" quote`, "3"}, tb.Rows[2].Fields)
	assert.Equal(t, 5, tb.Rows[2].Line)
}

func TestParseCSVEmpty(t *testing.T) {
	for name, data := range map[string][]byte{
		"zero bytes":   nil,
		"bom only":     {0xFF, 0xFE},
		"blank lines":  wmicFile("\n\n"),
		"header only":  wmicFile("\nNode,Name\n\n"),
		"header noeol": []byte("Machine Name,Policy Target"),
	} {
		t.Run(name, func(t *testing.T) {
			tb, err := ParseCSV("e.csv", data)
			require.NoError(t, err)
			require.NotNil(t, tb)
			assert.Empty(t, tb.Rows)
		})
	}
}

func TestParseCSVErrors(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		line int
		msg  string
	}{
		{"odd utf16", []byte{0xFF, 0xFE, 'N', 0, 'o'}, 0, "odd number of bytes"},
		// wmic does not quote, so a comma in a value adds a column.
		{"comma in wmic value", wmicFile("\nNode,Name,Description\nWS,a,ok\nWS,b,Provides X, Y and Z\n"), 4, "4 fields but the header has 3"},
		{"short row", []byte("a,b,c\n1,2,3\n\n1,2\n"), 4, "2 fields"},
		{"no header", []byte("WS-ICU-01,System,,0\n"), 1, "no CSV header"},
		{"repeated column", []byte("\nName,name\n"), 2, "no CSV header"},
		{"unterminated quote", []byte("a,b\n1,\"two\nthree\n"), 2, "without closing quote"},
		{"text after quote", []byte("a,b\n1,2\n\"x\"y,2\n"), 3, "after the closing quote"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb, err := ParseCSV("c.csv", tc.data)
			require.Error(t, err)
			assert.Nil(t, tb)
			var pe *ParseError
			require.True(t, errors.As(err, &pe))
			assert.Equal(t, "c.csv", pe.File)
			assert.Equal(t, tc.line, pe.Line, pe.Error())
			assert.Contains(t, pe.Msg, tc.msg)
		})
	}
}
