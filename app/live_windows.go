//go:build windows

package main

import (
	"errors"

	"medharden/app/workflow"
	"medharden/checks"
	"medharden/checks/live"
)

func init() {
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
		return h, nil
	}
}
