// Shard files: the number encoding, the hashing of keys to shards and
// the writing of a shard's JSON object.

package static

import (
	"encoding/json"
	"strconv"
)

// numLen is the length of appendNum(nil, v).
func numLen(v int) int {
	n := 1
	for h := v / numLow; h > 0; h /= numHigh {
		n++
	}
	return n
}

// fnvAdd continues the FNV-1a hash h (2166136261 to start) over s.
func fnvAdd[S ~string | ~[]byte](h uint32, s S) uint32 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// Numbers in shards are written as strings of printable ASCII (no
// character JSON escapes), each number a run of "high" digits (base 24)
// ended by one "low" digit (base 64): v = (…(h1·24 + h2)·24 …)·64 + low.
// Numbers below 64 take one character, below 1,536 two, below 36,864
// three; the decimal JSON arrays of format 4 took about twice the bytes.
const (
	// numDigits is the alphabet: '#' to '~' without '&', '<', '>' and
	// '\'; the first 64 are low digits, the last 24 high digits.
	numDigits = "#$%'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~"
	numLow    = 64
	numHigh   = len(numDigits) - numLow
)

// appendNum appends the non-negative number v, encoded as described at
// numDigits.
func appendNum(b []byte, v int) []byte {
	if v < numLow {
		return append(b, numDigits[v])
	}
	var tmp [16]byte
	i := len(tmp) - 1
	tmp[i] = numDigits[v%numLow]
	for h := v / numLow; h > 0; h /= numHigh {
		i--
		tmp[i] = numDigits[numLow+h%numHigh]
	}
	return append(b, tmp[i:]...)
}

func shardCount(total, size int) int {
	n := (total + size - 1) / size
	if n < 1 {
		n = 1
	}
	return n
}

// Shard returns the shard number of a key: FNV-1a (32 bit) of its UTF-8
// bytes modulo n. search.js computes the same.
func Shard(key string, n int) int { return shard(key, n) }

func shard(key string, n int) int { return int(fnv1a(key) % uint32(n)) }

// fnv1a is the 32-bit FNV-1a hash of key's bytes.
func fnv1a(key string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h = (h ^ uint32(key[i])) * 16777619
	}
	return h
}

// shardEntry is one key of a shard and its value: numbers written by
// appendNum (a JSON string without its quotes).
type shardEntry struct {
	key  string
	val  []byte
	list *segList // the value instead of val, in writeShards' byteLog
	solo bool     // a tiered term's: in a t/s<h>.json file whatever its size
}

// len is the length of e's value.
func (e *shardEntry) len() int {
	if e.list != nil {
		return int(e.list.n)
	}
	return len(e.val)
}

// writeShards writes entries, sorted by key, into files: key k goes to
// the file name(file(k)), a JSON object {"key":"val",…} with its keys
// sorted (as json.Marshal sorts a map's). Each file's size is counted
// first, so its buffer is made once (a growing slice of entries per file
// cost 30 MB at 10,000 postmortems).
func writeShards(files map[string][]byte, log *byteLog, entries []shardEntry, file func(key string) uint64, name func(uint64) string) {
	idx := map[uint64]int32{} // file → part; shard numbers use small
	var small []int32         // small[f] - 1 for f < len(small)
	var ids []uint64          // file of each part
	var sizes []int           // bytes of each part's entries
	part := make([]int32, len(entries))
	for i, e := range entries {
		f := file(e.key)
		var k int32
		if f < 1<<16 {
			if int(f) >= len(small) {
				small = append(small, make([]int32, int(f)+1-len(small))...)
			}
			k = small[f] - 1
			if k < 0 {
				k = int32(len(ids))
				small[f] = k + 1
				ids = append(ids, f)
				sizes = append(sizes, 0)
			}
		} else {
			var ok bool
			if k, ok = idx[f]; !ok {
				k = int32(len(ids))
				idx[f] = k
				ids = append(ids, f)
				sizes = append(sizes, 0)
			}
		}
		part[i] = k
		sizes[k] += len(e.key) + e.len() + 6
	}
	// Entries are sorted: appended in turn to their files, each file's
	// stay sorted.
	bufs := make([][]byte, len(ids))
	for k := range bufs {
		bufs[k] = make([]byte, 1, sizes[k]+2)
		bufs[k][0] = '{'
	}
	for i := range entries {
		e := &entries[i]
		b := bufs[part[i]]
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = appendString(b, e.key)
		b = append(b, ':', '"')
		if e.list != nil {
			b = log.appendTo(b, e.list)
		} else {
			b = append(b, e.val...)
		}
		bufs[part[i]] = append(b, '"')
	}
	for k, b := range bufs {
		files[name(ids[k])] = append(b, '}')
	}
}

// hashShards returns the file and name functions of writeShards for n
// shards prefix<k>.json, key k in Shard(k, n); every shard is written,
// also an empty one ({}).
func hashShards(files map[string][]byte, prefix string, n int) (func(string) uint64, func(uint64) string) {
	for k := 0; k < n; k++ {
		files[prefix+strconv.Itoa(k)+".json"] = []byte("{}")
	}
	return func(key string) uint64 { return uint64(shard(key, n)) },
		func(k uint64) string { return prefix + strconv.FormatUint(k, 10) + ".json" }
}

// appendString appends s as a JSON string, escaped as json.Marshal does.
func appendString[S ~string | ~[]byte](b []byte, s S) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(string(s))
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
