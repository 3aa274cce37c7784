package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/app/workflow"
)

// readEvidence reads a JSON evidence document and its data member as
// written, for recomputing the hash.
func readEvidence(t *testing.T, path string) (workflow.Evidence, json.RawMessage) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var ev workflow.Evidence
	require.NoError(t, json.Unmarshal(b, &ev))
	var raw struct {
		Data json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal(b, &raw))
	return ev, raw.Data
}

func TestEvidenceCommand(t *testing.T) {
	dir := t.TempDir()
	runs := filepath.Join(dir, "runs")
	tl := filepath.Join("testdata", "legacy-icu.yaml")

	htmlOut := filepath.Join(dir, "icu.html")
	code, out, stderr := runCLI("evidence", "--snapshot", sample(win7Hardened), "--tailoring", tl, "--runs", runs, "--out", htmlOut)
	require.Equal(t, 0, code, "hardened, the rest waived: no finding; %s", stderr)
	assert.Contains(t, out, "Wrote "+htmlOut)
	doc, err := os.ReadFile(htmlOut)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(doc, []byte("<!DOCTYPE html>")))

	jsonOut := filepath.Join(dir, "icu.JSON")
	code, _, stderr = runCLI("evidence", "--snapshot", sample(win7Hardened), "--tailoring", tl, "--runs", runs, "--out", jsonOut)
	require.Equal(t, 0, code, stderr)
	ev, _ := readEvidence(t, jsonOut)
	assert.Equal(t, workflow.EvidenceFormat, ev.Format, "the extension chose JSON")
	assert.Len(t, ev.Data.Capabilities, 19)
	assert.Equal(t, "ICU-CS01-20261118-151500", ev.Data.Device.Snapshot)
	assert.Equal(t, `ICU-CS01\biomedadm`, ev.Data.Device.CollectedBy)
	for _, c := range ev.Data.Capabilities {
		assert.Empty(t, c.Manual, "%s: a waived finding owes no manual step", c.Code)
	}
	require.Len(t, ev.Data.Waivers, 2)
	assert.Equal(t, "legacy-device", ev.Data.Waivers[1].Kind)
	assert.Equal(t, "FW-ICU-07: only HL7 tcp/2575 from 192.0.2.10 to 198.51.100.5", ev.Data.Waivers[1].FirewallRule)

	// The vendor's image has findings: written, exit 1.
	vendor := filepath.Join(dir, "vendor.txt")
	code, _, stderr = runCLI("evidence", "--snapshot", sample(win7Vendor), "--runs", runs, "--out", vendor, "--format", "json")
	assert.Equal(t, 1, code, stderr)
	ev, _ = readEvidence(t, vendor)
	assert.Greater(t, ev.Data.Counts.Fail, 0)
	notMet, manual := 0, map[string]bool{}
	for _, c := range ev.Data.Capabilities {
		if c.Status == workflow.CapNotMet {
			notMet++
		}
		for _, m := range c.Manual {
			assert.NotEmpty(t, m.Step)
			manual[m.Check] = true
		}
	}
	assert.Greater(t, notMet, 0)
	assert.True(t, manual["MH-ACC-4"], "a failing check fixed by hand is a manual step: %v", manual)

	for _, bad := range [][]string{
		{"--snapshot", sample(win7Hardened)},                                       // no --out
		{"--snapshot", sample(win7Hardened), "--out", "x.html", "--format", "pdf"}, // unknown format
		{"--snapshot", filepath.Join(dir, "missing"), "--out", "x.html"},
		{"--snapshot", "live", "--out", "x.html"}, // this computer: Windows only
		{"--snapshot", sample(win7Hardened), "--out", "x.html", "--profile", "winxp"},
		{"--snapshot", sample(win7Hardened), "--out", "x.html", "--tailoring", filepath.Join(dir, "missing.yaml")},
		{"--snapshot", sample(win7Hardened), "--out", "x.html", "--sign", filepath.Join(dir, "missing.pfx")},
		{"--snapshot", sample(win7Hardened), "--out", "x.html", "extra"},
	} {
		target := filepath.Join(dir, "bad", "x.html")
		require.NoError(t, os.MkdirAll(filepath.Dir(target), 0o755))
		args := append([]string{"evidence", "--runs", runs}, bad...)
		for i, a := range args {
			if a == "x.html" {
				args[i] = target
			}
		}
		t.Setenv(signPasswordEnv, "pw")
		code, _, stderr := runCLI(args...)
		assert.Equal(t, 2, code, "%v: %s", bad, stderr)
		_, err := os.Lstat(target)
		assert.ErrorIs(t, err, fs.ErrNotExist, "%v: nothing written", bad)
	}
}

