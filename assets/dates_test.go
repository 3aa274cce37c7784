package assets

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNormalizeDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"3/14/2017", "2017-03-14"},
		{"10/20/2008", "2008-10-20"},
		{"14/3/2017", "2017-03-14"}, // day first: the only reading that is a date
		{"2017/03/14", "2017-03-14"},
		{"20170314", "2017-03-14"},
		{"2017-03-14", "2017-03-14"},
		{"12.03.2015", "2015-03-12"}, // day first, dotted
		{"1.3.2015", "2015-03-01"},
		{"31.02.2015", ""},
		{"12.03.15", ""},
		{"2015-03-12", "2015-03-12"},
		{"3/12/2015", "2015-03-12"},
		{"20150312", "2015-03-12"},
		{"01d29d72e8849000", "2017-03-15"}, // FILETIME
		{"01D29D72E8849000", "2017-03-15"},
		{"0000000000000001", ""},
		{"2/30/2017", ""},
		{"13/13/2017", ""},
		{"20171340", ""},
		{"", ""},
		{"yesterday", ""},
		{"1/1/1601", ""},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, normalizeDate(tc.in), tc.in)
	}
}

func TestWMITime(t *testing.T) {
	tests := []struct{ in, want string }{
		{"20150312101500.000000+060", "2015-03-12T10:15:00+01:00"},
		{"20261117061233.375199+060", "2026-11-17T06:12:33+01:00"},
		{"20150312101500.000000-300", "2015-03-12T10:15:00-05:00"},
		{"20150312101500.000000+000", "2015-03-12T10:15:00Z"},
		{"20150312101500", "2015-03-12T10:15:00Z"},
		{"2015031210", ""},
		{"****0312101500.000000+060", ""},
		{"", ""},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, wmiTimeRFC3339(tc.in), tc.in)
	}
}

func TestSplitFolderName(t *testing.T) {
	h, ts, ok := splitFolderName("PUMPSRV-XP-20261119-084500")
	assert.True(t, ok)
	assert.Equal(t, "PUMPSRV-XP", h)
	assert.Equal(t, "2026-11-19 08:45:00", ts.Format("2006-01-02 15:04:05"))
	for _, bad := range []string{"snap", "-20261119-084500", "HOST_20261119-084500", "HOST-20261319-084500"} {
		_, _, ok := splitFolderName(bad)
		assert.False(t, ok, bad)
	}
}

func TestNormalizeMACAndSerial(t *testing.T) {
	assert.Equal(t, "00:1B:21:C4:7E:02", normalizeMAC("00-1b-21-c4-7e-02"))
	assert.Equal(t, "00:1B:21:C4:7E:02", normalizeMAC("001b.21c4.7e02"))
	assert.Equal(t, "", normalizeMAC("00:1B:21"))
	assert.Equal(t, "7XQ2B52", normalizeSerial(" 7xq2b52 "))
	for _, junk := range []string{"", "To be filled by O.E.M.", "System Serial Number", "0000000", "Default string", "FFFFFFFF", " "} {
		assert.Equal(t, "", normalizeSerial(junk), junk)
	}
}
