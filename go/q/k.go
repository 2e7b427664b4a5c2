package q

import (
	"context"
	"fmt"
	"runtime"
)

// K is one reference to a q object. Release gives it back at once; otherwise the garbage
// collector does, some time after the K becomes unreachable. A K may be used from any
// goroutine, but not Released while another goroutine uses it.
type K struct {
	p       ptr
	cleanup runtime.Cleanup
}

// wrap takes over the reference p (nil gives nil).
func wrap(p ptr) *K {
	if p == nil {
		return nil
	}
	k := &K{p: p}
	k.cleanup = runtime.AddCleanup(k, r0, p)
	return k
}

// Release gives back the reference now. Views of the object's items end with it. Releasing
// twice, or a nil K, does nothing.
func (k *K) Release() {
	if k == nil || k.p == nil {
		return
	}
	k.cleanup.Stop()
	p := k.p
	k.p = nil
	r0(p)
}

// Retain returns a second reference to the same object, released separately.
func (k *K) Retain() *K {
	defer runtime.KeepAlive(k)
	return wrap(r1(k.live()))
}

func (k *K) live() ptr {
	if k == nil || k.p == nil {
		panic(ErrClosed)
	}
	return k.p
}

// Type is the q type: negative for atoms.
func (k *K) Type() Type {
	defer runtime.KeepAlive(k)
	return typeOf(k.live())
}

// Attr is a vector's attribute (s#, u#, p#, g#).
func (k *K) Attr() Attr {
	defer runtime.KeepAlive(k)
	return attrOf(k.live())
}

// Len is q's count: 1 for an atom, the items of a list, the keys of a dictionary, the rows of
// a table.
func (k *K) Len() int {
	defer runtime.KeepAlive(k)
	return length(k.live())
}

func length(x ptr) int {
	switch t := typeOf(x); {
	case t < 0 || (t > XD && t != 0):
		return 1
	case t == XT:
		d := *(*ptr)(word(x))
		cols := listItems(d)[1]
		if count(cols) == 0 {
			return 0
		}
		return length(listItems(cols)[0])
	case t == XD:
		return length(listItems(x)[0])
	default:
		return count(x)
	}
}

// Value is the object as a Go value (a copy); see the package documentation for the types.
func (k *K) Value() any {
	defer runtime.KeepAlive(k)
	return natural(k.live())
}

// Decode stores the object in the value dst points to, converting as the package
// documentation describes (tables into column structs or slices of row structs, dictionaries
// into maps or structs).
func (k *K) Decode(dst any) error {
	defer runtime.KeepAlive(k)
	return decode(k.live(), dst)
}

// As decodes k into a new T.
func As[T any](k *K) (T, error) {
	var v T
	err := k.Decode(&v)
	return v, err
}

// Index is item i of a list, as its own reference: an atom for a simple vector.
func (k *K) Index(i int) (*K, error) {
	defer runtime.KeepAlive(k)
	x := k.live()
	t := typeOf(x)
	if t < 0 || t >= XT || i < 0 || i >= count(x) {
		return nil, &Error{Msg: "index"}
	}
	if t == KList {
		return wrap(r1(listItems(x)[i])), nil
	}
	return New(natural1(x, i))
}

// Key and Val are a dictionary's keys and values (a keyed table's key and value tables), and
// Key of a table is its dictionary of columns.
func (k *K) Key() (*K, error) { return k.part(0) }

func (k *K) Val() (*K, error) { return k.part(1) }

func (k *K) part(i int) (*K, error) {
	defer runtime.KeepAlive(k)
	x := k.live()
	switch typeOf(x) {
	case XD:
		return wrap(r1(listItems(x)[i])), nil
	case XT:
		d := *(*ptr)(word(x))
		if i == 0 {
			return wrap(r1(d)), nil
		}
		return wrap(r1(listItems(d)[1])), nil
	}
	return nil, &Error{Msg: "type"}
}

// Column is the column named name of a table (or a keyed table's key or value columns).
func (k *K) Column(name string) (*K, error) {
	defer runtime.KeepAlive(k)
	x := k.live()
	var parts []ptr
	switch typeOf(x) {
	case XT:
		parts = []ptr{x}
	case XD:
		if kv := listItems(x); typeOf(kv[0]) == XT && typeOf(kv[1]) == XT {
			parts = kv
		}
	}
	if parts == nil {
		return nil, &Error{Msg: "type"}
	}
	for _, t := range parts {
		d := *(*ptr)(word(t))
		names, cols := listItems(d)[0], listItems(d)[1]
		for i := range count(names) {
			if symbolAt(names, i) == name {
				return wrap(r1(listItems(cols)[i])), nil
			}
		}
	}
	return nil, &Error{Msg: name}
}

// String is q's string form of the object (-3!), made by the embedded engine.
func (k *K) String() string {
	if k == nil || k.p == nil {
		return "<released>"
	}
	s, err := Eval(context.Background(), "-3!", k)
	if err != nil {
		return fmt.Sprintf("<q type %d>", k.Type())
	}
	defer s.Release()
	v, _ := As[string](s)
	return v
}

// Views: the items of a vector in place, without copying. A view is valid while k is
// reachable and not Released: keep k (defer k.Release() does). Write through a view only into
// an object this program made and has not shared (NewVector), as q shares objects freely.

// Bytes views a boolean, byte or char vector.
func (k *K) Bytes() ([]byte, error) { return view[byte](k, KB, KG, KC) }

// Int16s views a short vector.
func (k *K) Int16s() ([]int16, error) { return view[int16](k, KH) }

// Int32s views an int, month, date, minute, second or time vector.
func (k *K) Int32s() ([]int32, error) { return view[int32](k, KI, KM, KD, KU, KV, KT) }

// Int64s views a long, timestamp or timespan vector.
func (k *K) Int64s() ([]int64, error) { return view[int64](k, KJ, KP, KN) }

// Float32s views a real vector.
func (k *K) Float32s() ([]float32, error) { return view[float32](k, KE) }

// Float64s views a float or datetime vector.
func (k *K) Float64s() ([]float64, error) { return view[float64](k, KF, KZ) }

// UUIDs views a guid vector.
func (k *K) UUIDs() ([]UUID, error) { return view[UUID](k, UU) }

func view[T any](k *K, types ...Type) ([]T, error) {
	defer runtime.KeepAlive(k)
	x := k.live()
	t := typeOf(x)
	for _, want := range types {
		if t == want {
			return itemsOf[T](x), nil
		}
	}
	return nil, &Error{Msg: "type"}
}

// NewVector makes a vector of n zeroed items of type t (a simple type, KB to KT, not KS), to
// be filled through a view: the way to build a large vector without a copy.
func NewVector(t Type, n int) (*K, error) {
	if t < KB || t > KT || t == 3 || t == KS || n < 0 {
		return nil, &Error{Msg: "type"}
	}
	x := newVector(t, n)
	if x == nil {
		return nil, &Error{Msg: "wsfull"}
	}
	return wrap(x), nil
}
