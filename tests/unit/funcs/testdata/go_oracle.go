// Generates go_oracle.json: what Go 1.19 returns for the cases the function-library
// tests check (path, strings, strconv, base64, encoding/json, time.Format, sort.Sort).
// Regenerate with: cd tests/unit/funcs/testdata && go run go_oracle.go > go_oracle.json && deno fmt go_oracle.json
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

var out = map[string][][]interface{}{}

func add(section string, row ...interface{}) { out[section] = append(out[section], row) }

func errText(err error) string {
	if err != nil {
		return err.Error()
	}
	return ""
}

type byLength []string

func (s byLength) Len() int           { return len(s) }
func (s byLength) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }
func (s byLength) Less(i, j int) bool { return len(s[i]) < len(s[j]) }

func main() {
	for _, p := range []string{"", ".", "/", "//", "a/b/../..", "/../a", "../../a/b", "a//b/./c/", "/a/b/../../..", "abc/..", "./a", "a/.b/..c/...", "/fx/leaf/", "..", "a/../../b", "/a/./b/.", "é//ü/"} {
		add("clean", p, path.Clean(p))
	}
	for _, p := range [][]string{{"/fx", ""}, {"/fx", "/"}, {"/fx", "b/"}, {"", ""}, {"", "a"}, {"/", "x/../y"}, {"a", "", "b"}, {"/", "/fx/b/c"}, {"/", ""}, {"/", "fx/leaf/"}, {"/", "//a//b"}} {
		add("join", p, path.Join(p...))
	}
	for _, p := range []string{"", "/", "/a/b/c", "a/", "c", "/a/b/", "//", "a//b", "/a"} {
		add("basedir", p, path.Base(p), path.Dir(p))
	}
	for _, c := range [][2]string{{"/fx/*", "/fx/a"}, {"/fx/*", "/fx/b/c"}, {"/*/*", "/fx/a"}, {"/fx/?", "/fx/ab"}, {"/fx/?", "/fx/é"}, {"/fx/[a-c]", "/fx/b"}, {"/fx/[^a-c]", "/fx/b"}, {"/fx/[^a-c]", "/fx/z"}, {"/fx/\\*", "/fx/*"}, {"/fx/\\*", "/fx/a"}, {"[", "a"}, {"a[", "b"}, {"*x", "é/x"}, {"[é]", "é"}, {"a*b*c", "axxbyyc"}, {"a*", "a/b"}, {"[]a]", "]"}, {"[-]", "-"}, {"x\\", "x"}, {"a[b-", "a"}, {"*?x", "éx"}, {"/db/*/host", "/db/a/host"}, {"[a-", "z"}, {"*", ""}, {"", ""}, {"", "a"}, {"a*[", "abc"}, {"b*[", "abc"}, {"/nested/*", "/nested/east/app1"}, {"?", "/"}, {"[\\]]", "]"}, {"[a-c-e]", "d"}} {
		m, err := path.Match(c[0], c[1])
		add("match", c[0], c[1], m, errText(err))
	}
	for _, c := range [][2]string{{"", ","}, {"a,b,,c", ","}, {"abc", ""}, {"", ""}, {"héllo", ""}, {"a::b", "::"}, {",", ","}} {
		add("split", c[0], c[1], strings.Split(c[0], c[1]))
	}
	for _, c := range []struct {
		s, o, n string
		k       int
	}{{"aaa", "", "X", 2}, {"aaa", "", "X", -1}, {"aaa", "a", "b", 2}, {"aaa", "a", "b", -1}, {"aaa", "a", "b", 0}, {"héé", "", "-", -1}, {"abc", "x", "y", -1}, {"aaaa", "aa", "b", -1}, {"", "", "X", -1}, {"ab", "", "X", 5}, {"ab", "", "X", 3}, {"abab", "ab", "ab", -1}, {"aaa", "a", "", -7}} {
		add("replace", c.s, c.o, c.n, c.k, strings.Replace(c.s, c.o, c.n, c.k))
	}
	for _, s := range []string{"straße", "ǅǄǆ", "İı", "ᾀᾳ", "ﬀ", "ŉ", "Hello, Wörld! Σς", "ẞ", "ǰ", "ꞵꞴ", "ⓐⒶ", "𐐨𐐀", "µ", "ſ", "K"} {
		add("case", s, strings.ToUpper(s), strings.ToLower(s))
	}
	for _, s := range []string{"42", "-7", "+3", "x1", "", "-", "+", "1_000", "0x10", "007", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "99999999999999999999", "99999999999999999999x", "9223372036854775808x", " 1", "1 ", "١"} {
		n, err := strconv.Atoi(s)
		add("atoi", s, strconv.Itoa(n), errText(err))
	}
	for _, s := range []string{"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False", "yes", "tRUE", "", "\x01", "é"} {
		b, err := strconv.ParseBool(s)
		add("parseBool", s, b, errText(err))
	}
	for _, s := range []string{"", "QQ==", "QUI=", "QUJD", "QQ", "QQ=", "QQ=x", "Q===", "====", "QUJD\nRA==", "QUJD\r\n", "QQ==QQ==", "!!!!", "QUJDRA==x", "QUJ", "aGVsbG8gd29ybGQ=", "QQ=\n=", "QQ= =", "\n", "w6k=", "QUJDREVGR0g=", "QUJDREVGR0gh!"} {
		d, err := base64.StdEncoding.DecodeString(s)
		add("base64Decode", s, string(d), errText(err))
	}
	for _, s := range []string{"", "a", "ab", "abc", "héllo wörld", "ABCDEFGH"} {
		add("base64Encode", s, base64.StdEncoding.EncodeToString([]byte(s)))
	}
	for _, s := range []string{`{"a":nul}`, `[1]`, `"s"`, `1`, `true`, `null`, ``, ` `, `{`, `{"a"`, `{"a":`, `{"a":1`, `{"a":1,}`, `{"a" 1}`, `{"a":1 "b"}`, `{1:2}`, `{"a":[1,]}`, `{"a":[1 2]}`, `{"a":01}`, `{"a":-}`, `{"a":1.}`, `{"a":1e}`, `{"a":1e+}`, `{"a":"\x"}`, `{"a":"\u12g4"}`, "{\"a\":\"\x01\"}", `{"a":tru}`, `{"a":fals`, `{"a":1}x`, `{"a":1} `, `{"a":1e400}`, `{"a":"x","b":[1e400,2e400]}`, `[1e400]`, `{"a":'x'}`, "{\"a\":\xc3\xa9}", `{"n":1000000,"f":1.5,"s":"x","b":true,"z":null,"l":[1,"a",null],"m":{"k":"v"}}`, `{"a":1,"a":2}`, `{"a":"\ud800"}`, `tru`, `[`, `{}`, `[]`, ` [1, "a", {"b": [true]}] `, `{"__proto__":1,"constructor":2}`, `-0`, `[-0.0, 1E2, 123456789012345678901234567890]`, `{"a":1}{}`, "\t{}\r\n", `{"a":"\u00e9\ud83d\ude00"}`, `nul`, `[1]]`, `{"a":x}`} {
		var m map[string]interface{}
		err := json.Unmarshal([]byte(s), &m)
		var arr []interface{}
		err2 := json.Unmarshal([]byte(s), &arr)
		add("json", s, fmt.Sprintf("%v", m), errText(err), fmt.Sprintf("%v", arr), errText(err2))
	}
	t := time.Date(2026, 11, 27, 17, 4, 5, 120034500, time.UTC)
	t2 := time.Date(2009, 1, 3, 0, 9, 7, 0, time.FixedZone("CET", 3600))
	t3 := time.Date(2026, 3, 9, 12, 0, 0, 5, time.FixedZone("", -(5*3600+30*60)))
	t4 := time.Date(1969, 12, 31, 23, 59, 59, 999000000, time.UTC)
	for _, l := range []string{time.ANSIC, time.UnixDate, time.RubyDate, time.RFC822, time.RFC822Z, time.RFC850, time.RFC1123, time.RFC1123Z, time.RFC3339, time.RFC3339Nano, time.Kitchen, time.Stamp, time.StampMilli, time.StampMicro, time.StampNano, "2006-01-02 15:04:05.999999999 -0700 MST", "Jan January Janx Monday Mon Monx MST", "1 01 2 _2 02 __2 002 3 03 15 4 04 5 05 06 2006 _2006 PM pm", ".0 .00 .000000000 .0000000000 .9 .99 ,999 .9x .09 05.000 .00001", "Z0700 Z07:00 Z07 Z070000 Z07:00:00 -0700 -07:00 -07 -070000 -07:00:00", "no std here: abc", "January2006 Mo Ma J Z P p", "2006", "héllo 15h04 ünïcode"} {
		add("format", l, t.Format(l), t2.Format(l), t3.Format(l), t4.Format(l))
	}
	add("timeString", t.String(), t2.String(), t3.String(), t4.String())
	add("unix", fmt.Sprint(t.Unix()), fmt.Sprint(t.UnixMilli()), fmt.Sprint(t.UnixNano()), fmt.Sprint(t4.Unix()), fmt.Sprint(t4.UnixMilli()), fmt.Sprint(t4.UnixMicro()))
	inputs := [][]string{
		{"ccc", "a", "bb", "dd", "e", "fff", "g"},
		{"/fx/a", "/fx/b", "/fx/b64", "/fx/bool", "/fx/e", "/fx/empty", "/fx/host", "/fx/hostname", "/fx/jarr", "/fx/json", "/fx/leaf", "/fx/list", "/fx/num", "/fx/z1", "/fx/z2"},
		{"aa", "b", "cc", "d", "ee", "f", "gg", "h", "ii", "j", "kk", "l", "mm", "n", "oo", "p", "qq", "r", "ss", "t"},
	}
	x := uint32(12345)
	big := []string{}
	for i := 0; i < 200; i++ {
		x = x*1103515245 + 12345
		big = append(big, strings.Repeat("x", int(x>>16)%7)+strconv.Itoa(i))
	}
	dec := []string{}
	for i := 60; i > 0; i-- {
		dec = append(dec, strings.Repeat("y", i%9)+strconv.Itoa(i%10))
	}
	desc := []string{}
	for i := 80; i > 0; i-- {
		desc = append(desc, strings.Repeat("z", i/3)+strconv.Itoa(i%10))
	}
	same := []string{}
	for i := 0; i < 100; i++ {
		same = append(same, strconv.Itoa(i%10)+strings.Repeat("s", (i*7)%3))
	}
	inputs = append(inputs, big, dec, desc, same)
	for _, in := range inputs {
		c := append([]string(nil), in...)
		sort.Sort(byLength(c))
		add("sortByLength", in, c)
	}
	fuzz()
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.Encode(out)
}

