package gpo

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"medharden/checks/winfmt"
)

// BackupInfo is what a GPO backup says about itself: the GPO's GUID and
// display name (Backup.xml's GroupPolicyCoreSettings, or bkupInfo.xml).
type BackupInfo struct {
	GPOGuid     string
	DisplayName string
	Domain      string
}

// backupScheme is the part of Backup.xml read here. encoding/xml matches
// the local names, whatever namespace GPMC declares.
type backupScheme struct {
	XMLName xml.Name `xml:"GroupPolicyBackupScheme"`
	Object  struct {
		Core struct {
			ID          string `xml:"ID"`
			Domain      string `xml:"Domain"`
			DisplayName string `xml:"DisplayName"`
		} `xml:"GroupPolicyCoreSettings"`
	} `xml:"GroupPolicyObject"`
}

// backupInst is bkupInfo.xml (and each backup listed in manifest.xml).
type backupInst struct {
	XMLName     xml.Name `xml:"BackupInst"`
	GPOGuid     string   `xml:"GPOGuid"`
	GPODomain   string   `xml:"GPODomain"`
	ID          string   `xml:"ID"`
	DisplayName string   `xml:"GPODisplayName"`
}

// maxXMLSize bounds Backup.xml and bkupInfo.xml; GPMC's are a few KiB.
const maxXMLSize = 1 << 20

var guidText = regexp.MustCompile(`^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$`)

// ParseBackupXML reads Backup.xml strictly: well-formed XML (UTF-8 or
// UTF-16 with its byte order mark), the root GroupPolicyBackupScheme, a GPO
// ID that is a {GUID}, one line of display name. Errors name the file and
// the line.
func ParseBackupXML(name string, b []byte) (BackupInfo, error) {
	var s backupScheme
	if err := decodeXML(name, b, &s); err != nil {
		return BackupInfo{}, err
	}
	c := s.Object.Core
	info := BackupInfo{GPOGuid: strings.TrimSpace(c.ID), DisplayName: strings.TrimSpace(c.DisplayName), Domain: strings.TrimSpace(c.Domain)}
	return info, info.check(name)
}

// ParseBkupInfo reads bkupInfo.xml, with the same rules.
func ParseBkupInfo(name string, b []byte) (BackupInfo, error) {
	var s backupInst
	if err := decodeXML(name, b, &s); err != nil {
		return BackupInfo{}, err
	}
	info := BackupInfo{GPOGuid: strings.TrimSpace(s.GPOGuid), DisplayName: strings.TrimSpace(s.DisplayName), Domain: strings.TrimSpace(s.GPODomain)}
	if err := info.check(name); err != nil {
		return info, err
	}
	if id := strings.TrimSpace(s.ID); !guidText.MatchString(id) {
		return info, &winfmt.ParseError{File: name, Msg: fmt.Sprintf("backup ID %q is not a {GUID}", id)}
	}
	return info, nil
}

func (i BackupInfo) check(name string) error {
	switch {
	case !guidText.MatchString(i.GPOGuid):
		return &winfmt.ParseError{File: name, Msg: fmt.Sprintf("GPO ID %q is not a {GUID}", i.GPOGuid)}
	case strings.ContainsAny(i.DisplayName, "\r\n\x00"):
		return &winfmt.ParseError{File: name, Msg: "the GPO's display name holds a line break"}
	}
	return nil
}

func decodeXML(name string, b []byte, v interface{}) error {
	if len(b) > maxXMLSize {
		return &winfmt.ParseError{File: name, Msg: fmt.Sprintf("larger than %d KiB, far more than any GPO backup's XML", maxXMLSize>>10)}
	}
	text, err := winfmt.DecodeText(name, b)
	if err != nil {
		return err
	}
	dec := xml.NewDecoder(strings.NewReader(text))
	// The text is decoded already, whatever the declaration says.
	dec.CharsetReader = func(charset string, r io.Reader) (io.Reader, error) {
		switch strings.ToLower(charset) {
		case "utf-8", "utf-16", "unicode":
			return r, nil
		}
		return nil, fmt.Errorf("encoding %q (want UTF-8 or UTF-16)", charset)
	}
	if err := dec.Decode(v); err != nil {
		line := 0
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			line = se.Line
		}
		if errors.Is(err, io.EOF) {
			err = errors.New("no XML element")
		}
		return &winfmt.ParseError{File: name, Line: line, Msg: "not a GPO backup's XML: " + err.Error()}
	}
	// Nothing but white space and comments may follow the root.
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return &winfmt.ParseError{File: name, Msg: "after the root element: " + err.Error()}
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) == 0 {
				continue
			}
		case xml.Comment, xml.ProcInst:
			continue
		}
		return &winfmt.ParseError{File: name, Msg: "something follows the root element"}
	}
}

// readBackupInfo reads a backup folder's Backup.xml, and its bkupInfo.xml
// when there is one, which must name the same GPO.
func readBackupInfo(dir string) (BackupInfo, error) {
	rel, _ := findFold(dir, "Backup.xml")
	name := filepath.Join(dir, rel)
	data, err := readFile(name)
	if err != nil {
		return BackupInfo{}, err
	}
	info, err := ParseBackupXML(name, data)
	if err != nil {
		return info, err
	}
	if rel, ok := findFold(dir, "bkupInfo.xml"); ok {
		name := filepath.Join(dir, rel)
		data, err := readFile(name)
		if err != nil {
			return info, err
		}
		bi, err := ParseBkupInfo(name, data)
		if err != nil {
			return info, err
		}
		if !strings.EqualFold(bi.GPOGuid, info.GPOGuid) {
			return info, &winfmt.ParseError{File: name, Msg: fmt.Sprintf("names GPO %s, but Backup.xml names %s", bi.GPOGuid, info.GPOGuid)}
		}
	}
	return info, nil
}
