package winfmt

import (
	"bytes"
	"fmt"
	"testing"

	"medharden/checks"
)

// bigExport builds a UTF-16LE export of about size bytes, shaped like a
// `reg export HKLM\SYSTEM\CurrentControlSet\Services` file.
func bigExport(tb testing.TB, size int) []byte {
	f := &RegFile{Version: 5}
	for i := 0; ; i++ {
		k := RegKey{Path: fmt.Sprintf(`HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\Svc%04d`, i)}
		k.Values = []RegEntry{
			{Name: "Type", Value: checks.DWORDValue(0x10)},
			{Name: "Start", Value: checks.DWORDValue(uint32(i % 5))},
			{Name: "ErrorControl", Value: checks.DWORDValue(1)},
			{Name: "ImagePath", Value: checks.StringValue(checks.RegExpandSZ, fmt.Sprintf(`%%SystemRoot%%\System32\svchost.exe -k netsvcs%d`, i))},
			{Name: "DisplayName", Value: checks.StringValue(checks.RegSZ, fmt.Sprintf(`@%%SystemRoot%%\system32\svc%d.dll,-100`, i))},
			{Name: "ObjectName", Value: checks.StringValue(checks.RegSZ, "LocalSystem")},
			{Name: "DependOnService", Value: checks.MultiStringValue([]string{"RpcSs", "Tcpip"})},
			{Name: "FailureActions", Value: checks.RegValue{Type: checks.RegBinary, Data: bytes.Repeat([]byte{0x80, 0x51, 0x01, 0x00}, 6)}},
		}
		f.Keys = append(f.Keys, k)
		if i%16 == 0 {
			var buf bytes.Buffer
			if err := WriteReg(&buf, f); err != nil {
				tb.Fatal(err)
			}
			if buf.Len() >= size {
				return buf.Bytes()
			}
		}
	}
}

func BenchmarkParseReg(b *testing.B) {
	data := bigExport(b, 500<<10)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ParseReg("services.reg", data); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBigExportRoundTrip(t *testing.T) {
	data := bigExport(t, 100<<10)
	f, err := ParseReg("services.reg", data)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteReg(&buf, f); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, buf.Bytes()) {
		t.Fatal("WriteReg(ParseReg(x)) != x")
	}
}
