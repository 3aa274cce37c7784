//go:build !windows

package live

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"medharden/checks"
)

func TestNewNeedsWindows(t *testing.T) {
	h, err := New()
	assert.Nil(t, h)
	assert.True(t, errors.Is(err, checks.ErrNotSupported))
	assert.False(t, IsElevated())
}
