package q

// Every call into libq.so is in this file. cgo cannot call k.h's variadic functions (k, knk),
// cannot see its macros (kJ, kK, ...) and cannot name the members of k0's anonymous union
// (x->n, x->j, ...): the array form kx_k_array replaces k, and the rest of the package reads
// objects through the fixed KXVER 3 layout (offsets checked against the C compiler's at init).
//
// A pending error (krr, ee) and errno belong to the thread, and a goroutine may change threads
// between two cgo calls, so each operation that can fail reads them inside the same C call.

/*
#cgo CFLAGS: -DKXVER=3
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include "k.h"

static inline J libq_count(K x) { return x->n; }
static inline G *libq_data(K x) { return kG(x); }
static inline size_t libq_offset_n(void) { return offsetof(struct k0, n); }
static inline size_t libq_offset_data(void) { return offsetof(struct k0, G0); }

// Dedicated mode (the library's own thread owns the engine; every goroutine's calls are
// trampolined to it). Fails only if a C host in this process already started the engine in
// default mode, which serves any thread too: the error is then cleared.
static I libq_threading(void) {
	I mode = kx_threading(1);
	if (mode < 0) r0(ee(0));
	return mode;
}

// k(h, s, args...) (taking args); on failure (a null result) errno and the pending error,
// as a type -128 object, from this same thread.
static K libq_call(I h, const char *s, I n, K *args, int *err) {
	errno = 0;
	K r = kx_k_array(h, s, n, args);
	*err = 0;
	if (!r) {
		// k(0, ...) reports q errors as -128 results; a null is an error too.
		*err = h == 0 ? 0 : errno ? errno : EIO;
		r = ee(r);
	}
	return r;
}

static I libq_init(I argc, S *argv, K *error) {
	I r = qinit(argc, argv, 0, 0, 0);
	*error = r < 0 ? ee(0) : 0;
	return r;
}

static I libq_open(S host, I port, S credentials, I timeout_ms, I capability, int *err, K *error) {
	errno = 0;
	I h = khpunc(host, port, credentials, timeout_ms, capability);
	*err = 0;
	*error = 0;
	if (h <= 0) {
		*err = errno;
		*error = ee(0);
	}
	return h;
}

// Interns n symbols packed in buf (item i ends at ends[i]) into the symbol vector x.
static void libq_fill_symbols(K x, const char *buf, const J *ends, J n) {
	J start = 0;
	for (J i = 0; i < n; i++) {
		J len = ends[i] - start;
		kS(x)[i] = sn((S)buf + start, len > 0x7fffffff ? 0x7fffffff : (I)len);
		start = ends[i];
	}
}

static K libq_symbol(const char *s, J n) {
	return ks(n ? sn((S)s, n > 0x7fffffff ? 0x7fffffff : (I)n) : (S)"");
}

static K libq_guid(const G *g) {
	U u;
	for (int i = 0; i < 16; i++) u.g[i] = g[i];
	return ku(u);
}

static K libq_dict(K keys, K values, K *error) {
	K r = xD(keys, values);
	*error = r ? 0 : ee(0);
	return r;
}

static K libq_table(K dict, K *error) {
	K r = xT(dict);
	*error = r ? 0 : ee(0);
	return r;
}
*/
import "C"

import (
	"fmt"
	"syscall"
	"unsafe"
)

// ptr is a reference to a K object owned by this package's code: released with r0 once.
type ptr = C.K

// The KXVER 3 layout: t at byte 2, the atom value or the count at 8, the items at 16.
const (
	offsetValue = 8
	offsetData  = 16
)

func init() {
	if C.libq_offset_n() != offsetValue || C.libq_offset_data() != offsetData {
		panic(fmt.Sprintf("q: k.h's layout differs from KXVER 3: n at %d, items at %d",
			C.libq_offset_n(), C.libq_offset_data()))
	}
	C.libq_threading()
}

func typeOf(x ptr) Type          { return Type(x.t) }
func attrOf(x ptr) Attr          { return Attr(x.u) }
func refsOf(x ptr) int32         { return int32(x.r) }
func count(x ptr) int            { return int(*(*int64)(unsafe.Add(unsafe.Pointer(x), offsetValue))) }
func word(x ptr) unsafe.Pointer  { return unsafe.Add(unsafe.Pointer(x), offsetValue) }
func items(x ptr) unsafe.Pointer { return unsafe.Add(unsafe.Pointer(x), offsetData) }

// itemsOf is a view of x's n items as T (which must have the items' size).
func itemsOf[T any](x ptr) []T { return unsafe.Slice((*T)(items(x)), count(x)) }

func listItems(x ptr) []ptr { return itemsOf[ptr](x) }

