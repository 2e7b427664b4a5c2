package q

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"
	"unsafe"
)

// natural is x as its Go value (a copy): see the package documentation for the table.
func natural(x ptr) any {
	t := typeOf(x)
	if t < 0 && t > -20 && t != -3 {
		return atomValue(x, t)
	}
	switch t {
	case KB:
		b := itemsOf[byte](x)
		out := make([]bool, len(b))
		for i, v := range b {
			out[i] = v != 0
		}
		return out
	case UU:
		return copied[UUID](x)
	case KG:
		return copied[byte](x)
	case KH:
		return copied[int16](x)
	case KI:
		return copied[int32](x)
	case KJ:
		return copied[int64](x)
	case KE:
		return copied[float32](x)
	case KF:
		return copied[float64](x)
	case KC:
		return string(itemsOf[byte](x))
	case KS:
		out := make([]string, count(x))
		for i := range out {
			out[i] = symbolAt(x, i)
		}
		return out
	case KP:
		j := itemsOf[int64](x)
		out := make([]time.Time, len(j))
		for i, v := range j {
			out[i] = timeOfNanos(v)
		}
		return out
	case KM:
		return copied[Month](x)
	case KD:
		return copied[Date](x)
	case KZ:
		return copied[Datetime](x)
	case KN:
		return copied[time.Duration](x)
	case KU:
		return copied[Minute](x)
	case KV:
		return copied[Second](x)
	case KT:
		return copied[Time](x)
	case KList:
		items := listItems(x)
		out := make([]any, len(items))
		for i, y := range items {
			out[i] = natural(y)
		}
		return out
	case XT:
		d := *(*ptr)(word(x))
		names, cols := listItems(d)[0], listItems(d)[1]
		tab := Table{Columns: natural(names).([]string), Data: make([]any, count(cols))}
		for i, c := range listItems(cols) {
			tab.Data[i] = natural(c)
		}
		return tab
	case XD:
		kv := listItems(x)
		return Dict{Keys: natural(kv[0]), Values: natural(kv[1])}
	case KNull:
		if *(*byte)(word(x)) == 0 {
			return nil
		}
	}
	// Functions, enumerations, nested and mapped types have no Go form: the object itself.
	return wrap(r1(x))
}

func copied[T any](x ptr) []T {
	return append([]T(nil), itemsOf[T](x)...)
}

func atomValue(x ptr, t Type) any {
	w := word(x)
	switch -t {
	case KB:
		return *(*byte)(w) != 0
	case UU:
		return *(*UUID)(items(x))
	case KG:
		return *(*byte)(w)
	case KH:
		return *(*int16)(w)
	case KI:
		return *(*int32)(w)
	case KJ:
		return *(*int64)(w)
	case KE:
		return *(*float32)(w)
	case KF:
		return *(*float64)(w)
	case KC:
		return Char(*(*byte)(w))
	case KS:
		return Symbol(symbolAtom(x))
	case KP:
		return timeOfNanos(*(*int64)(w))
	case KM:
		return *(*Month)(w)
	case KD:
		return *(*Date)(w)
	case KZ:
		return *(*Datetime)(w)
	case KN:
		return *(*time.Duration)(w)
	case KU:
		return *(*Minute)(w)
	case KV:
		return *(*Second)(w)
	case KT:
		return *(*Time)(w)
	}
	return nil
}

// natural1 is item i of the list x as a Go value.
func natural1(x ptr, i int) any {
	t := typeOf(x)
	if t == KList {
		return natural(listItems(x)[i])
	}
	p := unsafe.Add(items(x), i*itemSize(t))
	switch t {
	case KB:
		return *(*byte)(p) != 0
	case UU:
		return *(*UUID)(p)
	case KG:
		return *(*byte)(p)
	case KH:
		return *(*int16)(p)
	case KI:
		return *(*int32)(p)
	case KJ:
		return *(*int64)(p)
	case KE:
		return *(*float32)(p)
	case KF:
		return *(*float64)(p)
	case KC:
		return Char(*(*byte)(p))
	case KS:
		return Symbol(symbolAt(x, i))
	case KP:
		return timeOfNanos(*(*int64)(p))
	case KM:
		return *(*Month)(p)
	case KD:
		return *(*Date)(p)
	case KZ:
		return *(*Datetime)(p)
	case KN:
		return *(*time.Duration)(p)
	case KU:
		return *(*Minute)(p)
	case KV:
		return *(*Second)(p)
	case KT:
		return *(*Time)(p)
	}
	return nil
}

