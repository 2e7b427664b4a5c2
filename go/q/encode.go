package q

import (
	"cmp"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"slices"
	"time"
)

// New makes a q object from a Go value, as the package documentation describes.
func New(v any) (*K, error) {
	x, err := encode(v)
	if err != nil {
		return nil, err
	}
	return wrap(x), nil
}

// encodeArgs makes the objects for k's arguments; on failure none is left.
func encodeArgs(args []any) ([]ptr, error) {
	ks := make([]ptr, 0, len(args))
	for _, a := range args {
		x, err := encode(a)
		if err != nil {
			for _, y := range ks {
				r0(y)
			}
			return nil, err
		}
		ks = append(ks, x)
	}
	return ks, nil
}

func encode(v any) (ptr, error) {
	switch v := v.(type) {
	case nil:
		return newAtom(KNull), nil
	case *K:
		defer runtime.KeepAlive(v)
		if v == nil || v.p == nil {
			return nil, ErrClosed
		}
		return r1(v.p), nil
	case bool:
		return atom(-KB, boolByte(v))
	case uint8:
		return atom(-KG, v)
	case int16:
		return atom(-KH, v)
	case int32:
		return atom(-KI, v)
	case int64:
		return atom(-KJ, v)
	case int:
		return atom(-KJ, int64(v))
	case float32:
		return atom(-KE, v)
	case float64:
		return atom(-KF, v)
	case string:
		x, err := alloc(KC, len(v))
		if err == nil {
			copy(itemsOf[byte](x), v)
		}
		return x, err
	case Symbol:
		return newSymbol(string(v)), nil
	case Char:
		return atom(-KC, v)
	case UUID:
		return newGUID(&v), nil
	case time.Time:
		return atom(-KP, nanosOfTime(v))
	case time.Duration:
		return atom(-KN, v)
	case Date:
		return atom(-KD, v)
	case Month:
		return atom(-KM, v)
	case Minute:
		return atom(-KU, v)
	case Second:
		return atom(-KV, v)
	case Time:
		return atom(-KT, v)
	case Datetime:
		return atom(-KZ, v)
	case []bool:
		x, err := alloc(KB, len(v))
		if err == nil {
			for i, b := range v {
				itemsOf[byte](x)[i] = boolByte(b)
			}
		}
		return x, err
	case []byte:
		return vector(KG, v)
	case []int16:
		return vector(KH, v)
	case []int32:
		return vector(KI, v)
	case []int64:
		return vector(KJ, v)
	case []float32:
		return vector(KE, v)
	case []float64:
		return vector(KF, v)
	case []string:
		return newSymbols(v), nil
	case []Symbol:
		return newSymbols(v), nil
	case []UUID:
		return vector(UU, v)
	case []time.Time:
		x, err := alloc(KP, len(v))
		if err == nil {
			for i, t := range v {
				itemsOf[int64](x)[i] = nanosOfTime(t)
			}
		}
		return x, err
	case []time.Duration:
		return vector(KN, v)
	case []Date:
		return vector(KD, v)
	case []Month:
		return vector(KM, v)
	case []Minute:
		return vector(KU, v)
	case []Second:
		return vector(KV, v)
	case []Time:
		return vector(KT, v)
	case []Datetime:
		return vector(KZ, v)
	case []any:
		return list(len(v), func(i int) (ptr, error) { return encode(v[i]) })
	case Dict:
		return encodeDict(v.Keys, v.Values)
	case Table:
		return encodeTable(v.Columns, len(v.Data), func(i int) (ptr, error) { return encode(v.Data[i]) })
	}
	return encodeValue(reflect.ValueOf(v))
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func alloc(t Type, n int) (ptr, error) {
	x := newVector(t, n)
	if x == nil {
		return nil, &Error{Msg: "wsfull"}
	}
	return x, nil
}

// atom makes an atom of type t (negative) holding v in its value word.
func atom[T any](t Type, v T) (ptr, error) {
	x := newAtom(t)
	if x == nil {
		return nil, &Error{Msg: "wsfull"}
	}
	*(*T)(word(x)) = v
	return x, nil
}

// vector copies s into a new vector of type t, whose items have T's layout.
func vector[T any](t Type, s []T) (ptr, error) {
	x, err := alloc(t, len(s))
	if err == nil {
		copy(itemsOf[T](x), s)
	}
	return x, err
}

// list makes a general list of n items made by item (which hands over a reference).
func list(n int, item func(int) (ptr, error)) (ptr, error) {
	x, err := alloc(KList, n)
	if err != nil {
		return nil, err
	}
	items := listItems(x)
	clear(items)
	for i := range n {
		y, err := item(i)
		if err != nil {
			// The unfilled slots are null, which r0 skips.
			r0(x)
			return nil, err
		}
		items[i] = y
	}
	return x, nil
}

func encodeDict(keys, values any) (ptr, error) {
	k, err := encode(keys)
	if err != nil {
		return nil, err
	}
	v, err := encode(values)
	if err != nil {
		r0(k)
		return nil, err
	}
	return newDict(k, v)
}

func encodeTable(names []string, n int, column func(int) (ptr, error)) (ptr, error) {
	if len(names) != n {
		return nil, &Error{Msg: "length"}
	}
	cols, err := list(n, column)
	if err != nil {
		return nil, err
	}
	d, err := newDict(newSymbols(names), cols)
	if err != nil {
		return nil, err
	}
	return newTable(d)
}

// encodeValue is encode for the types a type switch cannot list: named types, arrays, maps,
// structs and pointers.
func encodeValue(v reflect.Value) (ptr, error) {
	if v.IsValid() && listed[v.Type()] {
		return encode(v.Interface())
	}
	switch v.Kind() {
	case reflect.Invalid:
		return newAtom(KNull), nil
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return newAtom(KNull), nil
		}
		return encode(v.Elem().Interface())
	case reflect.Bool:
		return atom(-KB, boolByte(v.Bool()))
	case reflect.Int8, reflect.Int16:
		return atom(-KH, int16(v.Int()))
	case reflect.Int32:
		return atom(-KI, int32(v.Int()))
	case reflect.Int, reflect.Int64:
		return atom(-KJ, v.Int())
	case reflect.Uint8:
		return atom(-KG, uint8(v.Uint()))
	case reflect.Uint16:
		return atom(-KI, int32(v.Uint()))
	case reflect.Uint32, reflect.Uint, reflect.Uint64, reflect.Uintptr:
		if v.Uint() > math.MaxInt64 {
			return nil, fmt.Errorf("q: %d overflows a long", v.Uint())
		}
		return atom(-KJ, int64(v.Uint()))
	case reflect.Float32:
		return atom(-KE, float32(v.Float()))
	case reflect.Float64:
		return atom(-KF, v.Float())
	case reflect.String:
		return encode(v.String())
	case reflect.Slice, reflect.Array:
		return encodeList(v)
	case reflect.Map:
		return encodeMap(v)
	case reflect.Struct:
		return encodeStruct(v)
	}
	return nil, fmt.Errorf("q: cannot encode %v", v.Type())
}

