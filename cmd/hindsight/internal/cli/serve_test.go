package cli

import (
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
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
