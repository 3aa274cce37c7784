package main

import (
	"sort"
	"strings"
)

// wmic /output:FILE ALIAS get A,B,C /format:csv writes UTF-16LE with a BOM,
// an empty first line, a header that starts with Node and lists the
// properties in alphabetical order whatever order they were asked in, and
// one line per instance. Fields are never quoted (a comma inside a value
// would shift the columns, so no value here has one); arrays print as
// {a;b}; booleans as TRUE/FALSE; empty properties as nothing.

type instance map[string]string

func wmicCSV(node string, props []string, rows []instance) string {
	cols := append([]string(nil), props...)
	sort.Slice(cols, func(i, j int) bool { return strings.ToLower(cols[i]) < strings.ToLower(cols[j]) })
	lines := []string{"", "Node," + strings.Join(cols, ",")}
	for _, row := range rows {
		for k := range row {
			if !contains(cols, k) {
				panic("wmic: property not requested: " + k)
			}
		}
		fields := []string{node}
		for _, c := range cols {
			if strings.Contains(row[c], ",") {
				panic("wmic: comma in " + c + ": " + row[c])
			}
			fields = append(fields, row[c])
		}
		lines = append(lines, strings.Join(fields, ","))
	}
	return crlf(lines)
}
