package trend_test

import (
	"context"
	"net"

	"github.com/chromedp/chromedp"
)

// netListen listens on a free port of 127.0.0.1 only.
func netListen() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

// cancelCtx closes the browser tab so the console iterator ends.
func cancelCtx(ctx context.Context) { _ = chromedp.Cancel(ctx) }
