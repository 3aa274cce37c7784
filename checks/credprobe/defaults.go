package credprobe

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// Default is one published default credential of a vendor account.
// Password is public (it was published) but is still never shown: String
// and every message name the vendor, product, account and source only.
type Default struct {
	Vendor   string `yaml:"vendor"`
	Product  string `yaml:"product"`
	Account  string `yaml:"account"`
	Password string `yaml:"password"`
	// Source is the public record: CVE ids, ICS-CERT advisory ids
	// (ICSMA-18-037-02) or a vendor document ("GE document 2338955-100"),
	// several joined by " / ".
	Source string `yaml:"source"`
	URL    string `yaml:"url"`
}

// String names the default without its password.
func (d Default) String() string {
	return d.Vendor + " " + d.Product + " account " + d.Account + " (" + d.Source + ")"
}

//go:embed defaults.yaml
var builtin []byte

// DefaultsFile is the name errors give the built-in file.
const DefaultsFile = "checks/credprobe/defaults.yaml"

// Builtin is the vendor defaults shipped with medharden. The file is
// decoded once per process (an audit asks for every account, a fleet for
// every device); each caller gets its own copy of the list.
func Builtin() ([]Default, error) {
	builtinOnce.Do(func() { builtinDefs, builtinErr = LoadDefaults(DefaultsFile, builtin) })
	if builtinErr != nil {
		return nil, builtinErr
	}
	return append([]Default(nil), builtinDefs...), nil
}

var (
	builtinOnce sync.Once
	builtinDefs []Default
	builtinErr  error
)

var sourcePart = regexp.MustCompile(`^(CVE-\d{4}-\d{4,}|ICSM?A-\d{2}-\d{3}-\d{2}[A-Z]?|[A-Z][A-Za-z]* document [A-Za-z0-9._-]+)$`)

// LoadDefaults decodes a defaults file strictly: unknown keys, empty
// fields, a source that is not a public record id and a url that is not
// https are refused with the file and line. No message ever quotes a
// password.
func LoadDefaults(name string, data []byte) ([]Default, error) {
	var nodes []yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&nodes); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %s", name, yamlProblem(err))
	}
	out := make([]Default, 0, len(nodes))
	for i := range nodes {
		n := &nodes[i]
		var d Default
		if err := decodeStrict(n, &d); err != nil {
			return nil, fmt.Errorf("%s:%d: entry %d: %s", name, n.Line, i+1, err)
		}
		if err := d.validate(); err != nil {
			return nil, fmt.Errorf("%s:%d: entry %d: %w", name, n.Line, i+1, err)
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no entries", name)
	}
	return out, nil
}

// decodeStrict decodes one entry, refusing unknown keys, and words the
// errors itself: yaml's messages may quote the value at fault.
func decodeStrict(n *yaml.Node, d *Default) error {
	if n.Kind != yaml.MappingNode {
		return errors.New("not a mapping of vendor, product, account, password, source, url")
	}
	seen := map[string]bool{}
	for j := 0; j+1 < len(n.Content); j += 2 {
		k, v := n.Content[j], n.Content[j+1]
		key := k.Value
		if seen[key] {
			return fmt.Errorf("line %d: %s given twice", k.Line, key)
		}
		seen[key] = true
		if v.Kind != yaml.ScalarNode || (v.Tag != "!!str" && v.Tag != "!!int" && v.Tag != "!!float" && v.Tag != "!!bool") {
			return fmt.Errorf("line %d: %s must be a plain text value", k.Line, key)
		}
		switch key {
		case "vendor":
			d.Vendor = v.Value
		case "product":
			d.Product = v.Value
		case "account":
			d.Account = v.Value
		case "password":
			d.Password = v.Value
		case "source":
			d.Source = v.Value
		case "url":
			d.URL = v.Value
		default:
			return fmt.Errorf("line %d: unknown key %q (known: vendor, product, account, password, source, url)", k.Line, key)
		}
	}
	return nil
}

func (d Default) validate() error {
	for _, f := range []struct{ name, v string }{
		{"vendor", d.Vendor}, {"product", d.Product}, {"account", d.Account},
		{"source", d.Source}, {"url", d.URL},
	} {
		if strings.TrimSpace(f.v) == "" {
			return fmt.Errorf("%s is missing", f.name)
		}
	}
	if d.Password == "" {
		return errors.New("password is missing (blank passwords are the blank test's, not a vendor default)")
	}
	for _, part := range strings.Split(d.Source, " / ") {
		if !sourcePart.MatchString(part) {
			return fmt.Errorf("source %q is not a CVE id, an ICS-CERT advisory id or a vendor document", d.Source)
		}
	}
	if !strings.HasPrefix(d.URL, "https://") || strings.ContainsAny(d.URL, " \t\r\n") {
		return fmt.Errorf("url %q must be an https address", d.URL)
	}
	if strings.ContainsAny(d.Account, `"/\[]:;|=,+*?<>@`) || len([]rune(d.Account)) > 20 {
		return fmt.Errorf("account %q is not a Windows account name", d.Account)
	}
	return nil
}

// yamlProblem keeps the line of a yaml syntax error and drops the rest,
// which may quote the text at fault (a password).
func yamlProblem(err error) string {
	msg := err.Error()
	if m := regexp.MustCompile(`line (\d+)`).FindStringSubmatch(msg); m != nil {
		return "line " + m[1] + ": not valid YAML"
	}
	return "not valid YAML (a list of entries)"
}

// For returns the defaults whose account is name (Windows account names
// are case-insensitive).
func For(defs []Default, name string) []Default {
	var out []Default
	for _, d := range defs {
		if strings.EqualFold(d.Account, name) {
			out = append(out, d)
		}
	}
	return out
}
