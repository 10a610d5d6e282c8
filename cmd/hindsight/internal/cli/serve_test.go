package cli

import (
	"bytes"
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestCheckAddr(t *testing.T) {
	tests := []struct {
		addr    string
		warn    bool
		errText string
	}{
		{addr: "127.0.0.1:1717"},
		{addr: "localhost:8080"},
		{addr: "[::1]:1717"},
		{addr: "127.0.0.2:0"},
		{addr: "0.0.0.0:1717", warn: true},
		{addr: "192.168.1.10:1717", warn: true},
		{addr: "[::]:1717", warn: true},
		{addr: ":1717", errText: "0.0.0.0:1717"},
		{addr: "1717", errText: "not HOST:PORT"},
		{addr: "127.0.0.1:http", errText: "not a number"},
		{addr: "127.0.0.1:70000", errText: "not a number"},
	}
	for _, tt := range tests {
		warn, err := checkAddr(tt.addr)
		if tt.errText != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errText) {
				t.Errorf("checkAddr(%q) error %v, want one with %q", tt.addr, err, tt.errText)
			}
			continue
		}
		if err != nil {
			t.Errorf("checkAddr(%q): %v", tt.addr, err)
		}
		if (warn != "") != tt.warn {
			t.Errorf("checkAddr(%q) warning %q, want warning=%v", tt.addr, warn, tt.warn)
		}
	}
}

func TestListenErrorPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	_, err = net.Listen("tcp", addr)
	if !errors.Is(err, syscall.EADDRINUSE) {
		t.Skipf("second listen: %v", err)
	}
	msg := listenError(addr, err).Error()
	if !strings.Contains(msg, "already in use") || !strings.Contains(msg, "--addr 127.0.0.1:") {
		t.Errorf("message %q does not say the port is taken and suggest --addr", msg)
	}
}

// TestSecurityServeAllowedHosts: serve answers the host of --addr when
// it is a name, and the names given with --allow-host; IP addresses need
// no entry (the server compares them with the connection's own address).
func TestSecurityServeAllowedHosts(t *testing.T) {
	tests := []struct {
		addr  string
		allow []string
		want  []string
	}{
		{"127.0.0.1:1717", nil, nil},
		{"0.0.0.0:1717", nil, nil},
		{"[::1]:1717", nil, nil},
		{"localhost:1717", nil, []string{"localhost"}},
		{"devbox.lan:1717", nil, []string{"devbox.lan"}},
		{"0.0.0.0:1717", []string{"devbox.lan", "preview.example.org"}, []string{"devbox.lan", "preview.example.org"}},
	}
	for _, tt := range tests {
		got := allowedHosts(serveFlags{addr: tt.addr, allowHosts: tt.allow})
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("--addr %s --allow-host %v: %v, want %v", tt.addr, tt.allow, got, tt.want)
		}
	}
}

// TestSecuritySearchCommandQueryLimits: `hindsight search` refuses a
// query over the parser's limits at once, with the limit in a short
// message (not the query echoed back).
func TestSecuritySearchCommandQueryLimits(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  string
	}{
		{strings.Repeat("outage ", 150000), "too long: 1050000 bytes, over the limit of 1000 bytes"},
		{strings.Repeat("outage ", 40), "more than 32 terms"},
	} {
		var out, errb bytes.Buffer
		start := time.Now()
		code := Main([]string{"--root", t.TempDir(), "search", tc.query}, strings.NewReader(""), &out, &errb)
		if took := time.Since(start); code != ExitFailure || !strings.Contains(errb.String(), tc.want) || errb.Len() > 2000 || took > time.Second {
			t.Errorf("%d bytes: exit %d in %s, stderr (%d bytes) %.300q; want %d and %q, short and quick",
				len(tc.query), code, took, errb.Len(), errb.String(), ExitFailure, tc.want)
		}
	}
}
