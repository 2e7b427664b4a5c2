//go:build libq_installed

package q

// Linked against an installed library (scripts/install.sh PREFIX): pkg-config finds k.h and
// libq.so through PKG_CONFIG_PATH=PREFIX/lib/pkgconfig.

/*
#cgo pkg-config: libq
*/
import "C"
