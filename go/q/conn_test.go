package q

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// server starts tests/net/kdb_server.py, a kdb+ server built on aiokdb's serializer (an
// independent implementation of the wire format), on a free loopback port. Without Python and
// aiokdb the test fails, unless LIBQ_NET_TESTS_OPTIONAL=1 skips it.
func server(t *testing.T, args ...string) string {
	t.Helper()
	python := os.Getenv("LIBQ_PYTHON")
	if python == "" {
		python = "python3"
	}
	cmd := exec.Command(python, append([]string{"../../tests/net/kdb_server.py"}, args...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	var line string
	if err == nil {
		t.Cleanup(func() {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		})
		line, _ = bufio.NewReader(out).ReadString('\n')
		if port, ok := strings.CutPrefix(strings.TrimSpace(line), "PORT "); ok {
			if _, err := strconv.Atoi(port); err == nil {
				return "127.0.0.1:" + port
			}
		}
	}
	msg := "the test server did not start (needs python3 with aiokdb: pip install aiokdb): " + line
	if err != nil {
		msg += err.Error()
	}
	if os.Getenv("LIBQ_NET_TESTS_OPTIONAL") == "1" {
		t.Skip("LIBQ_NET_TESTS_OPTIONAL=1: " + msg)
	}
	t.Fatal(msg + " (LIBQ_NET_TESTS_OPTIONAL=1 skips)")
	return ""
}

func TestConnCall(t *testing.T) {
	addr := server(t)
	d := Dialer{Credentials: "gopher:pw"}
	c, err := d.Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if v, err := EvalAs[int64](ctx, "{x}", must(c.Call(ctx, "2+2"))); err != nil || v != 4 {
		t.Errorf("2+2: %v %v", v, err)
	}
	if v, err := As[string](must(c.Call(ctx, "user"))); err != nil || v != "gopher" {
		t.Errorf("user: %q %v", v, err)
	}
	var qe *Error
	if _, err := c.Call(ctx, "'oops"); !errors.As(err, &qe) || qe.Msg != "oops" {
		t.Errorf("server error: %v", err)
	}
	// Values out and back through the other implementation's decoder and encoder.
	for _, v := range []any{
		int64(7), []int64{1, NullLong, 3}, 2.5, []float64{1, 2}, "text", Symbol("sym"),
		[]string{"a", "b"}, true, []bool{true, false}, byte(9), int16(3), int32(4), float32(1.5),
		stamp, []time.Time{stamp}, Date(8767), 90 * time.Minute, Month(3), Time(1000),
		Minute(5), Second(6), UUID{1, 2, 3}, []any{int64(1), "x", Symbol("y")},
		map[string]int64{"a": 1, "b": 2},
		Table{Columns: []string{"c1", "c2"}, Data: []any{[]int64{1, 2}, []float64{3, 4}}},
	} {
		got, err := c.Call(ctx, "echo", v)
		if err != nil {
			t.Errorf("echo %#v: %v", v, err)
			continue
		}
		if g, w := qText(t, got), qText(t, v); g != w {
			t.Errorf("echo %#v: %s, want %s", v, g, w)
		}
	}
	// A 10 MB vector each way.
	big := make([]int64, 1<<20)
	for i := range big {
		big[i] = int64(i)
	}
	if n, err := As[int64](must(c.Call(ctx, "count", big))); err != nil || n != 1<<20 {
		t.Errorf("count of 1M longs: %v %v", n, err)
	}
	echoed := must(c.Call(ctx, "echo", big))
	if v, err := echoed.Int64s(); err != nil || !reflect.DeepEqual(v, big) {
		t.Errorf("1M longs echoed: %v", err)
	}
	// Async, then what the server saw.
	if err := c.Async(ctx, "note", int64(5)); err != nil {
		t.Fatal(err)
	}
	if got := qText(t, must(c.Call(ctx, "last_async"))); got != "(\"note\";5)" {
		t.Errorf("last async message: %s", got)
	}
	// A message the server sends by itself, read with Receive.
	if err := c.Async(ctx, "notify"); err != nil {
		t.Fatal(err)
	}
	if v, err := As[string](must(c.Receive(ctx))); err != nil || v != "notified" {
		t.Errorf("received %q %v", v, err)
	}
}

func must(k *K, err error) *K {
	if err != nil {
		panic(err)
	}
	return k
}

// Goroutines share a connection; their calls take turns.
func TestConnGoroutines(t *testing.T) {
	c, err := Dial(ctx, server(t))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				v := []int64{int64(w), int64(i)}
				got, err := c.Call(ctx, "echo", v)
				if err != nil {
					t.Error(err)
					return
				}
				if g, _ := As[[]int64](got); !reflect.DeepEqual(g, v) {
					t.Errorf("worker %d got %v", w, g)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// A deadline ends a call the server never answers, in time, and closes the connection.
func TestConnDeadline(t *testing.T) {
	c, err := Dial(ctx, server(t))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.Call(short, "hang")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hang with a deadline: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the deadline took %v to end the call", took)
	}
	if _, err := c.Call(ctx, "2+2"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a call after the deadline: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if _, err := c.Call(ctx, "2+2"); !errors.Is(err, ErrClosed) {
		t.Errorf("a call after Close: %v", err)
	}
	if err := c.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close: %v", err)
	}
}

// Close from another goroutine ends a call in flight.
func TestConnCloseInFlight(t *testing.T) {
	c, err := Dial(ctx, server(t))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := c.Call(ctx, "hang")
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Error("the call in flight succeeded")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the call in flight")
	}
}

func TestDialErrors(t *testing.T) {
	addr := server(t, "--password", "secret")
	var qe *Error
	if _, err := (&Dialer{Credentials: "u:wrong"}).Dial(ctx, addr); !errors.As(err, &qe) || qe.Msg != "access" {
		t.Errorf("wrong password: %v", err)
	}
	c, err := (&Dialer{Credentials: "u:secret"}).Dial(ctx, addr)
	if err != nil {
		t.Fatalf("right password: %v", err)
	}
	c.Close()
	// A port nobody listens on: the port the server had, once it is gone, is not reliable;
	// port 1 on loopback refuses.
	var ne *NetError
	if _, err := Dial(ctx, "127.0.0.1:1"); !errors.As(err, &ne) {
		t.Errorf("refused connection: %v", err)
	}
	if _, err := Dial(ctx, "localhost"); err == nil {
		t.Error("an address without a port dialed")
	}
	expired, cancel := context.WithTimeout(ctx, -time.Second)
	defer cancel()
	if _, err := Dial(expired, addr); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("expired context: %v", err)
	}
}

// TLS, configured as kdb+ is, from the environment (KX_SSL_CA_CERT_FILE names the CA).
func TestConnTLS(t *testing.T) {
	dir := t.TempDir()
	addr := server(t, "--tls-dir", dir)
	t.Setenv("KX_SSL_CA_CERT_FILE", dir+"/ca.pem")
	c, err := (&Dialer{Credentials: "u:p", TLS: true}).Dial(ctx, addr)
	if err != nil {
		t.Fatalf("TLS dial: %v", err)
	}
	defer c.Close()
	if v, err := As[int64](must(c.Call(ctx, "2+2"))); err != nil || v != 4 {
		t.Errorf("2+2 over TLS: %v %v", v, err)
	}
	// A plain login to the TLS server gets no answer: the deadline ends it.
	short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	if plain, err := Dial(short, addr); err == nil {
		plain.Close()
		t.Error("a plain login to a TLS server succeeded")
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the deadline took %v to end the login", took)
	}
}

// Host 0.0.0.0 reaches the server's Unix socket, as in kdb+.
func TestConnUnixSocket(t *testing.T) {
	addr := server(t, "--unix")
	_, port, _ := strings.Cut(addr, ":")
	c, err := Dial(ctx, "0.0.0.0:"+port)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if v, err := As[int64](must(c.Call(ctx, "2+2"))); err != nil || v != 4 {
		t.Errorf("2+2 over the Unix socket: %v %v", v, err)
	}
}
