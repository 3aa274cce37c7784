// Package csaf reads CSAF 2.0 security advisories (OASIS Common Security
// Advisory Framework) and decides which versions of a product they name.
// The reader is strict about what it reads: types, required fields and
// product ids must be right, or the error names the file and JSON path.
// Fields the standard defines but medharden does not use are ignored.
package csaf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"medharden/checks/infile"
)

// MaxSize is the largest advisory read; real ones are under 200 KiB.
const MaxSize = 16 << 20

// maxDepth bounds the nesting of product_tree branches.
const maxDepth = 30

// Status categories of product_status, in the order reports list them.
var Statuses = []string{"known_affected", "first_affected", "last_affected", "under_investigation", "fixed", "first_fixed", "known_not_affected", "recommended"}

// Advisory is what medharden uses of one CSAF document.
type Advisory struct {
	File      string
	ID        string // document.tracking.id
	Title     string
	Publisher string
	Released  string // document.tracking.current_release_date
	Products  map[string]Product
	Vulns     []Vulnerability
}

// Product is one product id of the product_tree with the branch path that
// names it.
type Product struct {
	ID      string
	Name    string // full product name
	Vendor  string
	Product string // product_name branch
	Version string // product_version branch
	Range   string // product_version_range branch
	CPE     string
	PURL    string
	Models  []string
	SKUs    []string
	// On is the product a relationship installs this one on (or makes it
	// part of): a program "installed_on" Windows 7 is only that product on
	// a device running Windows 7.
	On string
}

// Vulnerability is one entry of vulnerabilities.
type Vulnerability struct {
	CVE          string
	Title        string
	Status       map[string][]string // category -> product ids
	Remediations []Remediation
	Scores       []Score
}

// Remediation is what the advisory tells to do for some products.
type Remediation struct {
	Category   string   `json:"category"`
	Details    string   `json:"details"`
	URL        string   `json:"url,omitempty"`
	ProductIDs []string `json:"product_ids,omitempty"`
	KBs        []string `json:"-"` // Windows updates a vendor_fix names ("KB4499175")
}

// Score is a CVSS v3 base score for some products.
type Score struct {
	BaseScore  float64
	Vector     string
	ProductIDs []string
}

// ParseError is a malformed advisory: file and JSON path named.
type ParseError struct {
	File string
	Path string
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Msg
	}
	return e.File + ": " + e.Path + ": " + e.Msg
}

// ReadFile reads and parses one advisory, refusing files over MaxSize.
func ReadFile(path string) (*Advisory, error) {
	b, err := infile.Read(path, MaxSize)
	if errors.Is(err, infile.ErrNotRegular) {
		return nil, &ParseError{File: path, Msg: "not a regular file"}
	}
	if err != nil {
		return nil, err
	}
	return Parse(path, b)
}

// Raw shapes of the standard's JSON, only the parts read.
type rawDoc struct {
	Document struct {
		CSAFVersion string `json:"csaf_version"`
		Title       string `json:"title"`
		Publisher   struct {
			Name string `json:"name"`
		} `json:"publisher"`
		Tracking struct {
			ID                 string `json:"id"`
			CurrentReleaseDate string `json:"current_release_date"`
		} `json:"tracking"`
	} `json:"document"`
	ProductTree *struct {
		Branches         []rawBranch   `json:"branches"`
		FullProductNames []rawFullName `json:"full_product_names"`
		Relationships    []rawRelation `json:"relationships"`
	} `json:"product_tree"`
	Vulnerabilities []rawVuln `json:"vulnerabilities"`
}

type rawBranch struct {
	Category string       `json:"category"`
	Name     string       `json:"name"`
	Branches []rawBranch  `json:"branches"`
	Product  *rawFullName `json:"product"`
}

type rawFullName struct {
	Name   string `json:"name"`
	ID     string `json:"product_id"`
	Helper *struct {
		CPE          string   `json:"cpe"`
		PURL         string   `json:"purl"`
		ModelNumbers []string `json:"model_numbers"`
		SKUs         []string `json:"skus"`
	} `json:"product_identification_helper"`
}

type rawRelation struct {
	Category     string      `json:"category"`
	FullName     rawFullName `json:"full_product_name"`
	ProductRef   string      `json:"product_reference"`
	RelatesToRef string      `json:"relates_to_product_reference"`
}

