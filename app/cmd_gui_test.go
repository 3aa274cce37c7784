//go:build windows || gui

package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGUICommandLine(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"gui", "-h"}, exitOK, "--snapshot"},
		{[]string{"gui", "extra"}, exitInput, `unexpected argument "extra"`},
		{[]string{"gui", "--nope"}, exitInput, "flag provided but not defined"},
		{[]string{"help"}, exitOK, "gui"},
	} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), tc.args, &out, &errOut)
		assert.Equal(t, tc.code, code, tc.args)
		assert.Contains(t, out.String()+errOut.String(), tc.want, tc.args)
	}
}

func TestNoArgumentsPrintUsageOutsideExplorer(t *testing.T) {
	// go test shares its console (or has none), so this is never the
	// double-click case and the usage is printed.
	var out, errOut bytes.Buffer
	assert.Equal(t, exitInput, run(context.Background(), nil, &out, &errOut))
	assert.Contains(t, out.String(), "Usage: medharden")
}