// itemSize is the size of one item of a simple vector of type t.
func itemSize(t Type) int {
	switch t {
	case KB, KG, KC:
		return 1
	case KH:
		return 2
	case KI, KE, KM, KD, KU, KV, KT:
		return 4
	case UU:
		return 16
	}
	return 8
}

func decode(x ptr, dst any) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("q: Decode needs a non-nil pointer, not %T", dst)
	}
	if kp, ok := dst.(**K); ok {
		*kp = wrap(r1(x))
		return nil
	}
	if fast(x, v.Elem()) {
		return nil
	}
	return assign(v.Elem(), natural(x))
}

// fast copies a simple vector straight into a slice of the same item layout.
func fast(x ptr, dst reflect.Value) bool {
	t := typeOf(x)
	if dst.Kind() != reflect.Slice || t <= KList || t > KT || t == KS || t == KC || t == KP || t == KB {
		return false
	}
	e := dst.Type().Elem()
	if !sameLayout(t, e) {
		return false
	}
	n := count(x)
	s := reflect.MakeSlice(dst.Type(), n, n)
	if n > 0 {
		copy(unsafe.Slice((*byte)(s.UnsafePointer()), n*itemSize(t)), unsafe.Slice((*byte)(items(x)), n*itemSize(t)))
	}
	dst.Set(s)
	return true
}

// sameLayout: whether Go items of type e hold a q type t's items bit for bit (an int32 slice
// takes ints, and dates, months... as their day, month counts; a []Date only dates).
func sameLayout(t Type, e reflect.Type) bool {
	if q, ok := namedTypes[e]; ok {
		return q == t
	}
	switch e.Kind() {
	case reflect.Uint8:
		return t == KG
	case reflect.Int16:
		return t == KH
	case reflect.Int32:
		return itemSize(t) == 4 && t != KE
	case reflect.Int64, reflect.Int:
		return e.Size() == 8 && (t == KJ || t == KN)
	case reflect.Float32:
		return t == KE
	case reflect.Float64:
		return t == KF || t == KZ
	case reflect.Array:
		return t == UU && e.Len() == 16 && e.Elem().Kind() == reflect.Uint8
	}
	return false
}

var (
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
	// namedTypes: the Go types that stand for one q type only.
	namedTypes = map[reflect.Type]Type{
		reflect.TypeFor[Symbol]():   KS,
		reflect.TypeFor[Char]():     KC,
		reflect.TypeFor[UUID]():     UU,
		reflect.TypeFor[Date]():     KD,
		reflect.TypeFor[Month]():    KM,
		reflect.TypeFor[Minute]():   KU,
		reflect.TypeFor[Second]():   KV,
		reflect.TypeFor[Time]():     KT,
		reflect.TypeFor[Datetime](): KZ,
		timeType:                    KP,
		durationType:                KN,
	}
)

