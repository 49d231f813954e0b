// Command yamlv2 is reconfd's oracle for data files: it reads each case with
// gopkg.in/yaml.v2 (the library confd's file backend uses) into
// map[interface{}]interface{}, walks it as confd's nodeWalk does, and writes the
// resulting keys, their Go types and any error as one JSON table that
// tests/unit/kv/yamlv2_table_test.ts compares reconfd's data-file reader against.
//
// Usage (normally through scripts/yamlv2/generate):
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go run main.go > ../../tests/unit/kv/testdata/yamlv2.json
//
// With -stdin it is a filter for differential testing instead: it reads a JSON array of
// documents and writes the table entries for them, one per line, in order.
//
// With -time FILE it instead reads FILE as confd's file backend does (yaml.Unmarshal, then
// nodeWalk) three times and prints the median time in milliseconds and the key count, the
// figure scripts/bench.ts compares reconfd's reader against.
//
// Each table entry: {"name", "yaml", "values": {"/key": "text"}, "types": {"/key": "int"}}
// or {"name", "yaml", "error": true}; text that is not UTF-8 is also given as "base64". "values" holds what nodeWalk keeps (strings, ints,
// bools, float64s); "types" names the Go type of every leaf, kept or not (uint64 leaves are
// dropped by nodeWalk). A non-string map key, where confd itself panics, is written with
// fmt.Sprint and the entry marked "nonStringKey": true.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v2"
)

type entry struct {
	Name         string            `json:"name"`
	YAML         string            `json:"yaml"`
	Base64       string            `json:"base64,omitempty"`
	Values       map[string]string `json:"values,omitempty"`
	Types        map[string]string `json:"types,omitempty"`
	Error        bool              `json:"error,omitempty"`
	NonStringKey bool              `json:"nonStringKey,omitempty"`
}

// scalars are written as the value of key v (`v: <form>`), one case each.
var scalars = []string{
	// ints: decimal, signs, octal, hex, binary, underscores, 64-bit edges
	"0", "42", "-7", "+12", "007", "0777", "08", "09.5", "0o17", "0O17", "0x1f", "0X1f", "0x1F", "-0x1f",
	"0b1010", "-0b101", "0B11", "1_000", "0x_1f", "1__0", "9223372036854775807", "9223372036854775808",
	"-9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
	"12345678901234567890", "99999999999999999999", "123456789012345678901234",
	// base 60 (YAML 1.1 has it, yaml.v2 does not)
	"2222:22", "10:30", "12:00:00", "-1:30", "1:20.5", "190:20:30",
	// floats
	"1.0", "1.5", "-2.5", "+3.25", ".5", "-.5", "1.", "1e3", "1E3", "1.5e-3", "6.02e23", "1e21", "1e-7",
	"1e400", "-1e400", "1e-400", "0.1", "3.14159265358979323846", "1_000.5", ".inf", ".Inf", "-.inf", "+.INF",
	".nan", ".NaN", "nan", "inf", "0x1p-2", "1e", ".e5", "1.5.5",
	// bools and nulls (YAML 1.1)
	"yes", "Yes", "YES", "no", "No", "NO", "y", "Y", "n", "N", "on", "On", "ON", "off", "Off", "OFF",
	"true", "True", "TRUE", "false", "False", "FALSE", "tRUE", "yEs", "~", "null", "Null", "NULL", "nULL", "",
	// timestamps stay text for interface{} targets
	"2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-13-45", "2001-12-14T21:59:43Z",
	// strings that look like something else
	"'0777'", "\"42\"", "'yes'", "\"1e3\"", "'10:30'", "hello world", "a: b", "http://x:80/y", "1.2.3.4", "+", "-",
	"0x", "0b", "0o", "0xg", "1e3x", "- x", "v1.2", "@x", "`x`",
	// quoted escapes
	`"tab\there"`, `"\u00e9"`, `"\x41"`, `"\/"`, `'it''s'`, `"a\nb"`, `"\N"`, `"\_"`, `"\'"`, `"\e"`, `"\ud800"`, `"\ud83d\ude00"`, `"\U0001F600"`, `"\x00"`,
	// explicit tags
	"!!str 42", "!!str yes", "!!int \"42\"", "!!int 0x10", "!!float 1", "!!float \"2.5\"", "!!bool \"yes\"",
	"!!null ~", "!!binary aGVsbG8=", "!!binary \"aGVs bG8=\"", "!!binary !!!", "!!int 1.5", "!!int abc",
	"!!float 1e400", "!!null x", "!!timestamp 2001-12-14", "!!timestamp foo", "!foo bar", "!!str", "!!binary |\n  aGVs\n  bG8=",
	// block scalars
	"|\n  line1\n  line2\n", ">\n  folded\n  text\n", "|-\n  keep\n", "|+\n  keep\n\n",
}

