package cli_test

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestSecurity runs the hostile-input scripts in testdata/security/, one
// per item of the threat model in SECURITY.md: each builds a KB as an
// attacker who controls a pull request would, and asserts what hindsight
// refuses. Besides the commands of TestScripts, these scripts have:
//
//	mkfifo PATH                      make a named pipe (unix)
//	gen OUT HEAD PATTERN N [TAIL]    write HEAD, PATTERN N times (%d is the
//	                                 repeat's number, \n a newline), then TAIL
//	nowhere DIR TEXT                 no file under DIR holds TEXT (any case)
//	somewhere DIR TEXT               some file under DIR holds TEXT (any case)
//	mode PATH PERM                   PATH has permission bits PERM (octal)
//	httpget [-host H] [-qwords N] [-headers] URL
//	                                 GET URL (retrying while the server is
//	                                 not up or answers 503); stdout is the status code, a line,
//	                                 the headers when asked, and the body;
//	                                 -qwords appends a query of N words
//
// $PORT is a free port on 127.0.0.1 for scripts that start serve.
func TestSecurity(t *testing.T) {
	cmds := scriptCmds()
	cmds["mkfifo"] = cmdMkfifo
	cmds["gen"] = cmdGen
	cmds["nowhere"] = func(ts *testscript.TestScript, neg bool, args []string) { cmdFind(ts, neg, args, false) }
	cmds["somewhere"] = func(ts *testscript.TestScript, neg bool, args []string) { cmdFind(ts, neg, args, true) }
	cmds["mode"] = cmdMode
	cmds["httpget"] = cmdHTTPGet
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/security",
		UpdateScripts: *update,
		Setup: func(e *testscript.Env) error {
			e.Setenv("HINDSIGHT_NOW", "2026-11-27")
			e.Setenv("NO_COLOR", "1")
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return err
			}
			port := l.Addr().(*net.TCPAddr).Port
			l.Close()
			e.Setenv("PORT", strconv.Itoa(port))
			return nil
		},
		Cmds: cmds,
	})
}

func cmdGen(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 4 || len(args) > 5 {
		ts.Fatalf("usage: gen OUT HEAD PATTERN N [TAIL]")
	}
	n, err := strconv.Atoi(args[3])
	if err != nil {
		ts.Fatalf("gen: %v", err)
	}
	var b bytes.Buffer
	b.WriteString(ts.ReadFile(args[1]))
	pat := strings.ReplaceAll(args[2], `\n`, "\n")
	numbered := strings.Contains(pat, "%d")
	for i := 0; i < n; i++ {
		if numbered {
			fmt.Fprintf(&b, pat, i)
		} else {
			b.WriteString(pat)
		}
	}
	if len(args) == 5 {
		b.WriteString(ts.ReadFile(args[4]))
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), b.Bytes(), 0o644))
}

func cmdFind(ts *testscript.TestScript, neg bool, args []string, want bool) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: nowhere|somewhere DIR TEXT")
	}
	text := bytes.ToLower([]byte(args[1]))
	var found []string
	err := filepath.WalkDir(ts.MkAbs(args[0]), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(bytes.ToLower(b), text) {
			found = append(found, p)
		}
		return nil
	})
	ts.Check(err)
	switch {
	case want && len(found) == 0:
		ts.Fatalf("no file under %s holds %q", args[0], args[1])
	case !want && len(found) > 0:
		ts.Fatalf("%q is in %s", args[1], strings.Join(found, ", "))
	}
}

func cmdMode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: mode PATH PERM")
	}
	want, err := strconv.ParseUint(args[1], 8, 32)
	ts.Check(err)
	st, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	if got := st.Mode().Perm(); (got == fs.FileMode(want)) == neg {
		ts.Fatalf("%s has mode %o, want %s%o", args[0], got, map[bool]string{true: "not ", false: ""}[neg], want)
	}
}

func cmdHTTPGet(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("usage: httpget [-host H] [-qwords N] [-headers] URL")
	}
	var host string
	var words int
	var headers bool
	for len(args) > 1 {
		switch args[0] {
		case "-host":
			host, args = args[1], args[2:]
		case "-qwords":
			n, err := strconv.Atoi(args[1])
			ts.Check(err)
			words, args = n, args[2:]
		case "-headers":
			headers, args = true, args[1:]
		default:
			ts.Fatalf("httpget: unknown flag %s", args[0])
		}
	}
	if len(args) != 1 {
		ts.Fatalf("usage: httpget [-host H] [-qwords N] [-headers] URL")
	}
	url := args[0]
	if words > 0 {
		url += "?q=" + strings.TrimSuffix(strings.Repeat("word+", words), "+")
	}
	req, err := http.NewRequest("GET", url, nil)
	ts.Check(err)
	if host != "" {
		req.Host = host
	}
	client := &http.Client{Timeout: 20 * time.Second}
	var resp *http.Response
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err = client.Do(req)
		if err == nil && resp.StatusCode != http.StatusServiceUnavailable || time.Now().After(deadline) {
			break
		}
		if err == nil {
			resp.Body.Close()
		}
		time.Sleep(100 * time.Millisecond)
	}
	ts.Check(err)
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	ts.Check(err)
	var out strings.Builder
	fmt.Fprintf(&out, "%d\n", resp.StatusCode)
	if headers {
		for k, vs := range resp.Header {
			for _, v := range vs {
				fmt.Fprintf(&out, "%s: %s\n", k, v)
			}
		}
	}
	out.Write(body)
	ts.Stdout().Write([]byte(out.String()))
}
