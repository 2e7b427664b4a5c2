// Package q runs kdb+'s q in process and talks to kdb+ servers, over libq.so (libq-rs's
// drop-in replacement for KX's libraries).
//
//	v, err := q.EvalAs[int64](ctx, "sum", []int64{1, 2, 3}) // 6
//
//	var rows []struct {
//		Sym   string  `q:"sym"`
//		Price float64 `q:"price"`
//	}
//	k, err := q.Eval(ctx, "select from trade where price > x", 10.0)
//	err = k.Decode(&rows)
//
//	c, err := q.Dial(ctx, "localhost:5000")
//	k, err = c.Call(ctx, "upd", q.Symbol("trade"), rows)
//
// # Threads
//
// Any goroutine may call into the package, without runtime.LockOSThread: the package puts the
// library in dedicated mode (kx_threading(1)), where the library's own thread owns the engine
// and each call is carried to it and back. Building and freeing objects runs on the calling
// thread. Calls on one connection take turns; calls on different connections run in parallel.
//
// # Objects
//
// A *K holds one reference to a q object. Release gives it back; otherwise the garbage
// collector does. Views (Int64s, Float64s, ...) are the object's items in place, valid while
// the *K is alive and not released.
//
// # Conversions
//
// New (and every args ...any) converts Go to q; Value converts q to its natural Go type below,
// and Decode into any compatible Go type.
//
//	q type        Go (natural)        also decodes into
//	boolean       bool                integer kinds
//	guid          UUID                [16]byte
//	byte          byte                integer and float kinds
//	short/int     int16 / int32       integer and float kinds (nulls stay nulls: 0N -> MinInt, NaN)
//	long          int64 (int encodes) integer and float kinds
//	real/float    float32 / float64   float kinds
//	char          Char                string
//	string        string              []byte
//	symbol        Symbol (atom)       string
//	symbol list   []string            []Symbol
//	timestamp     time.Time (UTC)     (zero Time is 0Np)
//	month         Month               time.Time, int32
//	date          Date                time.Time, int32
//	datetime      Datetime            time.Time, float64
//	timespan      time.Duration       int64
//	minute/second Minute / Second     time.Duration, int32
//	time          Time                time.Duration, int32
//	list          []any               []T (item by item)
//	dictionary    Dict                map[K]V, a struct (symbol keys name fields)
//	table         Table               a struct of column slices, []RowStruct
//	keyed table   Dict of two Tables  as a table, key columns first
//	::            nil
//	other         *K (functions...)
//
// Going the other way, a Go string is a q string and a []string a symbol list; a struct whose
// fields are all slices is a table, a []struct a table of rows, another struct a dictionary;
// a map is a dictionary in key order. Fields are named by the tag `q:"name"` (`q:"-"` skips
// one) or their Go name.
//
// # Errors
//
// A q error ('type, 'length, a signal, a server's 'access) is an *Error; a failed connection a
// *NetError, which wraps the errno (errors.Is(err, syscall.ECONNREFUSED)).
//
// # Linking
//
// By default the package links the library built in this checkout (cargo build --release in
// the repository root). With -tags libq_installed it uses an installed one through pkg-config
// (scripts/install.sh PREFIX, then PKG_CONFIG_PATH=PREFIX/lib/pkgconfig).
package q
