package q

import (
	"errors"
	"syscall"
)

// Error is a q error: 'type, 'length, a signal from q code, a server's refusal ('access).
type Error struct {
	Msg string
}

func (e *Error) Error() string { return "'" + e.Msg }

// NetError is a failed call on a connection: the connection is dead after it. Errno says why
// (errors.Is(err, syscall.ECONNRESET) works).
type NetError struct {
	Msg   string
	Errno syscall.Errno
}

func (e *NetError) Error() string {
	if e.Msg == "" {
		return "q: " + e.Errno.Error()
	}
	return "q: " + e.Msg
}

func (e *NetError) Unwrap() error { return e.Errno }

// ErrClosed is returned for calls on a closed connection or a released object.
var ErrClosed = errors.New("q: closed")
