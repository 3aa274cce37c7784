package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A rehearsed report says so in its header in every format, and in its
// file name; the audit of the snapshot as collected says nothing of it.
func TestRehearsalMark(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			r := sample()
			var plain bytes.Buffer
			require.NoError(t, Write(&plain, format, r))
			assert.NotContains(t, plain.String(), "REHEARSAL")
			assert.NotContains(t, plain.String(), `"rehearsal"`)

			r.Rehearsal = true
			var b bytes.Buffer
			require.NoError(t, Write(&b, format, r))
			out := b.String()
			switch format {
			case "json":
				assert.Contains(t, out, `"rehearsal": true`)
			case "csv":
				rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
				require.NoError(t, err)
				require.Len(t, rows, len(r.Results)+1)
				for _, row := range rows[1:] {
					assert.True(t, strings.HasPrefix(row[8], RehearsalMark), row[8])
				}
			default:
				head := out
				if len(head) > 4000 {
					head = head[:4000]
				}
				assert.Contains(t, strings.ReplaceAll(head, "&#39;", "'"), RehearsalMark, "the mark is in the header")
			}
		})
	}
	r := sample()
	assert.NotContains(t, FileName(r, "html"), "REHEARSAL")
	r.Rehearsal = true
	assert.True(t, strings.HasPrefix(FileName(r, "html"), "REHEARSAL-NOT-THE-DEVICES-STATE-"), FileName(r, "html"))
}
