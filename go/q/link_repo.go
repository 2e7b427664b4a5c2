//go:build !libq_installed

package q

// Linked against the library built in this checkout (cargo build --release): the header from
// include/ and libq.so from target/release, found at run time through an rpath. Build with
// -tags libq_installed to use an installed library through pkg-config instead.

/*
#cgo CFLAGS: -I${SRCDIR}/../../include
#cgo LDFLAGS: -L${SRCDIR}/../../target/release -Wl,-rpath,${SRCDIR}/../../target/release -lq
*/
import "C"
