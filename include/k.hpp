// k.hpp: C++17 over k.h, header-only.
//
//   q::K t = q::table({{"sym", q::symbols({"ibm", "msft"})}, {"px", q::vec<F>{1.5, 2.5}}});
//   q::K r = q::eval("{select from x where px>2}", t);   // q errors throw q::error
//   q::vec<J> v = q::eval("til 5");                        // a typed view, no copy
//   for (J x : v) ...
//
// q::K owns one reference (copy: r1, destroy: r0), so objects are freed exactly once whatever
// throws. Everything here is as thread-safe as the library: objects may be made, shared and
// freed on any thread, and q::eval may be called from any thread (calls are carried to the
// engine's owner thread).
//
// KX's one-letter shorthand macros from k.h (R, Z, O, P, U(x), DO, SW, xx, xy, ...) and the
// null macros (nj, nf, ...) would break the code and headers that follow: this header removes
// them (the q:: names below replace the nulls). Define LIBQ_KEEP_KX_MACROS to keep them.
#ifndef LIBQ_K_HPP
#define LIBQ_K_HPP

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cerrno>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "k.h"

#ifndef LIBQ_KEEP_KX_MACROS
#undef O
#undef R
#undef Z
#undef P
#undef U
#undef SW
#undef CS
#undef CD
#undef ZV
#undef ZK
#undef ZH
#undef ZI
#undef ZJ
#undef ZE
#undef ZF
#undef ZC
#undef ZS
#undef K1
#undef K2
#undef TX
#undef DO
#undef xr
#undef xt
#undef xu
#undef xn
#undef xx
#undef xy
#undef xg
#undef xh
#undef xi
#undef xj
#undef xe
#undef xf
#undef xs
#undef xk
#undef xG
#undef xH
#undef xI
#undef xJ
#undef xE
#undef xF
#undef xS
#undef xK
#undef xC
#undef xB
#undef xU
#undef nh
#undef wh
#undef ni
#undef wi
#undef nj
#undef wj
#undef nf
#undef wf
#undef closesocket
#endif

namespace q {

// q's nulls and infinities.
inline constexpr H nh = std::numeric_limits<H>::min();
inline constexpr H wh = std::numeric_limits<H>::max();
inline constexpr I ni = std::numeric_limits<I>::min();
inline constexpr I wi = std::numeric_limits<I>::max();
inline constexpr J nj = std::numeric_limits<J>::min();
inline constexpr J wj = std::numeric_limits<J>::max();
inline constexpr F nf = std::numeric_limits<F>::quiet_NaN();
inline constexpr F wf = std::numeric_limits<F>::infinity();

// A q error: 'type, 'length, a signal, a server's refusal. what() is the bare name ("type").
class error : public std::runtime_error {
public:
    explicit error(const std::string &name) : std::runtime_error(name) {}
};

// A failed connection or call on one (the connection is dead after it); code() is the errno.
class net_error : public error {
public:
    net_error(const std::string &what, int code) : error(what), code_(code) {}
    int code() const noexcept { return code_; }

private:
    int code_;
};

namespace detail {
// The pending error of this thread (ee), cleared.
inline std::string pending() {
    ::K e = ee(nullptr);
    std::string m = e && e->s ? e->s : "";
    r0(e);
    return m;
}

[[noreturn]] inline void fail() { throw error(pending()); }

inline ::K made(::K x) {
    if (!x) fail();
    return x;
}

inline S text(std::string_view s) { return const_cast<S>(s.data()); }

// kK(x): k.h's macro names K, which inside namespace q is q::K.
inline ::K *kk(::K x) noexcept { return reinterpret_cast<::K *>(x->G0); }

inline constexpr J epoch_ns = 946684800LL * 1000000000LL;
}  // namespace detail

class K;
template <class T> class vec;

// One reference to a q object; null (a default-constructed K) holds none.
class K {
public:
    K() noexcept = default;
    // Takes over the reference x (as returned by every k.h constructor).
    explicit K(::K x) noexcept : p_(x) {}
    // A new reference to x, which the caller keeps (an argument a callback borrows, say).
    static K borrow(::K x) noexcept { return K(x ? r1(x) : nullptr); }