// symbolText reads an interned symbol (or an error message).
func symbolText(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

func r0(x ptr) {
	if x != nil {
		C.r0(x)
	}
}

func r1(x ptr) ptr { return C.r1(x) }

func newAtom(t Type) ptr          { return C.ka(C.I(t)) }
func newVector(t Type, n int) ptr { return C.ktn(C.I(t), C.J(n)) }
func newSymbol(s string) ptr {
	return C.libq_symbol((*C.char)(unsafe.Pointer(unsafe.StringData(s))), C.J(len(s)))
}
func newGUID(u *UUID) ptr { return C.libq_guid((*C.G)(unsafe.Pointer(&u[0]))) }

// newSymbols makes a symbol vector of ss, interned in one C call.
func newSymbols[S ~string](ss []S) ptr {
	x := newVector(KS, len(ss))
	if len(ss) == 0 {
		return x
	}
	total := 0
	for _, s := range ss {
		total += len(s)
	}
	buf := make([]byte, 0, total+1)
	ends := make([]int64, len(ss))
	for i, s := range ss {
		buf = append(buf, s...)
		ends[i] = int64(len(buf))
	}
	buf = append(buf, 0)
	C.libq_fill_symbols(x, (*C.char)(unsafe.Pointer(&buf[0])), (*C.J)(unsafe.Pointer(&ends[0])), C.J(len(ss)))
	return x
}

// symbolAt is item i of the symbol vector x.
func symbolAt(x ptr, i int) string { return symbolText(itemsOf[*C.char](x)[i]) }

func symbolAtom(x ptr) string { return symbolText(*(**C.char)(word(x))) }

// newDict takes keys and values; a q error if xD refuses them.
func newDict(keys, values ptr) (ptr, error) {
	var e ptr
	d := C.libq_dict(keys, values, &e)
	if d == nil {
		return nil, takeError(e)
	}
	return d, nil
}

// newTable takes a dictionary of column names to columns.
func newTable(dict ptr) (ptr, error) {
	var e ptr
	t := C.libq_table(dict, &e)
	if t == nil {
		return nil, takeError(e)
	}
	return t, nil
}

// call is k(h, s, args...): it takes args. A q error comes back as a type -128 result; a
// failure of the call itself (on a connection) as an error.
func call(h int32, s string, args []ptr) (ptr, error) {
	b := append([]byte(s), 0)
	return callC(h, (*C.char)(unsafe.Pointer(&b[0])), args)
}

// receive is k(h, (S)0): the next message that arrives on connection h.
func receive(h int32) (ptr, error) { return callC(h, nil, nil) }

func callC(h int32, s *C.char, args []ptr) (ptr, error) {
	var argv *C.K
	if len(args) > 0 {
		argv = &args[0]
	}
	var errno C.int
	r := C.libq_call(C.I(h), s, C.I(len(args)), argv, &errno)
	if errno != 0 {
		return nil, &NetError{Msg: takeErrorText(r), Errno: syscall.Errno(errno)}
	}
	return r, nil
}

func initEngine(args []string) error {
	args = append([]string{"libq-go"}, args...)
	// cgo may not pass Go memory that holds Go pointers: argv is C memory.
	argv := unsafe.Slice((**C.char)(C.malloc(C.size_t(len(args))*C.size_t(unsafe.Sizeof((*C.char)(nil))))), len(args))
	for i, a := range args {
		argv[i] = C.CString(a)
	}
	defer func() {
		for _, p := range argv {
			C.free(unsafe.Pointer(p))
		}
		C.free(unsafe.Pointer(&argv[0]))
	}()
	var e ptr
	if C.libq_init(C.I(len(args)), (*C.S)(unsafe.Pointer(&argv[0])), &e) < 0 {
		return takeError(e)
	}
	return nil
}

// open is khpunc; the handle, or the failure as an error.
func open(host string, port int, credentials string, timeoutMs int, capability int) (int32, error) {
	h := append([]byte(host), 0)
	c := append([]byte(credentials), 0)
	var errno C.int
	var e ptr
	r := C.libq_open((*C.char)(unsafe.Pointer(&h[0])), C.I(port), (*C.char)(unsafe.Pointer(&c[0])),
		C.I(timeoutMs), C.I(capability), &errno, &e)
	if r > 0 {
		return int32(r), nil
	}
	msg := takeErrorText(e)
	switch r {
	case 0:
		return 0, &Error{Msg: "access"}
	case -2:
		return 0, &NetError{Msg: "timeout", Errno: syscall.ETIMEDOUT}
	default:
		return 0, &NetError{Msg: msg, Errno: syscall.Errno(errno)}
	}
}

func closeHandle(h int32) { C.kclose(C.I(h)) }

// takeError turns a type -128 object (released here) into an *Error.
func takeError(e ptr) error { return &Error{Msg: takeErrorText(e)} }

func takeErrorText(e ptr) string {
	if e == nil {
		return ""
	}
	defer C.r0(e)
	return symbolAtom(e)
}