// assign stores the natural value x in dst, converting where the package documentation says.
func assign(dst reflect.Value, x any) error {
	if dst.Kind() == reflect.Interface && dst.NumMethod() == 0 {
		if x == nil {
			dst.SetZero()
		} else {
			dst.Set(reflect.ValueOf(x))
		}
		return nil
	}
	if x == nil {
		dst.SetZero()
		return nil
	}
	xv := reflect.ValueOf(x)
	if xv.Type().AssignableTo(dst.Type()) {
		dst.Set(xv)
		return nil
	}
	switch dst.Type() {
	case timeType:
		switch v := x.(type) {
		case Date:
			dst.Set(reflect.ValueOf(v.Time()))
			return nil
		case Month:
			dst.Set(reflect.ValueOf(v.Time()))
			return nil
		case Datetime:
			dst.Set(reflect.ValueOf(v.Time()))
			return nil
		}
	case durationType:
		switch v := x.(type) {
		case Minute:
			dst.SetInt(int64(v.Duration()))
			return nil
		case Second:
			dst.SetInt(int64(v.Duration()))
			return nil
		case Time:
			dst.SetInt(int64(v.Duration()))
			return nil
		}
	}
	switch v := x.(type) {
	case Dict:
		return assignDict(dst, v)
	case Table:
		return assignTable(dst, v)
	case *K:
		// An object without a Go form fits only an interface or a *K.
		return typeError(dst.Type(), x)
	}
	switch dst.Kind() {
	case reflect.Pointer:
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		return assign(dst.Elem(), x)
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		if _, named := namedTypes[dst.Type()]; !named {
			return assignNumber(dst, xv)
		}
		if _, named := namedTypes[xv.Type()]; !named && xv.CanConvert(dst.Type()) {
			// A plain number into a Date, Month...: its count of days, months...
			dst.Set(xv.Convert(dst.Type()))
			return nil
		}
	case reflect.String:
		switch xv.Kind() {
		case reflect.String:
			dst.SetString(xv.String())
			return nil
		case reflect.Uint8:
			if _, ok := x.(Char); ok {
				dst.SetString(string([]byte{byte(xv.Uint())}))
				return nil
			}
		}
	case reflect.Slice:
		if s, ok := x.(string); ok && dst.Type().Elem().Kind() == reflect.Uint8 {
			dst.Set(reflect.ValueOf([]byte(s)).Convert(dst.Type()))
			return nil
		}
		if xv.Kind() == reflect.Slice {
			n := xv.Len()
			s := reflect.MakeSlice(dst.Type(), n, n)
			for i := range n {
				if err := assign(s.Index(i), xv.Index(i).Interface()); err != nil {
					return err
				}
			}
			dst.Set(s)
			return nil
		}
	case reflect.Array:
		if xv.Type().ConvertibleTo(dst.Type()) {
			dst.Set(xv.Convert(dst.Type()))
			return nil
		}
	}
	return typeError(dst.Type(), x)
}

func typeError(t reflect.Type, x any) error {
	return fmt.Errorf("q: cannot decode %T into %v", x, t)
}

// assignNumber converts between q's numbers and Go's: a q null becomes the target type's null
// (the minimum integer, or NaN), as q's own casts do; other values must fit.
func assignNumber(dst reflect.Value, xv reflect.Value) error {
	var (
		i      int64
		f      float64
		isInt  bool
		isNull bool
	)
	switch xv.Kind() {
	case reflect.Bool:
		if xv.Bool() {
			i = 1
		}
		isInt = true
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		i, isInt = xv.Int(), true
		isNull = i == minOf(xv.Type().Bits()) && xv.Kind() != reflect.Int8
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
		u := xv.Uint()
		if u > math.MaxInt64 {
			return fmt.Errorf("q: %d overflows %v", u, dst.Type())
		}
		i, isInt = int64(u), true
	case reflect.Float32, reflect.Float64:
		f = xv.Float()
	default:
		return typeError(dst.Type(), xv.Interface())
	}
	switch dst.Kind() {
	case reflect.Float32, reflect.Float64:
		switch {
		case isNull:
			dst.SetFloat(math.NaN())
		case isInt:
			dst.SetFloat(float64(i))
		default:
			dst.SetFloat(f)
		}
		return nil
	case reflect.Bool:
		if !isInt {
			return typeError(dst.Type(), xv.Interface())
		}
		dst.SetBool(i != 0)
		return nil
	}
	if !isInt {
		return typeError(dst.Type(), xv.Interface())
	}
	switch dst.Kind() {
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		if isNull {
			i = minOf(dst.Type().Bits())
		}
		if dst.OverflowInt(i) {
			return fmt.Errorf("q: %d overflows %v", i, dst.Type())
		}
		dst.SetInt(i)
	default:
		if i < 0 || dst.OverflowUint(uint64(i)) {
			return fmt.Errorf("q: %d overflows %v", i, dst.Type())
		}
		dst.SetUint(uint64(i))
	}
	return nil
}

func minOf(bits int) int64 { return -1 << (bits - 1) }

