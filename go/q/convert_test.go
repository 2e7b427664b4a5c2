package q

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"
)

var ctx = context.Background()

// qText is q's own string form of v (-3!), after conversion by New.
func qText(t *testing.T, v any) string {
	t.Helper()
	s, err := EvalAs[string](ctx, "-3!", v)
	if err != nil {
		t.Fatalf("-3! of %#v: %v", v, err)
	}
	return s
}

func mustEval(t *testing.T, expr string, args ...any) *K {
	t.Helper()
	k, err := Eval(ctx, expr, args...)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return k
}

var stamp = time.Date(2024, 1, 2, 3, 4, 5, 123456789, time.UTC)

// Every Go type New accepts, and what q makes of it.
func TestEncode(t *testing.T) {
	guid := UUID{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}
	cases := []struct {
		v    any
		want string
	}{
		{nil, "::"},
		{true, "1b"},
		{[]bool{true, false}, "10b"},
		{guid, "01234567-89ab-cdef-0123-456789abcdef"},
		{[]UUID{guid}, ",01234567-89ab-cdef-0123-456789abcdef"},
		{byte(0x2a), "0x2a"},
		{[]byte{1, 255}, "0x01ff"},
		{int16(-3), "-3h"},
		{[]int16{1, NullShort}, "1 0Nh"},
		{int32(7), "7i"},
		{[]int32{1, 2}, "1 2i"},
		{int64(42), "42"},
		{42, "42"},
		{[]int64{1, NullLong, InfLong}, "1 0N 0W"},
		{[]int{1, 2}, "1 2"},
		{float32(1.5), "1.5e"},
		{[]float32{1.5, 2}, "1.5 2e"},
		{2.5, "2.5"},
		{[]float64{1.5, math.NaN()}, "1.5 0n"},
		{Char('x'), "\"x\""},
		{"hello", "\"hello\""},
		{"", "\"\""},
		{Symbol("ibm"), "`ibm"},
		{Symbol(""), "`"},
		{[]string{"a", "bc", ""}, "`a`bc`"},
		{[]Symbol{"x"}, ",`x"},
		{stamp, "2024.01.02D03:04:05.123456789"},
		{time.Time{}, "0Np"},
		{[]time.Time{stamp, {}}, "2024.01.02D03:04:05.123456789 0N"},
		{Month(288), "2024.01m"},
		{MonthOf(stamp), "2024.01m"},
		{[]Month{0, 1}, "2000.01 2000.02m"},
		{DateOf(stamp), "2024.01.02"},
		{Date(NullInt), "0Nd"},
		{[]Date{0, -1}, "2000.01.01 1999.12.31"},
		{Datetime(0.5), "2000.01.01T12:00:00.000"},
		{[]Datetime{1}, ",2000.01.02T00:00:00.000"},
		{90 * time.Minute, "0D01:30:00.000000000"},
		{[]time.Duration{time.Nanosecond}, ",0D00:00:00.000000001"},
		{Minute(61), "01:01"},
		{[]Minute{1}, ",00:01"},
		{Second(3661), "01:01:01"},
		{[]Second{1}, ",00:00:01"},
		{Time(3661001), "01:01:01.001"},
		{[]Time{1}, ",00:00:00.001"},
		{[]any{int64(1), Symbol("a"), "bc"}, "(1;`a;\"bc\")"},
		{[]any{}, "()"},
		{[][]int64{{1}, {2, 3}}, "(,1;2 3)"},
		{map[string]int64{"b": 2, "a": 1}, "`a`b!1 2"},
		{map[int64]string{2: "x", 1: "y"}, "1 2!`y`x"},
		{Dict{Keys: []string{"k"}, Values: []float64{1}}, "(,`k)!,1f"},
		{Table{Columns: []string{"a", "b"}, Data: []any{[]int64{1, 2}, []string{"x", "y"}}}, "+`a`b!(1 2;`x`y)"},
		{[3]int32{1, 2, 3}, "1 2 3i"},
		{[]uint16{1}, ",1i"},
		{int8(-1), "-1h"},
		{uint32(5), "5"},
	}
	for _, c := range cases {
		if got := qText(t, c.v); got != c.want {
			t.Errorf("New(%#v): q shows %s, want %s", c.v, got, c.want)
		}
	}
}