type rawVuln struct {
	CVE           string              `json:"cve"`
	Title         string              `json:"title"`
	ProductStatus map[string][]string `json:"product_status"`
	Remediations  []struct {
		Category   string   `json:"category"`
		Details    string   `json:"details"`
		URL        string   `json:"url"`
		ProductIDs []string `json:"product_ids"`
	} `json:"remediations"`
	Scores []struct {
		CVSSv3 *struct {
			BaseScore    *float64 `json:"baseScore"`
			VectorString string   `json:"vectorString"`
		} `json:"cvss_v3"`
		Products []string `json:"products"`
	} `json:"scores"`
}

// Parse decodes one advisory from b; name is used in errors.
func Parse(name string, b []byte) (*Advisory, error) {
	if len(b) > MaxSize {
		return nil, &ParseError{File: name, Msg: fmt.Sprintf("larger than %d MiB", MaxSize>>20)}
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	var raw rawDoc
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&raw); err != nil {
		return nil, decodeError(name, b, err)
	}
	if dec.More() {
		return nil, &ParseError{File: name, Msg: "data after the JSON document"}
	}
	p := parser{file: name, adv: &Advisory{File: name, Products: map[string]Product{}}}
	p.document(&raw)
	p.productTree(&raw)
	p.vulnerabilities(raw.Vulnerabilities)
	if p.err != nil {
		return nil, p.err
	}
	return p.adv, nil
}

func decodeError(name string, b []byte, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &ParseError{File: name, Path: te.Field, Msg: fmt.Sprintf("expected %s, found JSON %s", te.Type, te.Value)}
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := infile.LineAt(b, se.Offset)
		return &ParseError{File: name, Msg: fmt.Sprintf("line %d: %v", line, err)}
	}
	return &ParseError{File: name, Msg: err.Error()}
}

type parser struct {
	file string
	adv  *Advisory
	err  error
}

// fail keeps the first error: later ones often follow from it.
func (p *parser) fail(path, format string, a ...interface{}) {
	if p.err == nil {
		p.err = &ParseError{File: p.file, Path: path, Msg: fmt.Sprintf(format, a...)}
	}
}

func (p *parser) required(path, v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		p.fail(path, "required and missing or empty")
	}
	return v
}

func (p *parser) document(raw *rawDoc) {
	d := raw.Document
	if d.CSAFVersion != "2.0" {
		p.fail("document.csaf_version", "must be \"2.0\", found %q", d.CSAFVersion)
	}
	p.adv.ID = p.required("document.tracking.id", d.Tracking.ID)
	p.adv.Title = p.required("document.title", d.Title)
	p.adv.Publisher = p.required("document.publisher.name", d.Publisher.Name)
	p.adv.Released = p.required("document.tracking.current_release_date", d.Tracking.CurrentReleaseDate)
}

func (p *parser) productTree(raw *rawDoc) {
	pt := raw.ProductTree
	if pt == nil {
		return
	}
	for i, b := range pt.Branches {
		p.branch(fmt.Sprintf("product_tree.branches[%d]", i), b, Product{}, 1)
	}
	for i, fn := range pt.FullProductNames {
		p.define(fmt.Sprintf("product_tree.full_product_names[%d]", i), fn, Product{Product: fn.Name})
	}
	// Relationships name a product installed on or part of another; the
	// combination is matched by the first product's vendor, name and version.
	for i, r := range pt.Relationships {
		path := fmt.Sprintf("product_tree.relationships[%d]", i)
		p.required(path+".category", r.Category)
		ref, ok := p.adv.Products[r.ProductRef]
		if !ok {
			p.fail(path+".product_reference", "product id %q is not defined in product_tree", r.ProductRef)
			continue
		}
		if _, ok := p.adv.Products[r.RelatesToRef]; !ok {
			p.fail(path+".relates_to_product_reference", "product id %q is not defined in product_tree", r.RelatesToRef)
			continue
		}
		ref.CPE, ref.PURL, ref.Models, ref.SKUs, ref.On = "", "", nil, nil, r.RelatesToRef
		p.define(path+".full_product_name", r.FullName, ref)
	}
}

