package site

import (
	"context"
	"os"
	"testing"
	"time"
)

// TestDevBuild builds HINDSIGHT_DEV_ROOT into HINDSIGHT_DEV_OUT ignoring
// check errors (a development aid; skipped unless set).
func TestDevBuild(t *testing.T) {
	root, out := os.Getenv("HINDSIGHT_DEV_ROOT"), os.Getenv("HINDSIGHT_DEV_OUT")
	if root == "" || out == "" {
		t.Skip("HINDSIGHT_DEV_ROOT and HINDSIGHT_DEV_OUT not set")
	}
	opts := Options{Root: root, Out: out, Audience: os.Getenv("HINDSIGHT_DEV_AUDIENCE"), Now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC), Force: true}
	s, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Write(context.Background(), s, out, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", st)
}