type trade struct {
	Sym   string    `q:"sym"`
	Price float64   `q:"price"`
	Size  int64     `q:"size"`
	Time  time.Time `q:"time"`
	Note  string    `q:"-"`
}

type trades struct {
	Sym   []string
	Price []float64
	Size  []int64 `q:"qty"`
}

func TestEncodeStructs(t *testing.T) {
	rows := []trade{{"ibm", 1.5, 100, stamp, "skipped"}, {"msft", 2, 200, time.Time{}, ""}}
	if got, want := qText(t, rows), "+`sym`price`size`time!(`ibm`msft;1.5 2;100 200;2024.01.02D03:04:05.123456789 0N)"; got != want {
		t.Errorf("rows: %s, want %s", got, want)
	}
	cols := trades{Sym: []string{"a"}, Price: []float64{1}, Size: []int64{3}}
	if got, want := qText(t, cols), "+`Sym`Price`qty!(,`a;,1f;,3)"; got != want {
		t.Errorf("columns: %s, want %s", got, want)
	}
	if got, want := qText(t, rows[0]), "`sym`price`size`time!(\"ibm\";1.5;100;2024.01.02D03:04:05.123456789)"; got != want {
		t.Errorf("struct: %s, want %s", got, want)
	}
	if got, want := qText(t, &rows[1]), "`sym`price`size`time!(\"msft\";2f;200;0Np)"; got != want {
		t.Errorf("pointer to struct: %s, want %s", got, want)
	}
	if _, err := New(make(chan int)); err == nil {
		t.Error("a channel encoded")
	}
	if _, err := New(Table{Columns: []string{"a"}, Data: []any{[]int64{1}, []int64{2}}}); err == nil {
		t.Error("a table with more columns than names encoded")
	}
}

// Every q type decodes to its natural Go value, and back to the same q object.
func TestValueRoundTrip(t *testing.T) {
	exprs := []string{
		"1b", "010b", "0x2a", "0x01ff", "-3h", "1 0N 0Wh", "7i", "1 0N 2i", "42", "1 0N 0W -0W",
		"1.5e", "1.5 0Ne", "2.5", "1.5 0n 0w", "\"x\"", "\"hello\"", "`ibm", "`a`bc`",
		"2024.01.02D03:04:05.123456789", "0Np", "2024.01.02D03:04:05.123456789 0N",
		"2024.01m", "2000.01 0N 2000.02m", "2024.01.02", "2000.01.01 0N 1999.12.31",
		"2000.01.01T12:00:00.000", "0D01:30:00.000000000", "1 0N 0Wn", "01:01", "01:01 0Nu",
		"01:01:01", "0N 01:01:01v", "01:01:01.001", "0N 00:00:00.001t",
		"\"G\"$\"01234567-89ab-cdef-0123-456789abcdef\"",
		"(1;`a;\"b\";(2 3;`c))", "`a`b!1 2", "(`a`b!1 2;3 4!`x`y)", "([] a:1 2; b:`x`y)",
		"([k:`a`b] v:1 2)", "()",
	}
	for _, e := range exprs {
		k := mustEval(t, e)
		v := k.Value()
		back, err := Eval(ctx, "{-3!x}", v)
		if err != nil {
			t.Errorf("%s: back to q: %v", e, err)
			continue
		}
		want := mustEval(t, "-3!", k)
		if b, w := back.Value(), want.Value(); b != w {
			t.Errorf("%s: Value %#v comes back as %s, want %s", e, v, b, w)
		}
		k.Release()
	}
}

