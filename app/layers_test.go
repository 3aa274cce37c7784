package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goImport is one import of one file, with paths relative to the module
// root in slash form.
type goImport struct {
	file, dir, path string
}

// moduleImports parses the imports of every Go file of the module, for
// every operating system and build tag (go list would see only this
// system's files, and the Windows-only ones are what the x/sys rule is
// about). Folders named testdata hold fixtures, except the sample
// generator testdata/gen.
func moduleImports(t *testing.T) []goImport {
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	var out []goImport
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, root+string(filepath.Separator)))
		if d.IsDir() {
			name := d.Name()
			if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
				(name == "testdata" && rel != "testdata")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || (strings.HasPrefix(rel, "testdata/") && !strings.HasPrefix(rel, "testdata/gen/")) {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			out = append(out, goImport{file: rel, dir: pathDir(rel), path: path})
		}
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, out)
	return out
}

func pathDir(rel string) string {
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		return rel[:i]
	}
	return "."
}

// under reports whether a package path or folder is p or inside it.
func under(s, p string) bool {
	return s == p || strings.HasPrefix(s, p+"/")
}

// The layers of DESIGN.md, kept by a test: checks (the engine, the Host
// boundary and its implementations) at the bottom, assets and remediate
// above it, app on top.
func TestImportLayers(t *testing.T) {
	imports := moduleImports(t)

	// guiRemediate are the window's files that use remediate's public API
	// (plan, apply, backups) today. The workflow package is to take these
	// over; no other widget file may start importing remediate.
	guiRemediate := map[string]bool{
		"app/gui/backups.go":    true,
		"app/gui/remediate.go":  true,
		"app/gui/state.go":      true,
		"app/gui/state_test.go": true,
		"app/gui/viewmodel.go":  true,
	}
	// sysFiles are the Windows-only files outside checks/live that call
	// golang.org/x/sys: the console attach, the OpenGL probe, the event log
	// and the runs folder's access list.
	sysFiles := map[string]bool{
		"app/console_windows.go":        true,
		"app/gui/glcheck_windows.go":    true,
		"remediate/eventlog_windows.go": true,
		"remediate/fsutil_windows.go":   true,
	}

	rules := []struct {
		name string
		bad  func(im goImport) bool
	}{
		{"checks imports nothing above it", func(im goImport) bool {
			return under(im.dir, "checks") &&
				(under(im.path, "medharden/app") || under(im.path, "medharden/remediate") || under(im.path, "medharden/assets"))
		}},
		{"assets imports neither remediate nor app", func(im goImport) bool {
			return under(im.dir, "assets") && (under(im.path, "medharden/app") || under(im.path, "medharden/remediate"))
		}},
		{"remediate imports no app package", func(im goImport) bool {
			return under(im.dir, "remediate") && under(im.path, "medharden/app")
		}},
		{"widgets import remediate only where they do today, and none of its subpackages", func(im goImport) bool {
			return under(im.dir, "app/gui") && under(im.path, "medharden/remediate") &&
				(im.path != "medharden/remediate" || !guiRemediate[im.file])
		}},
		{"only checks/live and the named Windows files call x/sys", func(im goImport) bool {
			return under(im.path, "golang.org/x/sys") && !under(im.dir, "checks/live") && !sysFiles[im.file]
		}},
		{"Fyne only in app/gui", func(im goImport) bool {
			return under(im.path, "fyne.io") && !under(im.dir, "app/gui")
		}},
		{"testdata/gen is stdlib only (an independent writer of the samples)", func(im goImport) bool {
			first := strings.SplitN(im.path, "/", 2)[0]
			return under(im.dir, "testdata/gen") && (strings.Contains(first, ".") || first == "medharden")
		}},
	}
	for _, r := range rules {
		t.Run(r.name, func(t *testing.T) {
			var bad []string
			for _, im := range imports {
				if r.bad(im) {
					bad = append(bad, im.file+" imports "+im.path)
				}
			}
			sort.Strings(bad)
			assert.Empty(t, bad)
		})
	}

	// The allow-lists name files that exist and still need the exception,
	// so they shrink as the code does.
	used := map[string]bool{}
	for _, im := range imports {
		if (guiRemediate[im.file] && im.path == "medharden/remediate") || (sysFiles[im.file] && under(im.path, "golang.org/x/sys")) {
			used[im.file] = true
		}
	}
	for _, list := range []map[string]bool{guiRemediate, sysFiles} {
		for f := range list {
			assert.True(t, used[f], "%s is allowed an import it no longer has: remove it from the list", f)
		}
	}
	for f := range sysFiles {
		assert.True(t, strings.HasSuffix(f, "_windows.go"), "%s: x/sys only in files built for Windows alone", f)
	}
}