// keys are written as a map key (`<form>: x`).
var keys = []string{"2222:22", "10:30", "12:00:00", "0o17", "a/b", "/lead", "042", "'yes'", "1.5"}

// docs are whole documents: structure, duplicate keys, merges, errors.
var docs = [][2]string{
	{"duplicate keys: the last one wins", "a: 1\nb: 2\na: 3\n"},
	{"duplicate nested maps: the last one replaces the first", "m:\n  p: 1\nm:\n  q: 2\n"},
	{"a merge key copies a map", "base: &b\n  k: 1\n  j: 2\nc:\n  <<: *b\n  j: 3\n"},
	{"a merge after an explicit key overrides it", "base: &b\n  k: 1\nc:\n  k: 2\n  <<: *b\n"},
	{"a merge of a list: earlier maps win", "a: &a {k: 1}\nb: &b {k: 2, j: 2}\nc:\n  <<: [*a, *b]\n"},
	{"a quoted << is an ordinary key", "'<<': x\n"},
	{"a merge of a scalar is an error", "a: &a 1\nb:\n  <<: *a\n"},
	{"aliases repeat a value", "a: &x hello\nb: *x\nl: [*x, *x]\n"},
	{"a list of maps", "l:\n  - name: a\n  - name: b\n"},
	{"nested lists", "l: [[1, 2], [3]]\n"},
	{"an empty map and list add nothing", "m: {}\nl: []\n"},
	{"JSON text", "{\"a\": 1, \"b\": [true, null, 1.5, \"x\"], \"c\": {\"d\": \"e\"}, \"u\": 12345678901234567890}\n"},
	{"JSON with an escaped slash is an error", "{\"url\": \"http:\\/\\/x\"}\n"},
	{"JSON indented with tabs", "{\n\t\"a\": 1,\n\t\"b\": [\n\t\t2,\n\t\t{\"c\": true}\n\t]\n}\n"},
	{"JSON with keys at column 0", "{\n\"a\": 1,\n\"b\": {\n\"c\": 2\n}\n}\n"},
	{"JSON with a raw tab in a string", "{\"a\": \"x\ty\"}\n"},
	{"JSON with a colon on the next line", "{\"a\"\n: 1}\n"},
	{"JSON number forms", "{\"a\": -0, \"b\": 1E+2, \"c\": 1e400, \"d\": 0.5, \"e\": -12345678901234567890, \"f\": 1e-2}\n"},
	{"JSON escapes", "{\"a\": \"q\\\"b\\\\s\\n\\t\\r\\b\\f\\u00e9\"}\n"},
	{"JSON followed by a comment", "{\"a\": 1} # c\n"},
	{"JSON with a leading tab", "\t{\"a\": 1}\n"},
	{"JSON with an empty key", "{\"\": 1, \"b\": {\"\": 2}}\n"},
	{"JSON with a long key", "{\"" + strings.Repeat("k", 1100) + "\": 1}\n"},
	{"JSON on one line after a newline", "\n\n{\"a\": [1, [2, {\"b\": null}]]}"},
	{"a top-level JSON array is an error", "[1, 2]\n"},
	{"JSON without spaces", "{\"a\":1,\"b\":\"c\"}\n"},
	{"JSON duplicate keys: the last one wins", "{\"a\": 1, \"a\": 2}\n"},
	{"only the first document is read", "a: 1\n---\nb: 2\n"},
	{"a comment-only file is empty", "# nothing\n"},
	{"an empty file is empty", ""},
	{"a map as a key is an error", "? {a: 1}\n: x\n"},
	{"a tab as indentation is an error", "a:\n\tb: 1\n"},
	{"an unclosed flow list is an error", "a: [1\n"},
	{"an unclosed quote is an error", "a: \"x\n"},
	{"a NUL byte is an error", "a: x\x00y\n"},
	{"a bell character is an error", "a: x\x07y\n"},
	{"DEL is an error", "a: x\x7fy\n"},
	{"a C1 control character is an error", "a: x\u0085y\u0086\n"},
	{"invalid UTF-8 is an error", "a: x\xffy\n"},
	{"invalid UTF-8 in a comment is an error", "# \xc3\x28\na: 1\n"},
	{"a line separator inside a value", "a: x\u2028y\nb: 1\n"},
	{"a next-line character inside a value", "a: x\u0085y\nb: 1\n"},
	{"a literal block scalar with an indentation indicator", "a: |2\n   x\n  y\n"},
	{"a folded block scalar, stripped", "a: >-\n  one\n  two\n\n  three\n"},
	{"a multi-line plain scalar", "a: one\n  two\n   three\nb: 1\n"},
	{"a multi-line double-quoted scalar", "a: \"one\n  two \\\n  three\"\n"},
	{"a multi-line single-quoted scalar", "a: 'one\n\n  two'\n"},
	{"a flow map with a URL", "a: {u: http://x:80/y}\n"},
	{"nested flow collections", "a: {b: [1, {c: 2}], d: []}\n"},
	{"a flow sequence with a trailing comma", "a: [x, y, ]\n"},
	{"a flow map with a missing value", "a: {b, c: }\n"},
	{"duplicate keys in a flow map", "a: {k: 1, k: 2}\n"},
	{"an int key in a flow map", "a: {1: x}\n"},
	{"an explicit key", "? k\n: v\n"},
	{"a document start and end", "---\na: 1\n...\n"},
	{"a YAML directive", "%YAML 1.1\n---\na: 1\n"},
	{"a map tag", "a: !!map {b: 1}\n"},
	{"a sequence tag on a map is an error", "a: !!seq {b: 1}\n"},
	{"an anchored map merged and overridden", "x: &x {a: 1, b: 2}\ny:\n  <<: *x\n  b: 3\n"},
	{"an alias of a list", "l: &l [1, 2]\nm: *l\n"},
	{"a nested compact sequence", "- - a\n  - b\n"},
	{"a key with spaces before the colon", "a  : 1\n"},
	{"a tab after the colon", "a:\tb\n"},
	{"a more-indented key after a value is an error", "a: b\n  c: d\n"},
	{"a long block key is an error", strings.Repeat("k", 1100) + ": 1\n"},
	{"comments everywhere", "# c\na: 1 # c\n# c\nb:\n  # c\n  c: 2 # c\n"},
	{"a plain scalar with a hash", "a: b#c\n"},
	{"a key that is an empty quoted string", "'': x\n"},
	{"CRLF in a block scalar", "a: |\r\n  x\r\n  y\r\nb: 1\r\n"},
	{"an anchor redefined", "a: &x 1\nb: *x\nc: &x 2\nd: *x\n"},
	{"a self-referencing alias is an error", "a: &x [*x]\n"},
	{"a list of lists under a key at its indent", "a:\n- - 1\n  - 2\n- 3\n"},
	{"an indented sequence", "a:\n    - 1\n    - 2\nb: 3\n"},
	{"quoted values with comments", "a: 'x' # c\nb: \"y\" # c\n"},
	{"a quoted key with spaces", "\"a b\": 1\n'c d': 2\n"},
	{"a key that looks like a float", "1e3: x\n"},
	{"a value with only spaces after the colon", "a:    \nb: 1\n"},
	{"a nested map under a list item with more indent", "- a: 1\n  b:\n    c: 2\n- d\n"},
	{"a bare dash item then a map", "-\n  a: 1\n- b\n"},
	{"the !!str tag on a map key", "!!str 1: x\n"},
	{"an !!int key", "!!int '7': x\n"},
	{"a !!float value from an int", "a: !!float 0x10\n"},
	{"a null value under a list", "- ~\n- \n- x\n"},
	{"a document end marker first is an error", "...\na: 1\n"},
	{"content after a flow root is a next document, never read", "{a: 1}\nb: 2\n"},
	{"content dedented below an indented root is a next document", "  a: 1\n  b: 2\nc: 3\n"},
	{"a list on a key's line is an error", "a: - x\n"},
	{"a dash alone on a key's line is an error", "a: -\nb: 1\n"},
	{"a character that cannot start a token after the root is an error", "{a: 1}\n@x\n"},
	{"a directive after the root starts a next document", "  a: 1\n%YAML 1.1\n"},
	{"an unclosed quote at the end is an error", "  a: 'x\n"},
	{"a byte order mark is allowed", "\ufeffa: 1\n"},
	{"a non-BMP character is allowed", "a: \U0001F600\n"},
	{"an undefined alias is an error", "a: *nope\n"},
	{"a top-level list is an error", "- a\n- b\n"},
	{"a top-level scalar is an error", "hello\n"},
	{"CRLF line ends", "a: 1\r\nb: two\r\n"},
	{"keys are joined with path.Join", "\"a/\":\n  \"/b//\": x\n"},
	{"a null key", "~: x\nk: v\n"},
	{"an int key", "1: one\n"},
	{"a bool key", "yes: x\n"},
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "-time" {
		timeFile(os.Args[2])
		return
	}
	if len(os.Args) == 2 && os.Args[1] == "-stdin" {
		filter()
		return
	}
	var out []entry
	for _, s := range scalars {
		out = append(out, run("value "+strconv.Quote(s), "v: "+s+"\n"))
	}
	for _, k := range keys {
		out = append(out, run("key "+strconv.Quote(k), k+": x\n"))
	}
	for _, d := range docs {
		out = append(out, run(d[0], d[1]))
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	os.Stdout.WriteString("[\n")
	for i, e := range out {
		line, err := json.Marshal(e)
		if err != nil {
			panic(err)
		}
		os.Stdout.Write(line)
		if i < len(out)-1 {
			os.Stdout.WriteString(",")
		}
		os.Stdout.WriteString("\n")
	}
	os.Stdout.WriteString("]\n")
}

func filter() {
	var docs []string
	if err := json.NewDecoder(os.Stdin).Decode(&docs); err != nil {
		panic(err)
	}
	for i, d := range docs {
		line, err := json.Marshal(run(strconv.Itoa(i), d))
		if err != nil {
			panic(err)
		}
		os.Stdout.Write(append(line, '\n'))
	}
}

func timeFile(file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		panic(err)
	}
	var times []time.Duration
	keys := 0
	for i := 0; i < 3; i++ {
		start := time.Now()
		m := make(map[interface{}]interface{})
		if err := yaml.Unmarshal(data, &m); err != nil {
			panic(err)
		}
		vars := map[string]string{}
		nodeWalk(m, "/", vars)
		times = append(times, time.Since(start))
		keys = len(vars)
	}
	sort.Slice(times, func(a, b int) bool { return times[a] < times[b] })
	fmt.Printf("%.1f %d\n", float64(times[1].Microseconds())/1000, keys)
}

