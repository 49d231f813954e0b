// The oracle's own Go implementation of confd's template function library
// (confd HEAD resource/template/template_funcs.go plus memkv's store
// functions), with confd's exact Go signatures: text/template converts and
// checks arguments from them, so they decide the argument error texts.
//
// Differences from confd, on purpose, because the golden files describe reconfd:
//   - reverse also reverses memkv.KVPairs (what gets returns); confd's type
//     switch misses that named type and returns it unchanged.
//   - ls "/" and lsdir "/" list top-level entries (see memkv/memkv.go).
//   - getenv reads the case's env table instead of the process environment.
//   - lookupIP/lookupIPV4/lookupIPV6/lookupSRV never touch DNS; cases only
//     exercise their argument checking, which happens before the call.
package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"reconfd.local/conformance/memkv"
)

func confdFuncs(store memkv.Store, env map[string]string) map[string]interface{} {
	getenv := func(key string, v ...string) string {
		def := ""
		if len(v) > 0 {
			def = v[0]
		}
		if value := env[key]; value != "" {
			return value
		}
		return def
	}
	return map[string]interface{}{
		"base":           path.Base,
		"split":          strings.Split,
		"json":           unmarshalJSONObject,
		"jsonArray":      unmarshalJSONArray,
		"dir":            path.Dir,
		"map":            createMap,
		"getenv":         getenv,
		"join":           strings.Join,
		"datetime":       time.Now,
		"toUpper":        strings.ToUpper,
		"toLower":        strings.ToLower,
		"contains":       strings.Contains,
		"replace":        strings.Replace,
		"trimSuffix":     strings.TrimSuffix,
		"lookupIP":       func(string) []string { return nil },
		"lookupIPV4":     func(string) []string { return nil },
		"lookupIPV6":     func(string) []string { return nil },
		"lookupSRV":      func(service, proto, name string) []*net.SRV { return []*net.SRV{} },
		"fileExists":     fileExists,
		"base64Encode":   func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) },
		"base64Decode":   base64Decode,
		"parseBool":      strconv.ParseBool,
		"reverse":        reverse,
		"sortByLength":   sortByLength,
		"sortKVByLength": sortKVByLength,
		"add":            func(a, b int) int { return a + b },
		"sub":            func(a, b int) int { return a - b },
		"div":            func(a, b int) int { return a / b },
		"mod":            func(a, b int) int { return a % b },
		"mul":            func(a, b int) int { return a * b },
		"seq":            seq,
		"atoi":           strconv.Atoi,
		// memkv's store functions, added last as confd does.
		"exists": store.Exists,
		"ls":     store.List,
		"lsdir":  store.ListDir,
		"get":    store.Get,
		"gets":   store.GetAll,
		"getv":   store.GetValue,
		"getvs":  store.GetAllValues,
	}
}

func unmarshalJSONObject(data string) (map[string]interface{}, error) {
	var ret map[string]interface{}
	err := json.Unmarshal([]byte(data), &ret)
	return ret, err
}

func unmarshalJSONArray(data string) ([]interface{}, error) {
	var ret []interface{}
	err := json.Unmarshal([]byte(data), &ret)
	return ret, err
}

func createMap(values ...interface{}) (map[string]interface{}, error) {
	if len(values)%2 != 0 {
		return nil, errors.New("invalid map call")
	}
	dict := make(map[string]interface{}, len(values)/2)
	for i := 0; i < len(values); i += 2 {
		key, ok := values[i].(string)
		if !ok {
			return nil, errors.New("map keys must be strings")
		}
		dict[key] = values[i+1]
	}
	return dict, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return !os.IsNotExist(err)
}

func base64Decode(data string) (string, error) {
	s, err := base64.StdEncoding.DecodeString(data)
	return string(s), err
}

func seq(first, last int) []int {
	var arr []int
	for i := first; i <= last; i++ {
		arr = append(arr, i)
	}
	return arr
}

type byLength []string

func (s byLength) Len() int           { return len(s) }
func (s byLength) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }
func (s byLength) Less(i, j int) bool { return len(s[i]) < len(s[j]) }

func sortByLength(values []string) []string {
	sort.Sort(byLength(values))
	return values
}

type byKeyLength []memkv.KVPair

func (s byKeyLength) Len() int           { return len(s) }
func (s byKeyLength) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }
func (s byKeyLength) Less(i, j int) bool { return len(s[i].Key) < len(s[j].Key) }

func sortKVByLength(values []memkv.KVPair) []memkv.KVPair {
	sort.Sort(byKeyLength(values))
	return values
}

// reverse reverses in place and returns its argument; other types pass through.
func reverse(values interface{}) interface{} {
	switch v := values.(type) {
	case []string:
		for l, r := 0, len(v)-1; l < r; l, r = l+1, r-1 {
			v[l], v[r] = v[r], v[l]
		}
	case []memkv.KVPair:
		reversePairs(v)
	case memkv.KVPairs: // reconfd only; confd leaves gets results as they are
		reversePairs(v)
	}
	return values
}

func reversePairs(v []memkv.KVPair) {
	for l, r := 0, len(v)-1; l < r; l, r = l+1, r-1 {
		v[l], v[r] = v[r], v[l]
	}
}