// The history comes from verified backups only: a run whose backup was
// changed after it was written is listed as not verifiable and its
// content never appears as history.
func TestEvidenceHistoryAndTamperedBackup(t *testing.T) {
	dir := t.TempDir()
	runs := filepath.Join(dir, "runs")
	code, out, stderr := runCLI("apply", "--snapshot", sample(win7Vendor), "--runs", runs, "--yes", "--select", "ids:1.1.1,2.3.1.1")
	require.Equal(t, 0, code, stderr)
	id := runLine.FindStringSubmatch(out)[1]

	doc := filepath.Join(dir, "e.json")
	code, _, stderr = runCLI("evidence", "--snapshot", sample(win7Vendor), "--runs", runs, "--out", doc)
	require.Equal(t, 1, code, "the vendor image has findings: %s", stderr)
	ev, _ := readEvidence(t, doc)
	require.Len(t, ev.Data.Runs, 1)
	assert.Equal(t, id, ev.Data.Runs[0].ID)
	assert.True(t, ev.Data.Runs[0].Rehearsal)
	assert.Empty(t, ev.Data.Unverifiable)
	var changes []workflow.ChangeEvidence
	for _, c := range ev.Data.Capabilities {
		changes = append(changes, c.History...)
	}
	require.NotEmpty(t, changes)
	found := false
	for _, c := range changes {
		assert.Equal(t, id, c.Run)
		assert.NotEmpty(t, c.Who)
		assert.NotEmpty(t, c.When)
		if c.Check == "1.1.1" {
			found = true
			assert.Equal(t, "applied and verified", c.Outcome)
			assert.NotEqual(t, c.Before, c.After)
			assert.Contains(t, c.Setting, "PasswordHistorySize")
		}
	}
	assert.True(t, found, "the change of 1.1.1 is in the history: %+v", changes)

	// Change the backup as someone covering their tracks would: the user.
	backup := filepath.Join(workflow.RehearsalsBeside(runs), id, "backup.json")
	b, err := os.ReadFile(backup)
	require.NoError(t, err)
	var orig map[string]interface{}
	require.NoError(t, json.Unmarshal(b, &orig))
	who, _ := orig["user"].(string)
	require.NotEmpty(t, who)
	forged := bytes.Replace(b, []byte(`"user": "`+who+`"`), []byte(`"user": "someone-else"`), 1)
	if bytes.Equal(forged, b) {
		forged = bytes.Replace(b, []byte(`"user":"`+who+`"`), []byte(`"user":"someone-else"`), 1)
	}
	require.NotEqual(t, b, forged)
	require.NoError(t, os.Chmod(backup, 0o600))
	require.NoError(t, os.WriteFile(backup, forged, 0o600))

	htmlDoc := filepath.Join(dir, "e.html")
	for _, f := range []string{doc, htmlDoc} {
		code, _, stderr = runCLI("evidence", "--snapshot", sample(win7Vendor), "--runs", runs, "--out", f)
		require.Equal(t, 1, code, stderr)
	}
	ev, _ = readEvidence(t, doc)
	assert.Empty(t, ev.Data.Runs, "a run that does not verify is no history")
	for _, c := range ev.Data.Capabilities {
		assert.Empty(t, c.History, c.Code)
	}
	require.Len(t, ev.Data.Unverifiable, 1)
	assert.Equal(t, id, ev.Data.Unverifiable[0].ID)
	assert.Contains(t, ev.Data.Unverifiable[0].Problem, "HMAC")
	page, err := os.ReadFile(htmlDoc)
	require.NoError(t, err)
	assert.Contains(t, string(page), "not verifiable: ")
	assert.Contains(t, string(page), "None recorded")
	assert.NotContains(t, string(page), "someone-else", "nothing of the forged backup is shown")
}

