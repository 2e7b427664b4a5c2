package q

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// Goroutines on many OS threads evaluate at once, without LockOSThread: each call is carried
// to the engine's thread and back, and each goroutine gets its own answers and errors.
func TestGoroutines(t *testing.T) {
	const workers, calls = 8, 200
	if err := Set(ctx, "goCounter", int64(0)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range calls {
				if i%50 == 0 {
					runtime.Gosched()
				}
				got, err := EvalAs[int64](ctx, "{[w;i] goCounter+:1; i+1000*w}", w, i)
				if err != nil || got != int64(w*1000+i) {
					errs <- fmt.Errorf("worker %d call %d: %v %v", w, i, got, err)
					return
				}
				// An error on one goroutine is that goroutine's alone.
				if _, err := Eval(ctx, "{'x}", Symbol(fmt.Sprint(w))); err == nil || err.Error() != "'"+fmt.Sprint(w) {
					errs <- fmt.Errorf("worker %d: error %v", w, err)
					return
				}
				// Objects are made and freed on any thread.
				k, err := New([]float64{float64(i), 1})
				if err != nil {
					errs <- err
					return
				}
				k.Release()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, err := EvalAs[int64](ctx, "goCounter"); err != nil || n != workers*calls {
		t.Errorf("goCounter %d, want %d (%v)", n, workers*calls, err)
	}
}

// References left to the garbage collector are given back by it (r0); Release gives one back
// at once, and only once.
func TestCleanup(t *testing.T) {
	x := mustEval(t, "100#1.5")
	defer x.Release()
	refs := func() int32 {
		defer runtime.KeepAlive(x)
		return refsOf(x.p)
	}
	for range 100 {
		_ = x.Retain()
	}
	if refs() != 100 {
		t.Fatalf("refcount %d after 100 Retains", refs())
	}
	for i := 0; i < 200 && refs() != 0; i++ {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if refs() != 0 {
		t.Errorf("refcount %d after the garbage collector ran", refs())
	}
	r := x.Retain()
	r.Release()
	r.Release()
	runtime.GC()
	if refs() != 0 {
		t.Errorf("refcount %d after a double Release", refs())
	}
}
