//go:build windows

package main

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"medharden/app/workflow"
	"medharden/checks"
	"medharden/checks/live"
)

// opened are the live hosts to close when the command ends.
var (
	openedMu sync.Mutex
	opened   []*live.Host
)

func init() {
	closeLive = func(stderr io.Writer) {
		openedMu.Lock()
		defer openedMu.Unlock()
		for _, h := range opened {
			if err := h.Close(); err != nil {
				fmt.Fprintln(stderr, "medharden:", err)
			}
		}
		opened = nil
	}
	workflow.OpenLive = func() (checks.Host, error) {
		h, err := live.New()
		if errors.Is(err, live.ErrNotElevated) {
			// No partial audit without rights: a non-admin read would turn
			// unreadable settings into errors and hide the real state.
			return nil, workflow.Inputf("medharden must run as administrator to audit this computer (right-click > Run as administrator); to audit without rights, run the collector and use --snapshot")
		}
		if err != nil {
			return nil, err
		}
		openedMu.Lock()
		opened = append(opened, h)
		openedMu.Unlock()
		return h, nil
	}
}