// The manifest's hashes are those of the snapshot's files and of the
// canonical JSON of the data member, recomputed here from the files.
func TestEvidenceManifestVerifies(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "e.json")
	code, _, stderr := runCLI("evidence", "--snapshot", sample(win7Hardened), "--tailoring", filepath.Join("testdata", "legacy-icu.yaml"),
		"--runs", filepath.Join(dir, "runs"), "--out", doc)
	require.Equal(t, 0, code, stderr)
	ev, raw := readEvidence(t, doc)

	// Every file of the folder, each once, with its hash and size.
	root := sample(win7Hardened)
	var want []workflow.ManifestFile
	require.NoError(t, filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		sum := sha256.Sum256(b)
		want = append(want, workflow.ManifestFile{Path: filepath.ToSlash(rel), Size: int64(len(b)), SHA256: hex.EncodeToString(sum[:])})
		return nil
	}))
	sort.Slice(want, func(i, j int) bool { return want[i].Path < want[j].Path })
	assert.Equal(t, want, ev.Manifest.Files)
	assert.Greater(t, len(want), 20)

	// The data hash, recomputed from the data as written: keys sorted and
	// no whitespace (Go writes a map's keys sorted).
	var generic interface{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&generic))
	var canon bytes.Buffer
	enc := json.NewEncoder(&canon)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(generic))
	sum := sha256.Sum256(bytes.TrimSuffix(canon.Bytes(), []byte("\n")))
	assert.Equal(t, hex.EncodeToString(sum[:]), ev.Manifest.DataSHA256)
	assert.Equal(t, workflow.DataRule, ev.Manifest.DataRule)
}

// No secret reaches the document: a stored auto-logon password is shown
// as set, never by value, and the certificate's password never appears.
func TestEvidenceSecrets(t *testing.T) {
	const secret = "Sup3r-S3cret-Autologon!"
	dir := t.TempDir()
	snap := filepath.Join(dir, "snap")
	copyTree(t, sample(win7Vendor), snap)
	reg := filepath.Join(snap, "reg", "winlogon.reg")
	b, err := os.ReadFile(reg)
	require.NoError(t, err)
	withSecret := bytes.Replace(b, []byte("<redacted by medharden collector>"), []byte(secret), 1)
	require.NotEqual(t, b, withSecret)
	require.NoError(t, os.WriteFile(reg, withSecret, 0o644))

	for _, name := range []string{"e.html", "e.json"} {
		out := filepath.Join(dir, name)
		code, stdout, stderr := runCLI("evidence", "--snapshot", snap, "--runs", filepath.Join(dir, "runs"), "--out", out)
		require.Equal(t, 1, code, stderr)
		doc, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.NotContains(t, string(doc), secret)
		assert.NotContains(t, stdout+stderr, secret)
		assert.Contains(t, string(doc), "set (value hidden)", "the finding is there, without the value")
	}

	// A wrong certificate password: exit 2, named file, no password shown.
	const pw = "Certificate-Pa55word-XYZ"
	pfx := filepath.Join(dir, "not-a.pfx")
	require.NoError(t, os.WriteFile(pfx, []byte("not a pfx"), 0o600))
	t.Setenv(signPasswordEnv, pw)
	out := filepath.Join(dir, "signed.html")
	code, stdout, stderr := runCLI("evidence", "--snapshot", snap, "--runs", filepath.Join(dir, "runs"), "--out", out, "--sign", pfx)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "not-a.pfx")
	assert.NotContains(t, stdout+stderr, pw)
	_, err = os.Lstat(out)
	assert.ErrorIs(t, err, fs.ErrNotExist)
}

// opensslPFX makes a throwaway self-signed certificate and its PFX the way
// installer/testcert.sh does, with OpenSSL's own (modern) PFX encryption.
func opensslPFX(t *testing.T, dir, password string) (pfx, cert string) {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is not installed")
	}
	key := filepath.Join(dir, "key.pem")
	cert = filepath.Join(dir, "cert.pem")
	pfx = filepath.Join(dir, "sign.pfx")
	for _, args := range [][]string{
		{"req", "-x509", "-newkey", "rsa:2048", "-sha256", "-days", "2", "-nodes", "-subj", "/CN=medharden evidence test/O=medharden",
			"-addext", "keyUsage=critical,digitalSignature", "-keyout", key, "-out", cert},
		{"pkcs12", "-export", "-inkey", key, "-in", cert, "-passout", "pass:" + password, "-out", pfx},
	} {
		b, err := exec.Command("openssl", args...).CombinedOutput()
		require.NoError(t, err, string(b))
	}
	return pfx, cert
}