func TestNaturalTypes(t *testing.T) {
	cases := []struct {
		expr string
		want any
	}{
		{"1b", true},
		{"010b", []bool{false, true, false}},
		{"0x2a", byte(42)},
		{"-3h", int16(-3)},
		{"7i", int32(7)},
		{"42", int64(42)},
		{"1.5e", float32(1.5)},
		{"2.5", 2.5},
		{"\"x\"", Char('x')},
		{"\"hi\"", "hi"},
		{"`ibm", Symbol("ibm")},
		{"`a`b", []string{"a", "b"}},
		{"2024.01.02D03:04:05.123456789", stamp},
		{"0Np", time.Time{}},
		{"2024.01m", Month(288)},
		{"2024.01.02", Date(8767)},
		{"0.5z", Datetime(0.5)},
		{"0D01:30", 90 * time.Minute},
		{"01:01", Minute(61)},
		{"01:01:01", Second(3661)},
		{"01:01:01.001", Time(3661001)},
		{"::", nil},
		{"(1;`a)", []any{int64(1), Symbol("a")}},
		{"`a`b!1 2", Dict{Keys: []string{"a", "b"}, Values: []int64{1, 2}}},
		{"([] a:1 2)", Table{Columns: []string{"a"}, Data: []any{[]int64{1, 2}}}},
		{"([k:`x] v:enlist 1.5)", Dict{
			Keys:   Table{Columns: []string{"k"}, Data: []any{[]string{"x"}}},
			Values: Table{Columns: []string{"v"}, Data: []any{[]float64{1.5}}},
		}},
	}
	for _, c := range cases {
		k := mustEval(t, c.expr)
		if got := k.Value(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: Value %#v, want %#v", c.expr, got, c.want)
		}
		k.Release()
	}
}

