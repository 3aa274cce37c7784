package credprobe

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSetAtInstall(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	installed := time.Date(2019, 3, 4, 9, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	sinceInstall := now.Sub(installed)
	cases := []struct {
		name      string
		age       time.Duration
		installed time.Time
		want      bool
	}{
		{"set before install (the image's account)", sinceInstall + 30*day, installed, true},
		{"set at install", sinceInstall, installed, true},
		{"set during setup, an hour after", sinceInstall - time.Hour, installed, true},
		{"set at the end of the margin", sinceInstall - InstallMargin, installed, true},
		{"set just after the margin", sinceInstall - InstallMargin - time.Second, installed, false},
		{"changed last week", 7 * day, installed, false},
		{"changed just now", 0, installed, false},
		{"unknown install date", sinceInstall + 30*day, time.Time{}, false},
		{"negative age", -time.Hour, installed, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, SetAtInstall(c.age, c.installed, now))
		})
	}
}