// nodeWalk is confd's, unchanged but for a non-string key (confd panics; here it is skipped).
func nodeWalk(node interface{}, key string, vars map[string]string) {
	switch n := node.(type) {
	case []interface{}:
		for i, j := range n {
			nodeWalk(j, path.Join(key, strconv.Itoa(i)), vars)
		}
	case map[interface{}]interface{}:
		for k, v := range n {
			if s, ok := k.(string); ok {
				nodeWalk(v, path.Join(key, s), vars)
			}
		}
	case string:
		vars[key] = n
	case int:
		vars[key] = strconv.Itoa(n)
	case bool:
		vars[key] = strconv.FormatBool(n)
	case float64:
		vars[key] = strconv.FormatFloat(n, 'f', -1, 64)
	}
}

func run(name, text string) entry {
	e := entry{Name: name, YAML: text}
	if !utf8.ValidString(text) {
		e.Base64 = base64.StdEncoding.EncodeToString([]byte(text))
	}
	m := make(map[interface{}]interface{})
	if err := yaml.Unmarshal([]byte(text), &m); err != nil {
		e.Error = true
		return e
	}
	e.Values = map[string]string{}
	e.Types = map[string]string{}
	walk(m, "/", &e)
	return e
}

// walk is confd's nodeWalk, also recording each leaf's Go type.
func walk(node interface{}, key string, e *entry) {
	switch n := node.(type) {
	case []interface{}:
		for i, j := range n {
			walk(j, path.Join(key, strconv.Itoa(i)), e)
		}
		return
	case map[interface{}]interface{}:
		ks := make([]interface{}, 0, len(n))
		for k := range n {
			ks = append(ks, k)
		}
		sort.Slice(ks, func(a, b int) bool { return fmt.Sprint(ks[a]) < fmt.Sprint(ks[b]) })
		for _, k := range ks {
			s, ok := k.(string)
			if !ok {
				e.NonStringKey = true
				s = fmt.Sprint(k)
			}
			walk(n[k], path.Join(key, s), e)
		}
		return
	}
	e.Types[key] = fmt.Sprintf("%T", node)
	switch n := node.(type) {
	case string:
		e.Values[key] = n
	case int:
		e.Values[key] = strconv.Itoa(n)
	case bool:
		e.Values[key] = strconv.FormatBool(n)
	case float64:
		e.Values[key] = strconv.FormatFloat(n, 'f', -1, 64)
	}
}