    K(const K &o) noexcept : p_(o.p_ ? r1(o.p_) : nullptr) {}
    K(K &&o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    K &operator=(const K &o) noexcept {
        K(o).swap(*this);
        return *this;
    }
    K &operator=(K &&o) noexcept {
        K(std::move(o)).swap(*this);
        return *this;
    }
    ~K() {
        if (p_) r0(p_);
    }
    void swap(K &o) noexcept { std::swap(p_, o.p_); }

    ::K get() const noexcept { return p_; }
    // Gives up the reference to the caller (for a k.h function that takes it).
    ::K release() noexcept { return std::exchange(p_, nullptr); }
    explicit operator bool() const noexcept { return p_ != nullptr; }
    ::K operator->() const noexcept { return p_; }

    signed char type() const noexcept { return p_->t; }
    bool is_atom() const noexcept { return p_->t < 0; }
    // q's count: 1 for an atom, the items of a list, the keys of a dictionary, a table's rows.
    J count() const noexcept { return count_of(p_); }
    int refs() const noexcept { return p_->r; }

    // An atom's value as T, checked: J from long, timestamp, timespan; I from int, month, date,
    // minute, second, time; F from float, datetime; G from byte, boolean; bool; H; E; C;
    // std::string from a symbol, a char or a string.
    template <class T> T as() const;

    // Item i of a general list, a new reference.
    K operator[](J i) const {
        if (p_->t != 0) throw error("type");
        if (i < 0 || i >= p_->n) throw error("index");
        return borrow(detail::kk(p_)[i]);
    }
    // A dictionary's keys and values (a keyed table's key and value tables).
    K keys() const { return part(0); }
    K values() const { return part(1); }
    // A table's (or keyed table's) column by name.
    K column(std::string_view name) const;
    // A table's column names.
    std::vector<std::string> columns() const;

private:
    static J count_of(::K x) noexcept {
        if (x->t < 0 || x->t > XD) return 1;
        if (x->t == XT) {
            ::K cols = detail::kk(x->k)[1];
            return cols->n ? count_of(detail::kk(cols)[0]) : 0;
        }
        if (x->t == XD) return count_of(detail::kk(x)[0]);
        return x->n;
    }
    K part(int i) const {
        if (p_->t != XD) throw error("type");
        return borrow(detail::kk(p_)[i]);
    }
    ::K p_ = nullptr;
};

namespace detail {
template <class T> struct item;  // the q vector types whose items are T (the first: the default)
template <> struct item<G> { static constexpr std::array<signed char, 2> types{KG, KB}; };
template <> struct item<C> { static constexpr std::array<signed char, 1> types{KC}; };
template <> struct item<H> { static constexpr std::array<signed char, 1> types{KH}; };
template <> struct item<I> { static constexpr std::array<signed char, 6> types{KI, KM, KD, KU, KV, KT}; };
template <> struct item<J> { static constexpr std::array<signed char, 3> types{KJ, KP, KN}; };
template <> struct item<E> { static constexpr std::array<signed char, 1> types{KE}; };
template <> struct item<F> { static constexpr std::array<signed char, 2> types{KF, KZ}; };
template <> struct item<S> { static constexpr std::array<signed char, 1> types{KS}; };
template <> struct item<U> { static constexpr std::array<signed char, 1> types{UU}; };
template <> struct item<::K> { static constexpr std::array<signed char, 1> types{0}; };

template <class T> bool holds(signed char t) {
    for (signed char u : item<T>::types)
        if (t == u) return true;
    return false;
}
}  // namespace detail

// A view of contiguous items: what std::span is in C++20.
template <class T> class span {
public:
    span(T *data, std::size_t size) noexcept : data_(data), size_(size) {}
    T *data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    T *begin() const noexcept { return data_; }
    T *end() const noexcept { return data_ + size_; }
    T &operator[](std::size_t i) const noexcept { return data_[i]; }

private:
    T *data_;
    std::size_t size_;
};

// A vector whose items are T, holding its own reference: vec<J> over longs, timestamps or
// timespans, vec<F> over floats, vec<S> over symbols (interned pointers), vec<::K> over a
// general list. Writing items (operator[], data()) is for vectors this code made and has not
// shared: q shares objects freely.
template <class T> class vec {
public:
    using value_type = T;
    using iterator = T *;

    // Views x's items; 'type if x is not a vector of T.
    vec(K x) : k_(std::move(x)) {  // NOLINT: implicit, so q::vec<J> v = q::eval(...) reads well
        if (!k_ || !detail::holds<T>(k_.type())) throw error("type");
    }
    // A new vector of n items of type t (zeroed; symbols null, a general list ::).
    static vec make(J n, signed char t = detail::item<T>::types[0]) {
        if (!detail::holds<T>(t) || n < 0) throw error("type");
        return vec(K(detail::made(ktn(t, n))));
    }
    vec(std::initializer_list<T> items) : vec(make(0)) {
        for (const T &x : items) push_back(x);
    }

    T *data() const noexcept { return reinterpret_cast<T *>(kG(k_.get())); }
    std::size_t size() const noexcept { return static_cast<std::size_t>(k_->n); }
    bool empty() const noexcept { return k_->n == 0; }
    T *begin() const noexcept { return data(); }
    T *end() const noexcept { return data() + size(); }
    T &operator[](std::size_t i) const noexcept { return data()[i]; }
    T &at(std::size_t i) const {
        if (i >= size()) throw error("index");
        return data()[i];
    }
    q::span<T> span() const noexcept { return {data(), size()}; }
    std::vector<T> to_vector() const { return std::vector<T>(begin(), end()); }

    // Appends (ja; a symbol is interned, a K's reference taken). May move the items.
    void push_back(T x) {
        ::K p = k_.release();
        ::K r;
        if constexpr (std::is_same_v<T, S>) {
            r = js(&p, ss(x));
        } else if constexpr (std::is_same_v<T, ::K>) {
            r = jk(&p, x);
        } else {
            r = ja(&p, &x);
        }
        k_ = K(p);
        if (!r) detail::fail();
    }

    const K &k() const & noexcept { return k_; }
    K k() && noexcept { return std::move(k_); }
    operator const K &() const & noexcept { return k_; }  // NOLINT: a vec is a K
    operator K() && noexcept { return std::move(k_); }    // NOLINT

private:
    K k_;
};

// ---- making objects from C++ values --------------------------------------------------------

// A symbol (q's interned string), as opposed to a string (a char vector).
struct sym {
    std::string_view name;
};

// A q date from a calendar date.
struct date {
    int year, month, day;
};

inline K make(const K &x) { return x; }
inline K make(K &&x) { return std::move(x); }
template <class T> K make(const vec<T> &x) { return x.k(); }
template <class T> K make(vec<T> &&x) { return std::move(x).k(); }
inline K make(bool x) { return K(detail::made(kb(x))); }
inline K make(G x) { return K(detail::made(kg(x))); }
inline K make(C x) { return K(detail::made(kc(x))); }
inline K make(H x) { return K(detail::made(kh(x))); }
inline K make(I x) { return K(detail::made(ki(x))); }
inline K make(long x) { return K(detail::made(kj(static_cast<J>(x)))); }
inline K make(long long x) { return K(detail::made(kj(static_cast<J>(x)))); }
inline K make(E x) { return K(detail::made(ke(x))); }
inline K make(F x) { return K(detail::made(kf(x))); }
inline K make(std::string_view s) {
    return K(detail::made(kpn(detail::text(s), static_cast<J>(s.size()))));
}
inline K make(const char *s) { return make(std::string_view(s)); }
inline K make(const std::string &s) { return make(std::string_view(s)); }
inline K make(sym s) {
    return K(detail::made(ks(sn(detail::text(s.name), static_cast<I>(s.name.size())))));
}
inline K make(date d) { return K(detail::made(kd(ymd(d.year, d.month, d.day)))); }
inline K make(const U &u) { return K(detail::made(ku(u))); }
inline K make(std::nullptr_t) { return K(detail::made(ka(101))); }
// A timestamp from a system_clock time.
template <class D> K make(std::chrono::time_point<std::chrono::system_clock, D> t) {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    return K(detail::made(ktj(-KP, static_cast<J>(ns) - detail::epoch_ns)));
}
// A timespan from a duration.
template <class Rep, class Period> K make(std::chrono::duration<Rep, Period> d) {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
    return K(detail::made(ktj(-KN, static_cast<J>(ns))));
}

// A vector from a std::vector (std::string items: a symbol list; K items: a general list).
template <class T> K make(const std::vector<T> &xs) {
    if constexpr (std::is_same_v<T, bool>) {
        vec<G> v = vec<G>::make(static_cast<J>(xs.size()), KB);
        for (std::size_t i = 0; i < xs.size(); i++) v[i] = xs[i];
        return std::move(v).k();
    } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
        vec<S> v = vec<S>::make(static_cast<J>(xs.size()));
        for (std::size_t i = 0; i < xs.size(); i++)
            v[i] = sn(detail::text(xs[i]), static_cast<I>(xs[i].size()));
        return std::move(v).k();
    } else if constexpr (std::is_same_v<T, K>) {
        vec<::K> v = vec<::K>::make(static_cast<J>(xs.size()));
        for (std::size_t i = 0; i < xs.size(); i++) {
            r0(v[i]);
            v[i] = K(xs[i]).release();
        }
        return std::move(v).k();
    } else {
        using item = std::conditional_t<std::is_same_v<T, long>, J, T>;
        static_assert(sizeof(item) == sizeof(T), "no q vector holds these items");
        vec<item> v = vec<item>::make(static_cast<J>(xs.size()));
        if (!xs.empty()) std::memcpy(v.data(), xs.data(), xs.size() * sizeof(T));
        return std::move(v).k();
    }
}

// A symbol list.
inline K symbols(std::initializer_list<std::string_view> names) {
    return make(std::vector<std::string_view>(names));
}

// A general list of the arguments, each made by make: q::list(1LL, q::sym{"a"}, "text").
template <class... A> K list(A &&...xs) {
    std::array<K, sizeof...(A)> items{{make(std::forward<A>(xs))...}};
    vec<::K> v = vec<::K>::make(static_cast<J>(sizeof...(A)));
    for (std::size_t i = 0; i < items.size(); i++) {
        r0(v[i]);
        v[i] = items[i].release();
    }
    return std::move(v).k();
}

// A dictionary (xD).
inline K dict(K keys, K values) {
    return K(detail::made(xD(keys.release(), values.release())));
}

// A table from (name, column) pairs (xT).
inline K table(std::initializer_list<std::pair<std::string_view, K>> columns) {
    vec<S> names = vec<S>::make(static_cast<J>(columns.size()));
    vec<::K> cols = vec<::K>::make(static_cast<J>(columns.size()));
    std::size_t i = 0;
    for (const auto &c : columns) {
        names[i] = sn(detail::text(c.first), static_cast<I>(c.first.size()));
        r0(cols[i]);
        cols[i] = K(c.second).release();
        i++;
    }
    return K(detail::made(xT(dict(std::move(names).k(), std::move(cols).k()).release())));
}

// The keyed table of t on its first n columns: a dictionary of two tables, built here (knt's
// ownership of its argument differs between libraries).
inline K key(const K &t, J n) {
    if (!t || t.type() != XT) throw error("type");
    ::K names = detail::kk(t->k)[0], cols = detail::kk(t->k)[1];
    if (n < 1 || n >= names->n) throw error("length");
    auto part = [&](J from, J to) {
        vec<S> ns = vec<S>::make(to - from);
        vec<::K> cs = vec<::K>::make(to - from);
        for (J i = from; i < to; i++) {
            ns[static_cast<std::size_t>(i - from)] = kS(names)[i];
            r0(cs[static_cast<std::size_t>(i - from)]);
            cs[static_cast<std::size_t>(i - from)] = r1(detail::kk(cols)[i]);
        }
        return K(detail::made(xT(dict(std::move(ns).k(), std::move(cs).k()).release())));
    };
    K keys = part(0, n);
    return dict(std::move(keys), part(n, names->n));
}

// ---- reading values -------------------------------------------------------------------------

template <class T> T K::as() const {
    if (!p_) throw error("type");
    signed char t = p_->t;
    if constexpr (std::is_same_v<T, std::string>) {
        if (t == KC) return std::string(reinterpret_cast<const char *>(kC(p_)), static_cast<std::size_t>(p_->n));
        if (t == -KS) return std::string(p_->s);
        if (t == -KC) return std::string(1, static_cast<char>(p_->g));
    } else if constexpr (std::is_same_v<T, bool>) {
        if (t == -KB) return p_->g != 0;
    } else if constexpr (std::is_same_v<T, U>) {
        if (t == -UU) return kU(p_)[0];
    } else if constexpr (std::is_same_v<T, S>) {
        if (t == -KS) return p_->s;
    } else {
        if (t < 0 && detail::holds<T>(static_cast<signed char>(-t))) {
            if constexpr (std::is_same_v<T, G> || std::is_same_v<T, C>) return static_cast<T>(p_->g);
            if constexpr (std::is_same_v<T, H>) return p_->h;
            if constexpr (std::is_same_v<T, I>) return p_->i;
            if constexpr (std::is_same_v<T, J>) return p_->j;
            if constexpr (std::is_same_v<T, E>) return p_->e;
            if constexpr (std::is_same_v<T, F>) return p_->f;
        }
    }
    throw error("type");
}

inline K K::column(std::string_view name) const {
    if (!p_) throw error("type");
    std::array<::K, 2> parts{{p_, nullptr}};
    if (p_->t == XD) {
        parts = {detail::kk(p_)[0], detail::kk(p_)[1]};
        if (parts[0]->t != XT || parts[1]->t != XT) throw error("type");
    } else if (p_->t != XT) {
        throw error("type");
    }
    for (::K t : parts) {
        if (!t) continue;
        ::K names = detail::kk(t->k)[0], cols = detail::kk(t->k)[1];
        for (J i = 0; i < names->n; i++)
            if (name == kS(names)[i]) return borrow(detail::kk(cols)[i]);
    }
    throw error(std::string(name));
}

inline std::vector<std::string> K::columns() const {
    if (!p_ || p_->t != XT) throw error("type");
    ::K names = detail::kk(p_->k)[0];
    return std::vector<std::string>(kS(names), kS(names) + names->n);
}

// ---- evaluating -----------------------------------------------------------------------------

namespace detail {
// A k call's result: a type -128 result throws q::error; a null (a failed connection) throws
// q::net_error.
inline K result(::K r, int code) {
    if (!r) throw net_error(pending(), code);
    if (r->t == -128) {
        std::string m = r->s ? r->s : "";
        r0(r);
        throw error(m);
    }
    return K(r);
}

template <class... A> K call(I h, const char *s, A &&...args) {
    std::array<K, sizeof...(A)> owned{{make(std::forward<A>(args))...}};
    std::array<::K, sizeof...(A) + 1> raw{};
    for (std::size_t i = 0; i < owned.size(); i++) raw[i] = owned[i].release();
    errno = 0;
    ::K r = kx_k_array(h, s, static_cast<I>(sizeof...(A)), raw.data());
    return result(r, errno);
}
}  // namespace detail

// Evaluates expr in the embedded engine; with arguments, applies it to them (each made by
// make): q::eval("{x+y}", 2LL, 3LL).
template <class... A> K eval(const char *expr, A &&...args) {
    return detail::call(0, expr, std::forward<A>(args)...);
}
template <class... A> K eval(const std::string &expr, A &&...args) {
    return detail::call(0, expr.c_str(), std::forward<A>(args)...);
}

// q's string form of x (-3!).
inline std::string str(const K &x) { return eval("-3!", x).as<std::string>(); }

// A connection to a kdb+ server, closed when destroyed. Calls from several threads on one
// connection take turns.
class connection {
public:
    // khpunc: throws q::error("access") if the server refuses the credentials, q::net_error
    // if it cannot be reached or the timeout (milliseconds, 0: none) passes.
    connection(const std::string &host, int port, const std::string &credentials = "",
               int timeout_ms = 0, int capability = 0) {
        errno = 0;
        h_ = khpunc(detail::text(host), port, detail::text(credentials), timeout_ms, capability);
        if (h_ > 0) return;
        int code = errno;
        std::string m = detail::pending();
        if (h_ == 0) throw error("access");
        throw net_error(m.empty() ? (h_ == -2 ? "timeout" : "connect") : m, code);
    }
    connection(const connection &) = delete;
    connection &operator=(const connection &) = delete;
    connection(connection &&o) noexcept : h_(std::exchange(o.h_, 0)) {}
    connection &operator=(connection &&o) noexcept {
        std::swap(h_, o.h_);
        return *this;
    }
    ~connection() { close(); }

    void close() noexcept {
        if (h_ > 0) kclose(h_);
        h_ = 0;
    }
    I handle() const noexcept { return h_; }

    // A synchronous request: the answer, or q::error with the server's error.
    template <class... A> K call(const std::string &expr, A &&...args) {
        return detail::call(open_handle(), expr.c_str(), std::forward<A>(args)...);
    }
    // An asynchronous message.
    template <class... A> void async(const std::string &expr, A &&...args) {
        detail::call(-open_handle(), expr.c_str(), std::forward<A>(args)...);
    }
    // The next message the server sends.
    K receive() {
        I h = open_handle();
        errno = 0;
        ::K r = kx_k_array(h, nullptr, 0, nullptr);
        return detail::result(r, errno);
    }

private:
    // The handle; a closed connection throws rather than reach k(0, ...), the local engine.
    I open_handle() const {
        if (h_ <= 0) throw net_error("closed", EBADF);
        return h_;
    }
    I h_ = 0;
};

}  // namespace q

#endif  // LIBQ_K_HPP