// listed: the types encode's switch converts (reached here as struct fields, map values...).
var listed = func() map[reflect.Type]bool {
	m := map[reflect.Type]bool{
		reflect.TypeFor[*K]():    true,
		reflect.TypeFor[Dict]():  true,
		reflect.TypeFor[Table](): true,
	}
	for t := range namedTypes {
		m[t] = true
		m[reflect.SliceOf(t)] = true
	}
	return m
}()

// vectorType is the q vector type that holds items of Go type e, if one does.
func vectorType(e reflect.Type) (Type, bool) {
	if t, ok := namedTypes[e]; ok {
		return t, true
	}
	switch e.Kind() {
	case reflect.Bool:
		return KB, true
	case reflect.Uint8:
		return KG, true
	case reflect.Int8, reflect.Int16:
		return KH, true
	case reflect.Int32, reflect.Uint16:
		return KI, true
	case reflect.Int, reflect.Int64, reflect.Uint32, reflect.Uint, reflect.Uint64:
		return KJ, true
	case reflect.Float32:
		return KE, true
	case reflect.Float64:
		return KF, true
	case reflect.String:
		return KS, true
	case reflect.Array:
		if e.Len() == 16 && e.Elem().Kind() == reflect.Uint8 {
			return UU, true
		}
	}
	return 0, false
}

// encodeList: a vector when the items have a q type, a table from row structs, else a general
// list.
func encodeList(v reflect.Value) (ptr, error) {
	n := v.Len()
	e := v.Type().Elem()
	t, simple := vectorType(e)
	switch {
	case simple && t == KS:
		s := make([]string, n)
		for i := range n {
			s[i] = v.Index(i).String()
		}
		return newSymbols(s), nil
	case simple:
		x, err := alloc(t, n)
		if err != nil {
			return nil, err
		}
		for i := range n {
			if err := setItem(x, t, i, v.Index(i)); err != nil {
				r0(x)
				return nil, err
			}
		}
		return x, nil
	case e.Kind() == reflect.Struct && !isColumns(e):
		return encodeRows(v)
	}
	return list(n, func(i int) (ptr, error) { return encodeValue(v.Index(i)) })
}

