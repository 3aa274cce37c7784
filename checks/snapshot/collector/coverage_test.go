package collector

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

// TestCatalogKeysAreCollected proves that every registry key a check reads
// lies under a key the collector exports, so no check can end in `error`
// on a complete snapshot merely because the collector forgot it.
func TestCatalogKeysAreCollected(t *testing.T) {
	cat, err := checks.Builtin()
	require.NoError(t, err)
	covered := func(key string) bool {
		k := strings.ToUpper(key)
		for _, root := range expectedReg {
			r := strings.ToUpper(root)
			if k == r || strings.HasPrefix(k, r+`\`) {
				return true
			}
		}
		return false
	}
	for _, ch := range cat.Checks {
		if r := ch.Probe.Registry; r != nil {
			for _, key := range append([]string{r.Key}, r.Fallback...) {
				assert.True(t, covered(key), "check %s reads %s, which no reg export covers", ch.ID, key)
			}
		}
	}
}