func TestDecodeConversions(t *testing.T) {
	var rows []trade
	k := mustEval(t, "([] sym:`ibm`msft; price:1.5 2; size:100 200; time:2024.01.02D03:04:05.123456789 0Np; extra:2#`e)")
	if err := k.Decode(&rows); err != nil {
		t.Fatal(err)
	}
	want := []trade{{"ibm", 1.5, 100, stamp, ""}, {"msft", 2, 200, time.Time{}, ""}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows %#v, want %#v", rows, want)
	}
	var cols trades
	if err := mustEval(t, "([] sym:`a`b; price:1 2f; qty:3 4)").Decode(&cols); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cols, trades{Sym: []string{"a", "b"}, Price: []float64{1, 2}, Size: []int64{3, 4}}) {
		t.Errorf("columns %#v", cols)
	}
	// A keyed table decodes as its key and value columns side by side.
	var keyed []struct {
		K string
		V float64
	}
	if err := mustEval(t, "([k:`x`y] v:1 2f)").Decode(&keyed); err != nil || len(keyed) != 2 || keyed[1].K != "y" || keyed[1].V != 2 {
		t.Errorf("keyed table: %#v %v", keyed, err)
	}

	m, err := EvalAs[map[string]int64](ctx, "`a`b!1 2")
	if err != nil || !reflect.DeepEqual(m, map[string]int64{"a": 1, "b": 2}) {
		t.Errorf("map: %v %v", m, err)
	}
	var cfg struct {
		Host string
		Port int
		Tags []string
	}
	if err := mustEval(t, "`host`port`tags!(\"db1\";5001;`a`b)").Decode(&cfg); err != nil || cfg.Host != "db1" || cfg.Port != 5001 || len(cfg.Tags) != 2 {
		t.Errorf("struct from dict: %+v %v", cfg, err)
	}

	// Widening keeps nulls null, as q's casts do.
	if v, err := EvalAs[[]int64](ctx, "1 0N 3i"); err != nil || !reflect.DeepEqual(v, []int64{1, NullLong, 3}) {
		t.Errorf("ints into int64s: %v %v", v, err)
	}
	if v, err := EvalAs[[]float64](ctx, "1 0N"); err != nil || v[0] != 1 || !math.IsNaN(v[1]) {
		t.Errorf("longs into float64s: %v %v", v, err)
	}
	if v, err := EvalAs[int32](ctx, "5"); err != nil || v != 5 {
		t.Errorf("long into int32: %v %v", v, err)
	}
	if _, err := EvalAs[int8](ctx, "500"); err == nil {
		t.Error("500 fits an int8")
	}
	if _, err := EvalAs[int64](ctx, "1.5"); err == nil {
		t.Error("a float decoded into an int64")
	}
	// Temporal types into time.Time and time.Duration.
	for expr, want := range map[string]time.Time{
		"2024.01.02":                    time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC),
		"2024.03m":                      time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
		"2024.01.02T03:04:05.006":       time.Date(2024, 1, 2, 3, 4, 5, 6e6, time.UTC),
		"2024.01.02D03:04:05.123456789": stamp,
		"0Nd":                           {},
	} {
		if got, err := EvalAs[time.Time](ctx, expr); err != nil || !got.Equal(want) {
			t.Errorf("%s as time.Time: %v %v", expr, got, err)
		}
	}
	for expr, want := range map[string]time.Duration{
		"01:02": time.Hour + 2*time.Minute, "01:02:03": time.Hour + 2*time.Minute + 3*time.Second,
		"00:00:01.500": 1500 * time.Millisecond, "0D00:00:00.000000007": 7,
	} {
		if got, err := EvalAs[time.Duration](ctx, expr); err != nil || got != want {
			t.Errorf("%s as time.Duration: %v %v", expr, got, err)
		}
	}
	if v, err := EvalAs[[]time.Time](ctx, "2000.01.01 2000.01.02"); err != nil || !v[1].Equal(time.Date(2000, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("dates as []time.Time: %v %v", v, err)
	}
	// Strings from symbols, chars and char vectors; []byte from a string.
	if v, err := EvalAs[[]string](ctx, "(\"ab\";\"c\")"); err != nil || !reflect.DeepEqual(v, []string{"ab", "c"}) {
		t.Errorf("strings: %v %v", v, err)
	}
	if v, err := EvalAs[string](ctx, "`sym"); err != nil || v != "sym" {
		t.Errorf("symbol as string: %v %v", v, err)
	}
	if v, err := EvalAs[[]byte](ctx, "\"ab\""); err != nil || string(v) != "ab" {
		t.Errorf("string as []byte: %v %v", v, err)
	}
	var any1 any
	if err := mustEval(t, "`a`b!1 2").Decode(&any1); err != nil {
		t.Fatal(err)
	}
	if _, ok := any1.(Dict); !ok {
		t.Errorf("into any: %T", any1)
	}
	var kept *K
	if err := mustEval(t, "{x*2}").Decode(&kept); err != nil || kept.Type() != 100 {
		t.Errorf("into *K: %v", err)
	}
	if v, err := EvalAs[int64](ctx, "{x y}", kept, 21); err != nil || v != 42 {
		t.Errorf("a *K function as an argument: %v %v", v, err)
	}
	if err := mustEval(t, "42").Decode(nil); err == nil {
		t.Error("Decode(nil) worked")
	}
}

func TestErrors(t *testing.T) {
	_, err := Eval(ctx, "1+`a")
	var qe *Error
	if !errors.As(err, &qe) || qe.Msg != "type" || err.Error() != "'type" {
		t.Errorf("1+`a: %v", err)
	}
	_, err = Eval(ctx, "'custom")
	if !errors.As(err, &qe) || qe.Msg != "custom" {
		t.Errorf("'custom: %v", err)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Eval(canceled, "1"); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: %v", err)
	}
}

