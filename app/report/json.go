package report

import (
	"encoding/json"
	"io"

	"medharden/checks"
)

// WriteJSON writes r as indented JSON in the shape of DESIGN.md's result
// contract. Lists are written as [] rather than null, so that scripts can
// iterate without a null check. The summary is written as given: JSON is
// the record of the report, not a recomputation of it.
func WriteJSON(w io.Writer, r checks.Report) error {
	out := r
	out.Results = make([]checks.Result, len(r.Results))
	for i, res := range r.Results {
		if res.Capabilities == nil {
			res.Capabilities = []string{}
		}
		out.Results[i] = res
	}
	if out.Summary.Capabilities == nil {
		out.Summary.Capabilities = []checks.CapabilitySummary{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