func TestEvidenceSignatureVerifiesWithOpenSSL(t *testing.T) {
	dir := t.TempDir()
	const pw = "evidence-test-password"
	pfx, cert := opensslPFX(t, dir, pw)
	for _, tc := range []struct {
		name   string
		env    bool
		prompt string
	}{
		{"password from the environment", true, ""},
		{"password asked on the terminal", false, pw},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env {
				t.Setenv(signPasswordEnv, pw)
			} else {
				old, had := os.LookupEnv(signPasswordEnv)
				require.NoError(t, os.Unsetenv(signPasswordEnv))
				t.Cleanup(func() {
					if had {
						os.Setenv(signPasswordEnv, old)
					}
				})
				oldRead := readPassword
				readPassword = func(io.Writer) (string, error) { return tc.prompt, nil }
				t.Cleanup(func() { readPassword = oldRead })
			}
			out := filepath.Join(t.TempDir(), "icu.html")
			code, stdout, stderr := runCLI("evidence", "--snapshot", sample(win7Hardened), "--tailoring", filepath.Join("testdata", "legacy-icu.yaml"),
				"--runs", filepath.Join(dir, "runs"), "--out", out, "--sign", pfx)
			require.Equal(t, 0, code, stderr)
			assert.Contains(t, stdout, "Signed by CN=medharden evidence test")
			sig := out + ".p7s"
			verify := func() error {
				b, err := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", sig, "-content", out,
					"-CAfile", cert, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
				if err != nil {
					return errors.New(string(b))
				}
				return nil
			}
			require.NoError(t, verify())

			// One byte of the document changed: the signature no longer holds.
			doc, err := os.ReadFile(out)
			require.NoError(t, err)
			changed := []byte(strings.Replace(string(doc), "ICU-CS01", "ICU-CS02", 1))
			require.NoError(t, os.WriteFile(out, changed, 0o600))
			assert.Error(t, verify())
		})
	}

	// Without the variable and without a terminal: a clear usage error.
	require.NoError(t, os.Unsetenv(signPasswordEnv))
	code, _, stderr := runCLI("evidence", "--snapshot", sample(win7Hardened), "--out", filepath.Join(dir, "x.html"), "--sign", pfx)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, signPasswordEnv)
}

// The document and its signature refuse a folder, a link, a FIFO and a
// device name like every output: exit 2, the target as it was, nothing
// written beside it.
func TestEvidenceOutputTargetsMustBeRegularFiles(t *testing.T) {
	keys := t.TempDir()
	var pfx string
	if _, err := exec.LookPath("openssl"); err == nil {
		pfx, _ = opensslPFX(t, keys, "pw")
	}
	t.Setenv(signPasswordEnv, "pw")
	for _, sig := range []bool{false, true} {
		if sig && pfx == "" {
			continue
		}
		for _, tg := range outTargets(t) {
			if sig && tg.name == "NUL" {
				continue // the document's own name is the device there
			}
			name := "document/" + tg.name
			if sig {
				name = "signature/" + tg.name
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, tg.name)
				if tg.name == "NUL" {
					path = filepath.Join(dir, "nul.txt")
				}
				doc, target := path, path
				args := []string{"evidence", "--snapshot", sample(win7Hardened), "--runs", filepath.Join(keys, "runs")}
				if sig {
					doc = filepath.Join(dir, "evidence.html")
					target = doc + ".p7s"
					args = append(args, "--sign", pfx)
				}
				if tg.make != nil {
					tg.make(t, target)
				}
				before := listDir(t, dir)
				code, _, stderr := runCLI(append(args, "--out", doc)...)
				assert.Equal(t, exitInput, code, stderr)
				assert.Contains(t, stderr, target)
				tg.check(t, target)
				assert.Equal(t, before, listDir(t, dir), "nothing written, no temporary file left")
			})
		}
	}
}