// assignDict: into a map (keys and values item by item), or a struct (symbol keys naming
// fields); a keyed table into what a table goes into.
func assignDict(dst reflect.Value, d Dict) error {
	kt, kok := d.Keys.(Table)
	vt, vok := d.Values.(Table)
	if kok && vok {
		return assignTable(dst, Table{
			Columns: append(append([]string(nil), kt.Columns...), vt.Columns...),
			Data:    append(append([]any(nil), kt.Data...), vt.Data...),
		})
	}
	keys, values := reflect.ValueOf(d.Keys), reflect.ValueOf(d.Values)
	if keys.Kind() != reflect.Slice || values.Kind() != reflect.Slice || keys.Len() != values.Len() {
		return typeError(dst.Type(), d)
	}
	switch dst.Kind() {
	case reflect.Map:
		m := reflect.MakeMapWithSize(dst.Type(), keys.Len())
		kv, vv := reflect.New(dst.Type().Key()).Elem(), reflect.New(dst.Type().Elem()).Elem()
		for i := range keys.Len() {
			kv.SetZero()
			vv.SetZero()
			if err := assign(kv, keys.Index(i).Interface()); err != nil {
				return err
			}
			if err := assign(vv, values.Index(i).Interface()); err != nil {
				return err
			}
			m.SetMapIndex(kv, vv)
		}
		dst.Set(m)
		return nil
	case reflect.Struct:
		names, ok := d.Keys.([]string)
		if !ok {
			return typeError(dst.Type(), d)
		}
		fields := fieldsOf(dst.Type())
		for i, name := range names {
			if f, ok := fields.lookup(name); ok {
				if err := assign(dst.FieldByIndex(f), values.Index(i).Interface()); err != nil {
					return fmt.Errorf("q: %s: %w", name, err)
				}
			}
		}
		return nil
	case reflect.Pointer:
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		return assignDict(dst.Elem(), d)
	}
	return typeError(dst.Type(), d)
}

// assignTable: into a struct of column slices, or a slice of row structs; columns without a
// field are skipped, as encoding/json skips unknown keys.
func assignTable(dst reflect.Value, t Table) error {
	switch dst.Kind() {
	case reflect.Struct:
		fields := fieldsOf(dst.Type())
		for i, name := range t.Columns {
			if f, ok := fields.lookup(name); ok {
				if err := assignColumn(dst.FieldByIndex(f), t.Data[i]); err != nil {
					return fmt.Errorf("q: column %s: %w", name, err)
				}
			}
		}
		return nil
	case reflect.Slice:
		row := dst.Type().Elem()
		if row.Kind() != reflect.Struct {
			break
		}
		n := 0
		if len(t.Data) > 0 {
			n = reflect.ValueOf(t.Data[0]).Len()
		}
		rows := reflect.MakeSlice(dst.Type(), n, n)
		fields := fieldsOf(row)
		for c, name := range t.Columns {
			f, ok := fields.lookup(name)
			if !ok {
				continue
			}
			col := reflect.ValueOf(t.Data[c])
			direct := col.Type().Elem().AssignableTo(row.FieldByIndex(f).Type)
			for r := range n {
				field := rows.Index(r).FieldByIndex(f)
				if direct {
					field.Set(col.Index(r))
				} else if err := assign(field, col.Index(r).Interface()); err != nil {
					return fmt.Errorf("q: column %s: %w", name, err)
				}
			}
		}
		dst.Set(rows)
		return nil
	case reflect.Pointer:
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		return assignTable(dst.Elem(), t)
	}
	return typeError(dst.Type(), t)
}

func assignColumn(dst reflect.Value, col any) error {
	cv := reflect.ValueOf(col)
	if cv.Type().AssignableTo(dst.Type()) {
		dst.Set(cv)
		return nil
	}
	return assign(dst, col)
}

// fields maps q names to struct fields: the tag `q:"name"` (`q:"-"` skips the field), else the
// field's name, matched exactly first, then ignoring case.
type fields struct {
	exact map[string][]int
	fold  map[string][]int
}

func (f fields) lookup(name string) ([]int, bool) {
	if i, ok := f.exact[name]; ok {
		return i, true
	}
	i, ok := f.fold[strings.ToLower(name)]
	return i, ok
}

func fieldsOf(t reflect.Type) fields {
	f := fields{exact: map[string][]int{}, fold: map[string][]int{}}
	for _, sf := range reflect.VisibleFields(t) {
		name := qName(sf)
		if name == "" {
			continue
		}
		f.exact[name] = sf.Index
		if _, dup := f.fold[strings.ToLower(name)]; !dup {
			f.fold[strings.ToLower(name)] = sf.Index
		}
	}
	return f
}

// qName is a struct field's q name, or "" for a field q does not see.
func qName(sf reflect.StructField) string {
	if !sf.IsExported() || sf.Anonymous {
		return ""
	}
	if tag, ok := sf.Tag.Lookup("q"); ok {
		if tag == "-" {
			return ""
		}
		return tag
	}
	return sf.Name
}
