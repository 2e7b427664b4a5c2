package q

import (
	"context"
	"fmt"
	"math"
	"net"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Dialer holds the options for connecting to a kdb+ server; the zero Dialer connects without
// credentials or TLS.
type Dialer struct {
	// Credentials is "user:password" (or "user"), sent at login.
	Credentials string
	// TLS connects over TLS, configured as kdb+ is (KX_SSL_CA_CERT_FILE and friends).
	TLS bool
}

// Dial connects to the kdb+ server at addr ("host:port"; host 0.0.0.0 uses the server's Unix
// socket) with the zero Dialer.
func Dial(ctx context.Context, addr string) (*Conn, error) {
	var d Dialer
	return d.Dial(ctx, addr)
}

// Dial connects to the kdb+ server at addr. ctx's deadline bounds connecting and logging in;
// if ctx ends first Dial returns at once, and the connection, should it still be made, is
// closed.
func (d *Dialer) Dial(ctx context.Context, addr string) (*Conn, error) {
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 1 || port > 65535 {
		return nil, fmt.Errorf("q: bad port in %q", addr)
	}
	if host == "" {
		host = "localhost"
	}
	timeout := 0
	if deadline, ok := ctx.Deadline(); ok {
		ms := time.Until(deadline).Milliseconds()
		if ms <= 0 {
			return nil, context.DeadlineExceeded
		}
		timeout = int(min(ms, math.MaxInt32))
	}
	capability := 0
	if d.TLS {
		capability |= 2
	}
	type opened struct {
		h   int32
		err error
	}
	done := make(chan opened, 1)
	go func() {
		h, err := open(host, port, d.Credentials, timeout, capability)
		done <- opened{h, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			return nil, o.err
		}
		return &Conn{h: o.h}, nil
	case <-ctx.Done():
		go func() {
			if o := <-done; o.err == nil {
				closeHandle(o.h)
			}
		}()
		return nil, ctx.Err()
	}
}

// Conn is a connection to a kdb+ server, safe for use by several goroutines (their calls take
// turns). A call whose context ends before its answer comes closes the connection, as the
// answer could still arrive and be taken for the next call's.
type Conn struct {
	// mu is held for reading by each call in flight, for writing while the handle closes, so
	// no call can use the handle's number once it is given back (and maybe reused).
	mu sync.RWMutex
	h  int32
	// broken is why the connection was shut (nil while it works); set under mu's read side,
	// so guarded by brokenMu.
	brokenMu sync.Mutex
	broken   error
}

// Call sends a synchronous request and returns the answer: Call(ctx, "2+2"), or a function
// applied to arguments, Call(ctx, "upd", Symbol("trade"), rows), as h(f;x;y) in q. A q error
// on the server is an *Error.
func (c *Conn) Call(ctx context.Context, expr string, args ...any) (*K, error) {
	return c.do(ctx, func(h int32) (ptr, error) {
		ks, err := encodeArgs(args)
		if err != nil {
			return nil, err
		}
		return call(h, expr, ks)
	})
}

// Async sends an asynchronous message (neg[h] in q) and does not wait for an answer.
func (c *Conn) Async(ctx context.Context, expr string, args ...any) error {
	r, err := c.do(ctx, func(h int32) (ptr, error) {
		ks, err := encodeArgs(args)
		if err != nil {
			return nil, err
		}
		return call(-h, expr, ks)
	})
	r.Release()
	return err
}

// Receive waits for the next message the server sends (a subscription's updates, say).
func (c *Conn) Receive(ctx context.Context) (*K, error) {
	return c.do(ctx, receive)
}

func (c *Conn) do(ctx context.Context, f func(int32) (ptr, error)) (*K, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.h == 0 {
		return nil, ErrClosed
	}
	if err := c.brokenErr(); err != nil {
		return nil, err
	}
	h := c.h
	aborted := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		c.shut(h, ctx.Err())
		close(aborted)
	})
	r, err := f(h)
	if !stop() {
		// The context ended during the call: wait until the socket is shut, then report that.
		<-aborted
		r0(r)
		return nil, fmt.Errorf("q: connection closed: %w", ctx.Err())
	}
	if err != nil {
		return nil, err
	}
	return result(r)
}

// shut ends the connection's use without giving back its handle: a blocked read wakes, and
// later calls fail with why.
func (c *Conn) shut(h int32, why error) {
	c.brokenMu.Lock()
	if c.broken == nil {
		c.broken = fmt.Errorf("q: connection closed: %w", why)
	}
	c.brokenMu.Unlock()
	_ = syscall.Shutdown(int(h), syscall.SHUT_RDWR)
}

func (c *Conn) brokenErr() error {
	c.brokenMu.Lock()
	defer c.brokenMu.Unlock()
	return c.broken
}

// Close closes the connection; calls in flight return an error.
func (c *Conn) Close() error {
	if !c.mu.TryLock() {
		// Calls are in flight: wake them (under the read side, so the handle is still ours).
		c.mu.RLock()
		if c.h != 0 {
			c.shut(c.h, ErrClosed)
		}
		c.mu.RUnlock()
		c.mu.Lock()
	}
	defer c.mu.Unlock()
	if c.h == 0 {
		return ErrClosed
	}
	closeHandle(c.h)
	c.h = 0
	return nil
}

// Handle is the connection's kdb+ handle (its socket's descriptor); 0 once closed.
func (c *Conn) Handle() int32 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.h
}