func (p *parser) branch(path string, b rawBranch, at Product, depth int) {
	if depth > maxDepth {
		p.fail(path, "branches nested deeper than %d", maxDepth)
		return
	}
	name := p.required(path+".name", b.Name)
	if b.Category != "" && !oneOf(branchCategories, b.Category) {
		p.fail(path+".category", "unknown branch category %q", b.Category)
	}
	switch p.required(path+".category", b.Category) {
	case "vendor":
		at.Vendor = name
	case "product_name", "product_family":
		if at.Product == "" || b.Category == "product_name" {
			at.Product = name
		}
	case "product_version":
		at.Version = name
	case "product_version_range":
		at.Range = name
	}
	if b.Product != nil {
		p.define(path+".product", *b.Product, at)
	}
	for i, c := range b.Branches {
		p.branch(fmt.Sprintf("%s.branches[%d]", path, i), c, at, depth+1)
	}
}

func (p *parser) define(path string, fn rawFullName, at Product) {
	id := p.required(path+".product_id", fn.ID)
	at.Name = p.required(path+".name", fn.Name)
	if id == "" {
		return
	}
	if _, dup := p.adv.Products[id]; dup {
		p.fail(path+".product_id", "product id %q is defined twice", id)
		return
	}
	at.ID = id
	if h := fn.Helper; h != nil {
		at.CPE, at.PURL, at.Models, at.SKUs = h.CPE, h.PURL, h.ModelNumbers, h.SKUs
	}
	p.adv.Products[id] = at
}

func (p *parser) refs(path string, ids []string) []string {
	for i, id := range ids {
		if _, ok := p.adv.Products[id]; !ok {
			p.fail(fmt.Sprintf("%s[%d]", path, i), "product id %q is not defined in product_tree", id)
		}
	}
	return ids
}

// Categories CSAF 2.0 defines for branches and remediations.
var (
	branchCategories = []string{"architecture", "host_name", "language", "legacy", "patch_level", "product_family",
		"product_name", "product_version", "product_version_range", "service_pack", "specification", "vendor"}
	remediationCategories = []string{"mitigation", "no_fix_planned", "none_available", "vendor_fix", "workaround"}
)

func oneOf(list []string, s string) bool {
	for _, k := range list {
		if k == s {
			return true
		}
	}
	return false
}

func (p *parser) vulnerabilities(raws []rawVuln) {
	for i, rv := range raws {
		path := fmt.Sprintf("vulnerabilities[%d]", i)
		v := Vulnerability{CVE: strings.TrimSpace(rv.CVE), Title: rv.Title, Status: map[string][]string{}}
		for cat, ids := range rv.ProductStatus {
			if !oneOf(Statuses, cat) {
				p.fail(path+".product_status."+cat, "unknown product status category")
				continue
			}
			v.Status[cat] = p.refs(path+".product_status."+cat, ids)
		}
		for j, r := range rv.Remediations {
			rp := fmt.Sprintf("%s.remediations[%d]", path, j)
			if r.Category != "" && !oneOf(remediationCategories, r.Category) {
				p.fail(rp+".category", "unknown remediation category %q", r.Category)
			}
			rem := Remediation{
				Category: p.required(rp+".category", r.Category), Details: p.required(rp+".details", r.Details),
				URL: r.URL, ProductIDs: p.refs(rp+".product_ids", r.ProductIDs)}
			if rem.Category == "vendor_fix" {
				rem.KBs = kbText.FindAllString(strings.ToUpper(rem.Details+" "+rem.URL), -1)
			}
			v.Remediations = append(v.Remediations, rem)
		}
		for j, s := range rv.Scores {
			sp := fmt.Sprintf("%s.scores[%d]", path, j)
			ids := p.refs(sp+".products", s.Products)
			if s.CVSSv3 == nil {
				continue // CVSS v2 only: not reported
			}
			if s.CVSSv3.BaseScore == nil || *s.CVSSv3.BaseScore < 0 || *s.CVSSv3.BaseScore > 10 {
				p.fail(sp+".cvss_v3.baseScore", "required, a number from 0 to 10")
				continue
			}
			v.Scores = append(v.Scores, Score{BaseScore: *s.CVSSv3.BaseScore, Vector: s.CVSSv3.VectorString, ProductIDs: ids})
		}
		p.adv.Vulns = append(p.adv.Vulns, v)
	}
}

// ReadDir reads the advisories (*.json) of a folder, in name order; a
// folder without one is an error, so a wrong folder is not "no advisory".
func ReadDir(dir string) ([]*Advisory, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		if _, err := os.Stat(dir); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("folder %s holds no .json advisory", dir)
	}
	sort.Strings(files)
	advs := make([]*Advisory, 0, len(files))
	for _, f := range files {
		a, err := ReadFile(f)
		if err != nil {
			return nil, err
		}
		advs = append(advs, a)
	}
	return advs, nil
}
