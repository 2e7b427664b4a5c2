package q

import (
	"encoding/hex"
	"fmt"
	"math"
	"time"
)

// Type is a q type number: negative for atoms, positive for vectors (k.h's names).
type Type int8

const (
	KList  Type = 0   // general list
	KB     Type = 1   // boolean
	UU     Type = 2   // guid
	KG     Type = 4   // byte
	KH     Type = 5   // short
	KI     Type = 6   // int
	KJ     Type = 7   // long
	KE     Type = 8   // real
	KF     Type = 9   // float
	KC     Type = 10  // char
	KS     Type = 11  // symbol
	KP     Type = 12  // timestamp: nanoseconds from 2000.01.01
	KM     Type = 13  // month: months from 2000.01
	KD     Type = 14  // date: days from 2000.01.01
	KZ     Type = 15  // datetime: fractional days from 2000.01.01
	KN     Type = 16  // timespan: nanoseconds
	KU     Type = 17  // minute
	KV     Type = 18  // second
	KT     Type = 19  // time: milliseconds
	XT     Type = 98  // table
	XD     Type = 99  // dictionary (a keyed table is a dictionary of two tables)
	KNull  Type = 101 // the generic null :: (and unary primitives)
	KError Type = -128
)

// Attr is a vector's attribute: 0 none, 1 `s#` sorted, 2 `u#` unique, 3 `p#` parted, 4 `g#` grouped.
type Attr int8

// q's nulls and infinities for the integer types; for floats use math.NaN() and math.Inf.
const (
	NullShort int16 = math.MinInt16
	InfShort  int16 = math.MaxInt16
	NullInt   int32 = math.MinInt32
	InfInt    int32 = math.MaxInt32
	NullLong  int64 = math.MinInt64
	InfLong   int64 = math.MaxInt64
)

// Symbol is a q symbol (an interned string); a Go string is a q string (a char vector).
type Symbol string

// Char is a q char atom; a q string is a Go string.
type Char byte

// UUID is a q guid.
type UUID [16]byte

// Date is a q date: days from 2000.01.01.
type Date int32

// Month is a q month: months from 2000.01.
type Month int32

// Minute is a q minute: minutes from midnight.
type Minute int32

// Second is a q second: seconds from midnight.
type Second int32

// Time is a q time: milliseconds from midnight.
type Time int32

// Datetime is q's deprecated datetime: fractional days from 2000.01.01.
type Datetime float64

// Timestamps are time.Time (UTC; the zero Time is the null 0Np) and timespans time.Duration.

// epoch is 2000.01.01, q's day zero, in Unix seconds.
const epoch = 946684800

const day = 24 * time.Hour

func timeOfNanos(j int64) time.Time {
	if j == NullLong {
		return time.Time{}
	}
	return time.Unix(epoch, j).UTC()
}

func nanosOfTime(t time.Time) int64 {
	if t.IsZero() {
		return NullLong
	}
	return (t.Unix()-epoch)*int64(time.Second) + int64(t.Nanosecond())
}

// DateOf is t's calendar date (in t's location); the zero Time gives the null date.
func DateOf(t time.Time) Date {
	if t.IsZero() {
		return Date(NullInt)
	}
	y, m, d := t.Date()
	return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/86400 - epoch/86400)
}

// Time is midnight UTC of the date; the null date gives the zero Time.
func (d Date) Time() time.Time {
	if int32(d) == NullInt {
		return time.Time{}
	}
	return time.Unix(epoch+int64(d)*86400, 0).UTC()
}

func (d Date) String() string {
	if int32(d) == NullInt {
		return "0Nd"
	}
	return d.Time().Format("2006.01.02")
}

// MonthOf is t's month; the zero Time gives the null month.
func MonthOf(t time.Time) Month {
	if t.IsZero() {
		return Month(NullInt)
	}
	return Month((t.Year()-2000)*12 + int(t.Month()) - 1)
}

// Time is the first day of the month, midnight UTC; the null month gives the zero Time.
func (m Month) Time() time.Time {
	if int32(m) == NullInt {
		return time.Time{}
	}
	return time.Date(2000, time.January+time.Month(m), 1, 0, 0, 0, 0, time.UTC)
}

func (m Month) String() string {
	if int32(m) == NullInt {
		return "0Nm"
	}
	return m.Time().Format("2006.01") + "m"
}

// DatetimeOf is t as a datetime; the zero Time gives the null datetime.
func DatetimeOf(t time.Time) Datetime {
	if t.IsZero() {
		return Datetime(math.NaN())
	}
	return Datetime(float64(nanosOfTime(t)) / float64(day))
}

// Time is the datetime as a UTC time, to the millisecond; null gives the zero Time.
func (z Datetime) Time() time.Time {
	if math.IsNaN(float64(z)) {
		return time.Time{}
	}
	ms := math.Round(float64(z) * 86400e3)
	return timeOfNanos(int64(ms) * int64(time.Millisecond))
}

// Duration is the minute as a time.Duration (null: math.MinInt64).
func (u Minute) Duration() time.Duration { return scaled(int32(u), time.Minute) }

// Duration is the second as a time.Duration (null: math.MinInt64).
func (v Second) Duration() time.Duration { return scaled(int32(v), time.Second) }

// Duration is the time as a time.Duration (null: math.MinInt64).
func (t Time) Duration() time.Duration { return scaled(int32(t), time.Millisecond) }

func scaled(n int32, unit time.Duration) time.Duration {
	if n == NullInt {
		return time.Duration(NullLong)
	}
	return time.Duration(n) * unit
}

// unscaled is the inverse of scaled, truncating toward zero.
func unscaled(d time.Duration, unit time.Duration) int32 {
	if int64(d) == NullLong {
		return NullInt
	}
	return int32(d / unit)
}

func (u Minute) String() string { return clock(int32(u), "0Nu", 60, 1, 0) }
func (v Second) String() string { return clock(int32(v), "0Nv", 3600, 60, 1) }
func (t Time) String() string {
	if int32(t) == NullInt {
		return "0Nt"
	}
	sign := ""
	n := int64(t)
	if n < 0 {
		sign, n = "-", -n
	}
	return fmt.Sprintf("%s%02d:%02d:%02d.%03d", sign, n/3600000, n/60000%60, n/1000%60, n%1000)
}

// clock formats n units as hh:mm or hh:mm:ss (hours are hourUnits units, minutes minuteUnits).
func clock(n int32, null string, hourUnits, minuteUnits, secondUnits int64) string {
	if n == NullInt {
		return null
	}
	sign := ""
	v := int64(n)
	if v < 0 {
		sign, v = "-", -v
	}
	if secondUnits == 0 {
		return fmt.Sprintf("%s%02d:%02d", sign, v/hourUnits, v%hourUnits)
	}
	return fmt.Sprintf("%s%02d:%02d:%02d", sign, v/hourUnits, v/minuteUnits%60, v%60)
}

func (u UUID) String() string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// ParseUUID reads the canonical form 8-4-4-4-12 (as q prints a guid).
func ParseUUID(s string) (UUID, error) {
	var u UUID
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, fmt.Errorf("q: not a guid: %q", s)
	}
	clean := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	if _, err := hex.Decode(u[:], []byte(clean)); err != nil {
		return u, fmt.Errorf("q: not a guid: %q", s)
	}
	return u, nil
}

// Dict is a q dictionary: Keys and Values are lists (Go slices) of one length, or tables.
type Dict struct {
	Keys, Values any
}

// Table is a q table: column names and the columns (Go slices, one length).
type Table struct {
	Columns []string
	Data    []any
}
