//go:build windows

package main

import (
	"medharden/app/session"
	"medharden/checks"
)

func init() {
	session.OpenLive = func() (checks.Host, error) {
		return nil, session.ErrUsage{Msg: "the live Windows host is not built into this version yet; run the collector ('medharden collector --write DIR') and audit its folder with --snapshot"}
	}
}
