package workflow

import (
	"os"
	"strings"

	"medharden/checks"
)

// The credential probe: live audits try a blank password and the vendors'
// published defaults on the local accounts (checks/credprobe), within the
// lockout budget, after one Application event that says so. It is on
// unless turned off (--no-credential-probe); the window asks before the
// first probe on a device.

// SetCredentialProbe turns the logon tests of live audits on or off.
func (s *Session) SetCredentialProbe(on bool) {
	s.mu.Lock()
	s.noCredProbe = !on
	s.mu.Unlock()
}

// CredentialProbe tells whether live audits try logons.
func (s *Session) CredentialProbe() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return !s.noCredProbe
}

// credentialProbe is the audit's probe: for this computer only, when on,
// and once per opened target (re-audits reuse its findings). Its
// announcement must reach the event log, or no logon is tried.
func (s *Session) credentialProbe(t Target) *checks.CredentialProbe {
	if t.ID.Kind != Live || !s.CredentialProbe() {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.probe == nil || s.probeHost != t.Host {
		s.probeHost = t.Host
		s.probe = &checks.CredentialProbe{
			Who:      s.user(),
			Announce: func(msg string) error { return s.writeEvent(t.ID, msg, false) },
		}
	}
	return s.probe
}

// ProbeDevice is the name under which consent to the credential probe is
// remembered: this computer's name, upper case ("" when unknown).
func ProbeDevice() string {
	h, err := os.Hostname()
	if err != nil {
		return ""
	}
	return strings.ToUpper(h)
}

// AskBeforeProbe tells whether opening dir would make the first credential
// probe on a device: a live target ("" dir), the probe on, and nobody has
// agreed for this device yet (agreed answers from what the front end
// remembers). A device without a name is always asked about.
func (s *Session) AskBeforeProbe(dir string, agreed func(device string) bool) bool {
	if dir != "" || !s.CredentialProbe() {
		return false
	}
	dev := ProbeDevice()
	return dev == "" || agreed == nil || !agreed(dev)
}
