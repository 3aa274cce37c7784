//go:build windows

package live

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/windows"
)

// The hand-declared structures must have the C sizes on both 386 and amd64;
// a wrong size would read garbage from the API's buffer.
func TestStructLayout(t *testing.T) {
	ptr := unsafe.Sizeof(uintptr(0))
	assert.Equal(t, uintptr(20), unsafe.Sizeof(userModals0{}))
	assert.Equal(t, uintptr(12), unsafe.Sizeof(userModals3{}))
	assert.Equal(t, uintptr(36), unsafe.Sizeof(auditPolicyInformation{}))
	assert.Equal(t, 3*ptr+8, unsafe.Sizeof(userInfo20{}))
	// USER_INFO_3: 13 pointers and 16 DWORDs, padded to pointer alignment.
	if ptr == 8 {
		assert.Equal(t, uintptr(184), unsafe.Sizeof(userInfo3{}))
		assert.Equal(t, uintptr(128), unsafe.Offsetof(userInfo3{}.BadPwCount))
	} else {
		assert.Equal(t, uintptr(116), unsafe.Sizeof(userInfo3{}))
		assert.Equal(t, uintptr(76), unsafe.Offsetof(userInfo3{}.BadPwCount))
	}
	if ptr == 8 {
		assert.Equal(t, uintptr(48), unsafe.Sizeof(lsaObjectAttributes{}))
	} else {
		assert.Equal(t, uintptr(24), unsafe.Sizeof(lsaObjectAttributes{}))
	}
}

// parseGUID, tested on every system, agrees with x/sys's Windows parser.
func TestParseGUIDMatchesWindows(t *testing.T) {
	for _, s := range []string{"{0cce923f-69ae-11d9-bed3-505054503030}", "{0CCE9215-69AE-11D9-BED3-505054503030}"} {
		want, err := windows.GUIDFromString(s)
		require.NoError(t, err)
		got, err := parseGUID(s)
		require.NoError(t, err)
		assert.Equal(t, want, windows.GUID(got))
	}
}
