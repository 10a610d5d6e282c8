package running

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/search"
)

// file is where a running `hindsight serve` records its address.
func file(root string) string {
	return filepath.Join(root, ".hindsight", "serve.json")
}

// record is the content of file.
type record struct {
	URL string `json:"url"`
	PID int    `json:"pid"`
}

// Record writes .hindsight/serve.json under root with the server's URL
// and this process's id, and returns a function that removes it (only if
// it is still this process's record), or nil when it could not be
// written.
func Record(root, url string) func() {
	p := file(root)
	b, _ := json.Marshal(record{URL: url, PID: os.Getpid()})
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return nil
	}
	return func() {
		if cur, err := os.ReadFile(p); err == nil && string(cur) == string(b) {
			_ = os.Remove(p)
		}
	}
}

// Search sends the query text to the running serve recorded for root,
// with o's limit and facets, and returns its result and its URL; ok is
// false when there is none or it does not answer within five seconds.
func Search(ctx context.Context, root, text string, o search.SearchOptions) (res *search.Result, serverURL string, ok bool) {
	b, err := os.ReadFile(file(root))
	if err != nil {
		return nil, "", false
	}
	var rec record
	if json.Unmarshal(b, &rec) != nil || !strings.HasPrefix(rec.URL, "http://") || !onThisMachine(rec.URL) {
		return nil, "", false
	}
	// A record left by a serve that died is ignored: its process is gone.
	if rec.PID <= 0 || !processAlive(rec.PID) {
		return nil, "", false
	}
	v := url.Values{"q": {text}, "limit": {strconv.Itoa(o.Limit)}}
	if o.Facets {
		v.Set("facets", "1")
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rec.URL+"api/search?"+v.Encode(), nil)
	if err != nil {
		return nil, "", false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, "", false
	}
	defer resp.Body.Close()
	var r search.Result
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&r) != nil {
		return nil, "", false
	}
	return &r, rec.URL, true
}

// onThisMachine reports whether u names a server on this machine: a
// loopback address, localhost, or an address of one of its interfaces
// (serve --addr on a LAN address). The record is a file in the KB's
// folder, which a pull request can add: a record naming another host
// would send the user's queries there and print its answers.
func onThisMachine(u string) bool {
	p, err := url.Parse(u)
	if err != nil || p.User != nil || p.Port() == "" || (p.Path != "/" && p.Path != "") || p.RawQuery != "" {
		return false
	}
	host := p.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false // a name: never resolved
	}
	if ip.IsLoopback() {
		return true
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.Equal(ip) {
			return true
		}
	}
	return false
}