func TestViews(t *testing.T) {
	k := mustEval(t, "til 5")
	defer k.Release()
	v, err := k.Int64s()
	if err != nil || !reflect.DeepEqual(v, []int64{0, 1, 2, 3, 4}) {
		t.Fatalf("view %v %v", v, err)
	}
	if _, err := k.Float64s(); err == nil {
		t.Error("a long vector viewed as floats")
	}
	// A vector made here and filled through its view, then summed by q: no copy either way.
	x, err := NewVector(KF, 1000)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := x.Float64s()
	for i := range f {
		f[i] = float64(i)
	}
	if s, err := EvalAs[float64](ctx, "sum", x); err != nil || s != 499500 {
		t.Errorf("sum of a filled vector: %v %v", s, err)
	}
	d := mustEval(t, "2024.01.02 2024.01.03")
	if days, err := d.Int32s(); err != nil || days[0] != 8767 {
		t.Errorf("dates viewed: %v %v", days, err)
	}
	c := mustEval(t, "\"abc\"")
	if b, err := c.Bytes(); err != nil || string(b) != "abc" {
		t.Errorf("chars viewed: %q %v", b, err)
	}
	g := mustEval(t, "2?0Ng")
	if u, err := g.UUIDs(); err != nil || len(u) != 2 || u[0] == u[1] {
		t.Errorf("guids viewed: %v %v", u, err)
	}
	for _, e := range []string{"0x01", "1 2h", "1 2i", "1 2e"} {
		k := mustEval(t, e)
		var err error
		switch k.Type() {
		case KG:
			_, err = k.Bytes()
		case KH:
			_, err = k.Int16s()
		case KI:
			_, err = k.Int32s()
		case KE:
			_, err = k.Float32s()
		}
		if err != nil {
			t.Errorf("%s: %v", e, err)
		}
	}
	if _, err := NewVector(KS, 1); err == nil {
		t.Error("NewVector made a symbol vector to fill through a view")
	}
}

func TestAccessors(t *testing.T) {
	tab := mustEval(t, "([] a:1 2 3; b:`x`y`z)")
	if tab.Len() != 3 || tab.Type() != XT {
		t.Errorf("table: len %d type %d", tab.Len(), tab.Type())
	}
	col, err := tab.Column("b")
	if err != nil || !reflect.DeepEqual(col.Value(), []string{"x", "y", "z"}) {
		t.Errorf("column b: %v %v", col, err)
	}
	if _, err := tab.Column("nope"); err == nil {
		t.Error("a missing column found")
	}
	keyed := mustEval(t, "([k:`a`b] v:1 2)")
	if v, err := keyed.Column("v"); err != nil || v.Len() != 2 {
		t.Errorf("keyed table's value column: %v", err)
	}
	d := mustEval(t, "`a`b!10 20")
	keys, _ := d.Key()
	vals, _ := d.Val()
	if d.Len() != 2 || !reflect.DeepEqual(keys.Value(), []string{"a", "b"}) || !reflect.DeepEqual(vals.Value(), []int64{10, 20}) {
		t.Errorf("dict parts: %v %v", keys, vals)
	}
	l := mustEval(t, "(1;`a;2 3)")
	if x, err := l.Index(2); err != nil || !reflect.DeepEqual(x.Value(), []int64{2, 3}) {
		t.Errorf("list item: %v %v", x, err)
	}
	v := mustEval(t, "10 20 30")
	if x, err := v.Index(1); err != nil || x.Type() != -KJ || x.Value() != int64(20) {
		t.Errorf("vector item: %v %v", x, err)
	}
	if _, err := v.Index(3); err == nil {
		t.Error("item 3 of 3")
	}
	if got := v.String(); got != "10 20 30" {
		t.Errorf("String: %q", got)
	}
	r := v.Retain()
	v.Release()
	v.Release()
	if r.Len() != 3 {
		t.Error("a retained reference lost its object")
	}
	if v.String() != "<released>" {
		t.Error("a released K still shows its object")
	}
}

func TestSet(t *testing.T) {
	if err := Set(ctx, "goSetTest", []int64{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if v, err := EvalAs[int64](ctx, "sum goSetTest"); err != nil || v != 6 {
		t.Errorf("sum of the global: %v %v", v, err)
	}
}
