// Command conformance is reconfd's oracle: it renders every conformance case
// with real Go text/template (Go 1.19, the version confd is built with) and
// confd's function library, and writes the expected results that
// tests/conformance/golden_test.ts compares reconfd's engine against.
//
// Usage (normally through scripts/conformance/generate):
//
//	go run . -cases ../../tests/conformance/cases -golden ../../tests/golden
//
// With -stdin it is a filter for differential testing instead (random templates from a
// generator, compared with reconfd's output): it reads cases as JSON lines and writes one
// golden entry per line, in order, with an output that is not valid UTF-8 given as
// {"name": ..., "bytes": "<base64>"} rather than refused.
//
// Case tables: tests/conformance/cases/<area>.json holds an array of
//
//	{ "name":       unique within the file, says the behaviour
//	  "template":   template text, parsed under the name "t.tmpl"
//	  "data":       optional JSON; dot, decoded by encoding/json into interface{}
//	  "kv":         optional { "/key": "value" }; the confd store contents
//	  "funcs":      "confd" (default: confd's FuncMap over the store) or "none"
//	  "env":        optional { "NAME": "value" }; all that getenv sees
//	  "missingkey": optional "default" | "invalid" | "zero" | "error"
//	  "delims":     optional ["[[", "]]"] }
//
// Golden files: tests/golden/<area>.json holds, in case order, one line per case:
//
//	{"name": ..., "output": "..."}  or  {"name": ..., "error": "Go's full error text"}
//
// A parse error or an execution error records only the error (output written
// before an execution error is dropped). Outputs must be valid UTF-8 so that
// JSON can carry them; wrap byte-level results in printf "%q" or "%x".
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"
	"unicode/utf8"

	"reconfd.local/conformance/memkv"
)

// Case is one row of a case table.
type Case struct {
	Name       string            `json:"name"`
	Template   string            `json:"template"`
	Data       json.RawMessage   `json:"data,omitempty"`
	KV         map[string]string `json:"kv,omitempty"`
	Funcs      string            `json:"funcs,omitempty"`
	Env        map[string]string `json:"env,omitempty"`
	MissingKey string            `json:"missingkey,omitempty"`
	Delims     []string          `json:"delims,omitempty"`
}

// Golden is one expected result.
type Golden struct {
	Name   string  `json:"name"`
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
	// Bytes (base64) replaces Output when it is not valid UTF-8; only in -stdin mode.
	Bytes *string `json:"bytes,omitempty"`
}

func main() {
	casesDir := flag.String("cases", "tests/conformance/cases", "directory of case tables")
	goldenDir := flag.String("golden", "tests/golden", "directory to write golden files into")
	stdin := flag.Bool("stdin", false, "filter JSON-lines cases from stdin to JSON-lines results on stdout")
	flag.Parse()
	if *stdin {
		if err := filter(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "conformance:", err)
			os.Exit(1)
		}
		return
	}
	if err := generate(*casesDir, *goldenDir); err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		os.Exit(1)
	}
}

func generate(casesDir, goldenDir string) error {
	files, err := filepath.Glob(filepath.Join(casesDir, "*.json"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	written := map[string]bool{}
	total := 0
	for _, file := range files {
		cases, err := readCases(file)
		if err != nil {
			return err
		}
		var out bytes.Buffer
		out.WriteString("[\n")
		for i, c := range cases {
			g, err := runCase(c, false)
			if err != nil {
				return fmt.Errorf("%s: case %q: %w", file, c.Name, err)
			}
			line, err := marshal(g)
			if err != nil {
				return err
			}
			out.Write(line)
			if i < len(cases)-1 {
				out.WriteString(",")
			}
			out.WriteString("\n")
		}
		out.WriteString("]\n")
		base := filepath.Base(file)
		if err := os.WriteFile(filepath.Join(goldenDir, base), out.Bytes(), 0o644); err != nil {
			return err
		}
		written[base] = true
		total += len(cases)
	}
	// A golden file without a case table is stale: remove it so the harness's
	// "every golden entry has a case" check stays meaningful.
	old, err := filepath.Glob(filepath.Join(goldenDir, "*.json"))
	if err != nil {
		return err
	}
	for _, f := range old {
		if !written[filepath.Base(f)] {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	fmt.Printf("conformance: %d cases in %d files\n", total, len(files))
	return nil
}

func readCases(file string) ([]Case, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var cases []Case
	if err := dec.Decode(&cases); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	seen := map[string]bool{}
	for _, c := range cases {
		switch {
		case c.Name == "":
			return nil, fmt.Errorf("%s: a case has no name", file)
		case seen[c.Name]:
			return nil, fmt.Errorf("%s: duplicate case name %q", file, c.Name)
		case c.Funcs != "" && c.Funcs != "confd" && c.Funcs != "none":
			return nil, fmt.Errorf("%s: case %q: funcs must be \"confd\" or \"none\"", file, c.Name)
		case c.Delims != nil && len(c.Delims) != 2:
			return nil, fmt.Errorf("%s: case %q: delims needs two strings", file, c.Name)
		}
		seen[c.Name] = true
	}
	return cases, nil
}

// filter renders each JSON-lines case from r and writes its result line to w.
func filter(r io.Reader, w io.Writer) error {
	dec := json.NewDecoder(bufio.NewReader(r))
	dec.DisallowUnknownFields()
	out := bufio.NewWriter(w)
	defer out.Flush()
	for {
		var c Case
		if err := dec.Decode(&c); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		g, err := runCase(c, true)
		if err != nil {
			return fmt.Errorf("case %q: %w", c.Name, err)
		}
		line, err := marshal(g)
		if err != nil {
			return err
		}
		out.Write(line)
		out.WriteString("\n")
	}
}

// runCase renders one case the way confd does: template.New(name).Funcs(...).Parse(text).
// With rawBytes, an output that is not valid UTF-8 is returned base64-encoded instead of refused.
func runCase(c Case, rawBytes bool) (Golden, error) {
	g := Golden{Name: c.Name}
	store := memkv.New()
	for k, v := range c.KV {
		store.Set(k, v)
	}
	t := template.New("t.tmpl")
	if c.Funcs != "none" {
		t.Funcs(confdFuncs(store, c.Env))
	}
	if c.MissingKey != "" {
		t.Option("missingkey=" + c.MissingKey)
	}
	if c.Delims != nil {
		t.Delims(c.Delims[0], c.Delims[1])
	}
	var data interface{}
	if len(c.Data) > 0 {
		if err := json.Unmarshal(c.Data, &data); err != nil {
			return g, fmt.Errorf("bad data: %w", err)
		}
	}
	if _, err := t.Parse(c.Template); err != nil {
		msg := err.Error()
		g.Error = &msg
		return g, nil
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		msg := err.Error()
		g.Error = &msg
		return g, nil
	}
	if !utf8.Valid(buf.Bytes()) && rawBytes {
		b := base64.StdEncoding.EncodeToString(buf.Bytes())
		g.Bytes = &b
		return g, nil
	}
	if !utf8.Valid(buf.Bytes()) {
		return g, fmt.Errorf("output is not valid UTF-8 (%q); wrap it in printf \"%%q\"", buf.String())
	}
	out := buf.String()
	g.Output = &out
	return g, nil
}

// marshal writes one entry on one line without HTML escaping, so diffs stay readable.
func marshal(g Golden) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(g); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(b.String(), "\n")), nil
}