// fuzz adds seeded random cases: path.Match, encoding/json and base64 on inputs built from
// the characters their parsers care about, and sort.Sort on random lengths.
func fuzz() {
	r := rand.New(rand.NewSource(7))
	pick := func(from []string, max int) string {
		var b strings.Builder
		for j := r.Intn(max); j > 0; j-- {
			b.WriteString(from[r.Intn(len(from))])
		}
		return b.String()
	}
	patChars := []string{"a", "b", "/", "*", "?", "[", "]", "^", "-", "\\", "é", "c"}
	nameChars := []string{"a", "b", "/", "é", "c", "-", "]", "*"}
	for i := 0; i < 600; i++ {
		p, n := pick(patChars, 7), pick(nameChars, 6)
		m, err := path.Match(p, n)
		add("fuzzMatch", p, n, m, errText(err))
	}
	jsonToks := []string{"{", "}", "[", "]", ":", ",", "\"a\"", "\"", "1", "-", "0", ".", "e", "+", "tru", "true", "null", "n", " ", "\\", "\\u12", "x", "2", "E"}
	for i := 0; i < 600; i++ {
		s := pick(jsonToks, 9)
		var m map[string]interface{}
		err := json.Unmarshal([]byte(s), &m)
		var a []interface{}
		err2 := json.Unmarshal([]byte(s), &a)
		add("fuzzJSON", s, fmt.Sprintf("%v", m), errText(err), fmt.Sprintf("%v", a), errText(err2))
	}
	b64Chars := []string{"Q", "U", "J", "D", "=", "\n", "\r", "!", "w", "+", "/", "a"}
	for i := 0; i < 600; i++ {
		s := pick(b64Chars, 14)
		d, err := base64.StdEncoding.DecodeString(s)
		add("fuzzBase64", s, base64.StdEncoding.EncodeToString(d), errText(err))
	}
	for i := 0; i < 10; i++ {
		in := []string{}
		for j, n := 0, r.Intn(120); j < n; j++ {
			in = append(in, strings.Repeat("x", r.Intn(1+r.Intn(12)))+strconv.Itoa(j))
		}
		out := append([]string(nil), in...)
		sort.Sort(byLength(out))
		add("fuzzSort", in, out)
	}
}
