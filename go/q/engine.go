package q

import (
	"context"
	"runtime"
)

// Init starts the embedded engine with q's command-line options, as they would follow q on a
// command line ("-s", "4" or "-p", "5000"). Optional: the engine starts by itself at its first
// use, and Init then fails.
func Init(args ...string) error { return initEngine(args) }

// Eval evaluates expr in the embedded engine. With args, expr is applied to them: Eval(ctx,
// "{x+y}", 1, 2) is 3, and Eval(ctx, "insert", Symbol("t"), row) inserts. Each argument is
// converted by New.
//
// Any goroutine may call Eval: the engine runs on the library's own thread (kdb+ runs one
// evaluation at a time) and calls wait their turn. ctx is checked before the call starts; an
// evaluation that has started runs to its end.
func Eval(ctx context.Context, expr string, args ...any) (*K, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ks, err := encodeArgs(args)
	if err != nil {
		return nil, err
	}
	r, err := call(0, expr, ks)
	runtime.KeepAlive(args)
	if err != nil {
		return nil, err
	}
	return result(r)
}

// EvalAs is Eval, decoded into a T (the result itself is released).
func EvalAs[T any](ctx context.Context, expr string, args ...any) (T, error) {
	var v T
	k, err := Eval(ctx, expr, args...)
	if err != nil {
		return v, err
	}
	defer k.Release()
	err = k.Decode(&v)
	return v, err
}

// Set assigns the global name (`name set v`).
func Set(ctx context.Context, name string, v any) error {
	k, err := Eval(ctx, "set", Symbol(name), v)
	k.Release()
	return err
}

// result is a call's result as a *K, or a type -128 result as an *Error.
func result(r ptr) (*K, error) {
	if typeOf(r) == KError {
		return nil, takeError(r)
	}
	return wrap(r), nil
}