// setItem stores the Go value e as item i of the vector x of type t.
func setItem(x ptr, t Type, i int, e reflect.Value) error {
	switch t {
	case KB:
		itemsOf[byte](x)[i] = boolByte(e.Bool())
	case KG:
		itemsOf[byte](x)[i] = byte(e.Uint())
	case KH:
		itemsOf[int16](x)[i] = int16(e.Int())
	case KI, KM, KD, KU, KV, KT:
		if e.CanInt() {
			itemsOf[int32](x)[i] = int32(e.Int())
		} else {
			itemsOf[int32](x)[i] = int32(e.Uint())
		}
	case KJ, KN:
		if e.CanInt() {
			itemsOf[int64](x)[i] = e.Int()
		} else if u := e.Uint(); u <= math.MaxInt64 {
			itemsOf[int64](x)[i] = int64(u)
		} else {
			return fmt.Errorf("q: %d overflows a long", u)
		}
	case KP:
		itemsOf[int64](x)[i] = nanosOfTime(e.Interface().(time.Time))
	case KE:
		itemsOf[float32](x)[i] = float32(e.Float())
	case KF, KZ:
		itemsOf[float64](x)[i] = e.Float()
	case UU:
		reflect.Copy(reflect.ValueOf(itemsOf[UUID](x)[i][:]), e)
	}
	return nil
}

// encodeMap: a dictionary, its keys in sorted order where they are numbers or strings (a Go
// map has no order of its own).
func encodeMap(v reflect.Value) (ptr, error) {
	keys := v.MapKeys()
	slices.SortFunc(keys, compareKeys)
	kt, vt := v.Type().Key(), v.Type().Elem()
	ks := reflect.MakeSlice(reflect.SliceOf(kt), len(keys), len(keys))
	vs := reflect.MakeSlice(reflect.SliceOf(vt), len(keys), len(keys))
	for i, k := range keys {
		ks.Index(i).Set(k)
		vs.Index(i).Set(v.MapIndex(k))
	}
	return encodeDict(ks.Interface(), vs.Interface())
}

func compareKeys(a, b reflect.Value) int {
	switch {
	case a.CanInt():
		return cmp.Compare(a.Int(), b.Int())
	case a.CanUint():
		return cmp.Compare(a.Uint(), b.Uint())
	case a.CanFloat():
		return cmp.Compare(a.Float(), b.Float())
	case a.Kind() == reflect.String:
		return cmp.Compare(a.String(), b.String())
	}
	return 0
}

// isColumns: a struct whose q-visible fields are all slices (not []byte) is a table's columns.
func isColumns(t reflect.Type) bool {
	seen := false
	for _, sf := range reflect.VisibleFields(t) {
		if qName(sf) == "" {
			continue
		}
		if sf.Type.Kind() != reflect.Slice || sf.Type.Elem().Kind() == reflect.Uint8 {
			return false
		}
		seen = true
	}
	return seen
}

// encodeStruct: a table from a struct of columns, else a dictionary from field names.
func encodeStruct(v reflect.Value) (ptr, error) {
	var names []string
	var values []reflect.Value
	for _, sf := range reflect.VisibleFields(v.Type()) {
		if name := qName(sf); name != "" {
			names = append(names, name)
			values = append(values, v.FieldByIndex(sf.Index))
		}
	}
	if isColumns(v.Type()) {
		return encodeTable(names, len(values), func(i int) (ptr, error) { return encodeValue(values[i]) })
	}
	vs, err := list(len(values), func(i int) (ptr, error) { return encodeValue(values[i]) })
	if err != nil {
		return nil, err
	}
	return newDict(newSymbols(names), vs)
}

// encodeRows: a table from a slice of row structs, a column a field.
func encodeRows(v reflect.Value) (ptr, error) {
	row := v.Type().Elem()
	var names []string
	var index [][]int
	for _, sf := range reflect.VisibleFields(row) {
		if name := qName(sf); name != "" {
			names = append(names, name)
			index = append(index, sf.Index)
		}
	}
	n := v.Len()
	return encodeTable(names, len(names), func(c int) (ptr, error) {
		col := reflect.MakeSlice(reflect.SliceOf(row.FieldByIndex(index[c]).Type), n, n)
		for r := range n {
			col.Index(r).Set(v.Index(r).FieldByIndex(index[c]))
		}
		return encodeValue(col)
	})
}
