// Package memkv is the oracle's own model of confd's in-memory key/value
// store (github.com/kelseyhightower/memkv as vendored by confd HEAD). It is
// named memkv so that Go prints its types as confd does: memkv.KVPair,
// memkv.KVPairs. Behaviour follows the confd spec (§7.2 store functions), with one
// deliberate difference that reconfd makes: List("/") and ListDir("/") list
// the top-level entries (confd returns only top-level leaves, or nothing).
package memkv

import (
	"errors"
	"path"
	"sort"
	"strings"
)

// ErrNotExist is the cause of every failed exact lookup.
var ErrNotExist = errors.New("key does not exist")

// KeyError names the key a lookup failed on; its text is "key does not exist: /k".
type KeyError struct {
	Key string
	Err error
}

func (e *KeyError) Error() string { return e.Err.Error() + ": " + e.Key }

// KVPair is what `get` returns and `gets` lists.
type KVPair struct {
	Key   string
	Value string
}

// Depth is the number of slashes in the key (memkv has this method; templates may call it).
func (kv KVPair) Depth() int { return strings.Count(kv.Key, "/") }

// KVPairs sorts by key, as confd's gets does.
type KVPairs []KVPair

func (ks KVPairs) Len() int           { return len(ks) }
func (ks KVPairs) Less(i, j int) bool { return ks[i].Key < ks[j].Key }
func (ks KVPairs) Swap(i, j int)      { ks[i], ks[j] = ks[j], ks[i] }

// Store maps exact (already cleaned) keys to pairs.
type Store struct {
	m map[string]KVPair
}

// New returns an empty store.
func New() Store { return Store{m: map[string]KVPair{}} }

// Set stores value under key, replacing any earlier value.
func (s Store) Set(key, value string) { s.m[key] = KVPair{key, value} }

// sortedKeys gives a fixed visiting order; memkv ranges over a Go map, which
// only matters for the error a bad glob pattern reports, and Go 1.19's
// path.Match checks the whole pattern, so the order never shows.
func (s Store) sortedKeys() []string {
	keys := make([]string, 0, len(s.m))
	for k := range s.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Exists reports whether key is stored exactly.
func (s Store) Exists(key string) bool {
	_, err := s.Get(key)
	return err == nil
}

// Get returns the pair stored under key.
func (s Store) Get(key string) (KVPair, error) {
	kv, ok := s.m[key]
	if !ok {
		return kv, &KeyError{key, ErrNotExist}
	}
	return kv, nil
}

// GetValue returns the value under key, or the first default when key is absent.
func (s Store) GetValue(key string, v ...string) (string, error) {
	kv, err := s.Get(key)
	if err != nil {
		if len(v) > 0 {
			return v[0], nil
		}
		return "", err
	}
	return kv.Value, nil
}

// GetAll returns the pairs whose keys match the path.Match pattern, sorted by key.
func (s Store) GetAll(pattern string) (KVPairs, error) {
	ks := make(KVPairs, 0)
	for _, k := range s.sortedKeys() {
		ok, err := path.Match(pattern, k)
		if err != nil {
			return nil, err
		}
		if ok {
			ks = append(ks, s.m[k])
		}
	}
	sort.Sort(ks)
	return ks, nil
}

// GetAllValues returns the values of the matching keys, sorted by value.
func (s Store) GetAllValues(pattern string) ([]string, error) {
	vs := make([]string, 0)
	ks, err := s.GetAll(pattern)
	if err != nil {
		return vs, err
	}
	for _, kv := range ks {
		vs = append(vs, kv.Value)
	}
	sort.Strings(vs)
	return vs, nil
}

// List returns the sorted names of the children of filePath (memkv's algorithm).
func (s Store) List(filePath string) []string {
	if path.Clean(filePath) == "/" {
		return s.listRoot(false)
	}
	set := map[string]bool{}
	prefix := terms(filePath)
	for _, k := range s.sortedKeys() {
		if k == filePath {
			set[path.Base(k)] = true
			continue
		}
		if hasPrefixTerms(terms(path.Dir(k)), prefix) {
			set[strings.Split(stripKey(k, filePath), "/")[0]] = true
		}
	}
	return sortedSet(set)
}

// ListDir returns the sorted names of the children of filePath that have children.
func (s Store) ListDir(filePath string) []string {
	if path.Clean(filePath) == "/" {
		return s.listRoot(true)
	}
	set := map[string]bool{}
	prefix := terms(filePath)
	for _, k := range s.sortedKeys() {
		if !strings.HasPrefix(k, filePath) {
			continue
		}
		items := terms(path.Dir(k))
		if hasPrefixTerms(items, prefix) && len(items) > len(prefix) {
			set[items[len(prefix)]] = true
		}
	}
	return sortedSet(set)
}

// listRoot is reconfd's deliberate fix: the first segment of every absolute
// key (ls), or of every key with more than one segment (lsdir).
func (s Store) listRoot(dirsOnly bool) []string {
	set := map[string]bool{}
	for _, k := range s.sortedKeys() {
		if !strings.HasPrefix(k, "/") {
			continue
		}
		parts := strings.Split(k[1:], "/")
		if parts[0] == "" || (dirsOnly && len(parts) < 2) {
			continue
		}
		set[parts[0]] = true
	}
	return sortedSet(set)
}

func stripKey(key, prefix string) string {
	return strings.TrimPrefix(strings.TrimPrefix(key, prefix), "/")
}

func terms(p string) []string { return strings.Split(path.Clean(p), "/") }

// hasPrefixTerms reports whether test begins with all of prefix's components.
func hasPrefixTerms(test, prefix []string) bool {
	if len(test) < len(prefix) {
		return false
	}
	for i := range prefix {
		if prefix[i] != test[i] {
			return false
		}
	}
	return true
}

func sortedSet(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
