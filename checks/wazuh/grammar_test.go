package wazuh

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The SCA rule grammar, as Wazuh's "Creating custom SCA policies" page
// documents it, restricted to the registry rules medharden writes:
//
//	rule     = ["not "] "r:" key [" -> " value [" -> " content]]
//	key      = hive "\" path          (hive spelled out: HKEY_LOCAL_MACHINE ...)
//	content  = op {" && " op}
//	op       = ["!"] ("r:" regex | "n:" regex " compare " cmp " " integer | literal)
//	cmp      = "<" | "<=" | "==" | "!=" | ">=" | ">"
//
// The spaces around "->", "&&" and "compare" are mandatory; a numeric
// regex needs a capture group.
type rule struct {
	not     bool
	key     string
	value   string // "" for a key existence rule
	content []op   // nil for an existence rule
}

type op struct {
	negate  bool
	kind    byte // 'r', 'n' or 0 (literal)
	pattern string
	cmp     string
	n       int64
}

var (
	hives   = regexp.MustCompile(`^HKEY_(LOCAL_MACHINE|CURRENT_USER|USERS|CLASSES_ROOT|CURRENT_CONFIG)(\\[^\\]+)+$`)
	numCmp  = regexp.MustCompile(`^(.*\(.*\).*) compare (<=|>=|==|!=|<|>) (-?[0-9]+)$`)
	errRule = errors.New("not an SCA registry rule")
)

func parseRule(s string) (rule, error) {
	var r rule
	if s != strings.TrimSpace(s) || s == "" {
		return r, fmt.Errorf("%w: leading or trailing space in %q", errRule, s)
	}
	if strings.HasPrefix(s, "not ") {
		r.not = true
		s = s[len("not "):]
	}
	if !strings.HasPrefix(s, "r:") {
		return r, fmt.Errorf("%w: %q does not start with r:", errRule, s)
	}
	parts := strings.SplitN(s[2:], " -> ", 3)
	if strings.Contains(s, "->") && strings.Count(s, "->") != strings.Count(s, " -> ") {
		return r, fmt.Errorf("%w: -> without spaces around it", errRule)
	}
	r.key = parts[0]
	if !hives.MatchString(r.key) {
		return r, fmt.Errorf("%w: key %q does not name a hive in full", errRule, r.key)
	}
	if len(parts) > 1 {
		r.value = parts[1]
		if r.value == "" || r.value != strings.TrimSpace(r.value) {
			return r, fmt.Errorf("%w: empty or padded value name", errRule)
		}
	}
	if len(parts) == 3 {
		ops, err := parseContent(parts[2])
		if err != nil {
			return r, err
		}
		r.content = ops
	}
	return r, nil
}

func parseContent(s string) ([]op, error) {
	if strings.Contains(s, "&&") && strings.Count(s, "&&") != strings.Count(s, " && ") {
		return nil, fmt.Errorf("%w: && without spaces around it", errRule)
	}
	var ops []op
	for _, part := range strings.Split(s, " && ") {
		var o op
		if strings.HasPrefix(part, "!") {
			o.negate = true
			part = part[1:]
		}
		switch {
		case part == "":
			return nil, fmt.Errorf("%w: empty content", errRule)
		case strings.HasPrefix(part, "n:"):
			m := numCmp.FindStringSubmatch(part[2:])
			if m == nil {
				return nil, fmt.Errorf("%w: %q is not n:REGEX(group) compare OP NUMBER", errRule, part)
			}
			if _, err := regexp.Compile(m[1]); err != nil {
				return nil, fmt.Errorf("%w: %v", errRule, err)
			}
			n, err := strconv.ParseInt(m[3], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%w: %v", errRule, err)
			}
			o.kind, o.pattern, o.cmp, o.n = 'n', m[1], m[2], n
		case strings.HasPrefix(part, "r:"):
			o.kind, o.pattern = 'r', part[2:]
			if o.pattern == "" {
				return nil, fmt.Errorf("%w: empty regex", errRule)
			}
		default:
			if strings.Contains(part, " compare ") {
				return nil, fmt.Errorf("%w: compare without n:", errRule)
			}
			o.pattern = part
		}
		ops = append(ops, o)
	}
	return ops, nil
}

func TestParseRule(t *testing.T) {
	good := []string{
		`r:HKEY_LOCAL_MACHINE\System\CurrentControlSet\Control\Lsa`,
		`r:HKEY_LOCAL_MACHINE\System\CurrentControlSet\Control\Lsa -> LimitBlankPasswordUse`,
		`r:HKEY_LOCAL_MACHINE\System\CurrentControlSet\Control\Lsa -> LimitBlankPasswordUse -> 1`,
		`not r:HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\Browser`,
		`r:HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows\EventLog\Application -> MaxSize -> n:^(\d+) compare >= 32768`,
		`r:HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion -> ProductName -> r:^Windows 7`,
		`r:HKEY_LOCAL_MACHINE\X\Y -> V -> n:^(\d+) compare >= 1 && n:^(\d+) compare <= 30`,
		`r:HKEY_LOCAL_MACHINE\X\Y -> V -> !r:^0$`,
	}
	for _, s := range good {
		_, err := parseRule(s)
		assert.NoError(t, err, s)
	}
	bad := []string{
		``,
		` r:HKEY_LOCAL_MACHINE\X`,
		`HKEY_LOCAL_MACHINE\X -> V`,
		`r:HKLM\SYSTEM\CurrentControlSet\Control\Lsa -> V`,
		`r:HKEY_LOCAL_MACHINE\X->V`,
		`r:HKEY_LOCAL_MACHINE\X -> V->1`,
		`r:HKEY_LOCAL_MACHINE\X -> V -> n:^\d+ compare >= 1`,
		`r:HKEY_LOCAL_MACHINE\X -> V -> n:^(\d+) compare => 1`,
		`r:HKEY_LOCAL_MACHINE\X -> V -> n:^(\d+) compare>= 1`,
		`r:HKEY_LOCAL_MACHINE\X -> V -> n:^(\d+) compare >= one`,
		`r:HKEY_LOCAL_MACHINE\X -> V -> n:^(\d+) compare >= 1&&n:^(\d+) compare <= 2`,
		`r:HKEY_LOCAL_MACHINE\X -> V -> (\d+) compare >= 1`,
		`r:HKEY_LOCAL_MACHINE\X -> V -> r:`,
		`r:HKEY_LOCAL_MACHINE\X ->  V`,
		`nor r:HKEY_LOCAL_MACHINE\X`,
		`c:net.exe accounts -> n:Minimum password length:\s+(\d+) compare >= 14`,
	}
	for _, s := range bad {
		_, err := parseRule(s)
		assert.ErrorIs(t, err, errRule, "%q", s)
	}
}
