package live

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDiffRights(t *testing.T) {
	cases := []struct {
		name              string
		current, want     []string
		wantAdd, wantRemo []string
	}{
		{
			name:     "SeNetworkLogonRight to Administrators and Authenticated Users",
			current:  []string{"S-1-1-0", "S-1-5-32-544", "S-1-5-32-545", "S-1-5-32-551"},
			want:     []string{"S-1-5-32-544", "S-1-5-11"},
			wantAdd:  []string{"S-1-5-11"},
			wantRemo: []string{"S-1-1-0", "S-1-5-32-545", "S-1-5-32-551"},
		},
		{
			name:    "already right, case and duplicates ignored",
			current: []string{"S-1-5-32-544"},
			want:    []string{"s-1-5-32-544", "S-1-5-32-544 "},
		},
		{
			name:    "no one to some",
			current: []string{},
			want:    []string{"S-1-5-32-546", "S-1-5-113"},
			wantAdd: []string{"S-1-5-113", "S-1-5-32-546"},
		},
		{
			name:     "some to no one",
			current:  []string{"S-1-5-32-546", "S-1-5-7"},
			want:     nil,
			wantRemo: []string{"S-1-5-32-546", "S-1-5-7"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			add, remove := diffRights(c.current, c.want)
			assert.Equal(t, c.wantAdd, add)
			assert.Equal(t, c.wantRemo, remove)
		})
	}
}
