//! The rules around the bytes: capabilities, enumerations, byte order, large-message counts,
//! function objects built by hand, the C exports, and what garbled input gives.

use q::obj::{layout::*, Error, Guid, Sym, K};
use q::wire;

mod wire_support;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn b9_hex(mode: i32, x: &K) -> String {
    hex(wire::b9(mode, x).unwrap().as_slice::<u8>())
}

fn err(name: &str) -> Error {
    Error::new(name)
}

/// Wraps a payload in a little-endian header of the right length.
fn message(payload: &[u8]) -> Vec<u8> {
    let mut m = vec![1, 0, 0, 0];
    m.extend_from_slice(&((payload.len() + 8) as u32).to_le_bytes());
    m.extend_from_slice(payload);
    m
}

fn syms(names: &[&str]) -> K {
    K::from_slice(KS, &names.iter().map(Sym::new).collect::<Vec<_>>())
}

#[test]
fn every_vector_type_with_every_attribute_round_trips() {
    for t in (1..=KT).filter(|&t| t != 3) {
        let size = item_size(t);
        for attr in [
            ATTR_NONE,
            ATTR_SORTED,
            ATTR_UNIQUE,
            ATTR_PARTED,
            ATTR_GROUPED,
        ] {
            let mut v = if t == KS {
                syms(&["a", "bc"])
            } else {
                let data: Vec<u8> = (0..2 * size as u8).map(|i| i + 1).collect();
                if size == 1 {
                    K::from_slice(t, &data)
                } else {
                    // Other widths are filled through d9, which the round trip then checks.
                    let mut p = vec![t as u8, 0];
                    p.extend_from_slice(&2u32.to_le_bytes());
                    p.extend_from_slice(&data);
                    wire::d9(&message(&p)).unwrap()
                }
            };
            v.set_attr(attr);
            let bytes = wire::b9(3, &v).unwrap();
            let b = bytes.as_slice::<u8>();
            assert_eq!(
                (b[8] as i8, b[9], &b[10..14]),
                (t, attr, &2u32.to_le_bytes()[..]),
                "type {t}"
            );
            let back = wire::d9(b).unwrap();
            assert_eq!((back.t(), back.attr(), back.n()), (t, attr, 2), "type {t}");
            assert_eq!(b9_hex(3, &back), hex(b));
            // And each item as an atom.
            let p = &b[14..];
            let atom_bytes: Vec<u8> = if t == KS {
                b"a\0".to_vec()
            } else {
                p[..size].to_vec()
            };
            let mut a = vec![(-t) as u8];
            a.extend_from_slice(&atom_bytes);
            let atom = wire::d9(&message(&a)).unwrap();
            assert_eq!(atom.t(), -t);
            assert_eq!(b9_hex(3, &atom), hex(&message(&a)));
        }
    }
}

#[test]
fn capabilities_refuse_what_the_peer_cannot_read() {
    let ts = K::atom_i64(-KP, 5);
    let spans = K::from_slice(KN, &[1i64, 2]);
    let guid = K::guid_atom(Guid([1; 16]));
    assert_eq!(wire::b9(0, &ts).unwrap_err(), Error::type_());
    assert_eq!(
        wire::b9(0, &K::list(vec![K::long(1), spans.clone()])).unwrap_err(),
        Error::type_()
    );
    assert_eq!(b9_hex(1, &ts), "0100000011000000f40500000000000000");
    assert_eq!(wire::b9(1, &guid).unwrap_err(), Error::type_());
    assert_eq!(
        wire::b9(2, &K::from_slice(UU, &[Guid([0; 16])])).unwrap_err(),
        Error::type_()
    );
    assert_eq!(
        b9_hex(3, &guid),
        format!("0100000019000000fe{}", "01".repeat(16))
    );
    assert_eq!(wire::encode(&spans, 1, 0).unwrap_err(), Error::type_());
    assert_eq!(hex(&wire::encode(&spans, 1, 1).unwrap()[..2]), "0101");
    assert_eq!(wire::b9(7, &ts).unwrap_err(), Error::domain());
    assert_eq!(wire::b9(-2, &ts).unwrap_err(), Error::domain());
}

fn domains(t: i8) -> Option<K> {
    (t == 20).then(|| syms(&["a", "b", "c"]))
}

#[test]
fn enumerations_go_out_as_symbols_unless_kept() {
    wire::enums::set_domain_lookup(domains);
    let mut e = K::from_slice(20, &[2i64, 0, 1, 7]);
    e.set_attr(ATTR_PARTED);
    let mut plain = syms(&["c", "a", "b", ""]);
    plain.set_attr(ATTR_PARTED);
    for mode in [0, 2, 3, 6] {
        assert_eq!(b9_hex(mode, &e), b9_hex(mode, &plain), "mode {mode}");
    }
    assert_eq!(
        wire::encode(&e, 0, 3).unwrap(),
        wire::encode(&plain, 0, 3).unwrap()
    );
    let atom = K::atom_i64(-20, 1);
    assert_eq!(b9_hex(3, &atom), b9_hex(3, &K::sym(Sym::new("b"))));
    // Modes 1 and -1 keep the enumeration, for reading back in the same process.
    for mode in [1, -1] {
        let kept = wire::b9(mode, &e).unwrap();
        assert_eq!(hex(&kept.as_slice::<u8>()[8..14]), "140304000000");
        let back = wire::d9(kept.as_slice::<u8>()).unwrap();
        assert_eq!(
            (back.t(), back.attr(), back.as_slice::<i64>()),
            (20, ATTR_PARTED, &[2, 0, 1, 7][..])
        );
        let a = wire::d9(wire::b9(mode, &atom).unwrap().as_slice::<u8>()).unwrap();
        assert_eq!((a.t(), a.j()), (-20, 1));
    }
    // A domain nobody knows.
    assert_eq!(
        wire::b9(3, &K::from_slice(21, &[0i64])).unwrap_err(),
        Error::domain()
    );
}

#[test]
fn big_endian_messages_read_the_same() {
    // 1 2 3i, big-endian.
    let be = unhex("000000000000001a060000000003000000010000000200000003");
    let x = wire::d9(&be).unwrap();
    assert_eq!((x.t(), x.as_slice::<i32>()), (KI, &[1, 2, 3][..]));
    assert_eq!(
        b9_hex(3, &x),
        "010000001a000000060003000000010000000200000003000000"
    );
    // Atoms of every width, a float, a guid (guids are bytes, never swapped) and a symbol.
    let items = unhex(concat!(
        "fbfff1",                             // -15h
        "f9000000000000002a",                 // 42
        "f73ff8000000000000",                 // 1.5
        "fe000102030405060708090a0b0c0d0e0f", // a guid
        "f5616200",                           // `ab
        "f0000000000000000b",                 // 0D00:00:00.000000011
    ));
    let mut payload = vec![0, 0];
    payload.extend_from_slice(&6u32.to_be_bytes());
    payload.extend_from_slice(&items);
    let mut msg = vec![0, 1, 0, 0];
    msg.extend_from_slice(&((payload.len() + 8) as u32).to_be_bytes());
    msg.extend_from_slice(&payload);
    let x = wire::d9(&msg).unwrap_or_else(|e| panic!("{e} {}", hex(&msg)));
    let items = x.items();
    assert_eq!(items[0].h(), -15);
    assert_eq!(items[1].j(), 42);
    assert_eq!(items[2].f(), 1.5);
    assert_eq!(items[3].guid().0, core::array::from_fn(|i| i as u8));
    assert_eq!(items[4].s().as_str(), "ab");
    assert_eq!((items[5].t(), items[5].j()), (-KN, 11));
    // A compressed big-endian message: lengths in the message's byte order.
    let mut bools = vec![0, 0, 0, 0];
    bools.extend_from_slice(&2014u32.to_be_bytes());
    bools.extend_from_slice(&[1, 0]);
    bools.extend_from_slice(&2000u32.to_be_bytes());
    bools.extend(std::iter::repeat_n(1u8, 2000));
    let z = wire::compress(&bools).unwrap();
    assert_eq!(hex(&z[..12]), "0000010000000026000007de");
    let x = wire::d9(&z).unwrap();
    assert_eq!((x.t(), x.n()), (KB, 2000));
    assert!(x.as_slice::<u8>().iter().all(|&b| b == 1));
}

#[test]
fn large_message_counts() {
    // Attribute bit 0x80: the count is 8 bytes (capability 6 messages).
    let long_count = message(&unhex(
        "07810300000000000000010000000000000002000000000000000300000000000000",
    ));
    let x = wire::d9(&long_count).unwrap();
    assert_eq!(
        (x.t(), x.attr(), x.as_slice::<i64>()),
        (KJ, ATTR_SORTED, &[1, 2, 3][..])
    );
    assert_eq!(
        b9_hex(6, &x),
        "0100000026000000070103000000010000000000000002000000000000000300000000000000"
    );
    // Header byte 3 extends the length: such a short buffer cannot be that message.
    let mut big = message(&unhex("fa01000000"));
    big[3] = 1;
    assert_eq!(wire::d9(&big).unwrap_err(), err("badmsg"));
}

#[test]
fn function_objects_built_by_hand() {
    let plus = K::atom_word(BINARY, 1);
    let elided = K::atom_word(UNARY, 255);
    let proj = K::list_of_type(PROJECTION, vec![plus.clone(), elided, K::long(2)]);
    let bytes = "010000001a0000006803000000660165fff90200000000000000";
    assert_eq!(b9_hex(3, &proj), bytes);
    let back = wire::d9(&unhex(bytes)).unwrap();
    assert_eq!(
        (back.t(), back.items()[1].t(), back.items()[1].g()),
        (PROJECTION, UNARY, 255)
    );

    let lambda = |ns: &str| K::list_of_type(LAMBDA, vec![K::string("{x}"), K::sym(Sym::new(ns))]);
    assert_eq!(
        b9_hex(3, &lambda("")),
        "01000000130000006400".to_owned() + "0a00030000007b787d"
    );
    assert_eq!(
        b9_hex(3, &lambda(".d")),
        "0100000014000000646400".to_owned() + "0a00030000007b787d"
    );
    assert_eq!(b9_hex(3, &lambda("d")), b9_hex(3, &lambda(".d")));
    let each = K::list_of_type(EACH, vec![lambda("")]);
    assert_eq!(&b9_hex(3, &each)[16..20], "6a64");
    let compose = K::list_of_type(COMPOSITION, vec![K::atom_word(UNARY, 0x1c), plus]);
    assert_eq!(&b9_hex(3, &compose)[16..], "6902000000651c6601");
    let e = K::error(Sym::new("oops"));
    assert_eq!(b9_hex(3, &e), "010000000e000000806f6f707300");
    // What kdb+ cannot send.
    let bad_lambda = K::list_of_type(LAMBDA, vec![K::long(1)]);
    assert_eq!(wire::b9(3, &bad_lambda).unwrap_err(), Error::type_());
    let foreign = K::list_of_type(FOREIGN, vec![K::identity(), K::identity()]);
    assert_eq!(wire::b9(3, &foreign).unwrap_err(), Error::type_());
    // A sorted dictionary is type 127.
    let mut keys = syms(&["a", "b"]);
    keys.set_attr(ATTR_SORTED);
    let d = K::dict(keys, K::from_slice(KI, &[2i32, 3]));
    assert_eq!(
        b9_hex(3, &d),
        "01000000210000007f0b0102000000610062000600020000000200000003000000"
    );
}

#[test]
fn b9_compresses_only_in_mode_3_and_up() {
    let x = K::from_slice(KJ, &vec![7i64; 1000]);
    let plain = wire::b9(2, &x).unwrap();
    assert_eq!(plain.n(), 8 + 6 + 8000);
    for mode in [3, 4, 5, 6] {
        let z = wire::b9(mode, &x).unwrap();
        assert_eq!(z.as_slice::<u8>()[2], 1, "mode {mode}");
        assert!(z.n() < plain.n() / 2);
        assert_eq!(
            wire::decompress(z.as_slice::<u8>()).unwrap(),
            plain.as_slice::<u8>()
        );
        assert_eq!(
            wire::d9(z.as_slice::<u8>()).unwrap().as_slice::<i64>(),
            x.as_slice::<i64>()
        );
    }
    assert_eq!(x.refcount(), 0);
}

#[test]
fn messages_for_peers_follow_kdbs_compression_rule() {
    let x = K::from_slice(KJ, &vec![7i64; 1000]);
    let plain = wire::encode(&x, 1, 3).unwrap();
    assert_eq!(wire::encode_message(&x, 1, 3, true).unwrap(), plain);
    assert_eq!(wire::encode_message(&x, 1, 0, false).unwrap(), plain);
    let z = wire::encode_message(&x, 1, 3, false).unwrap();
    assert_eq!((z[1], z[2]), (1, 1));
    assert_eq!(wire::decompress(&z).unwrap(), plain);
    // A reused buffer, longer than the next message, holds exactly that message afterwards.
    let mut buf = vec![0xaa; 20_000];
    wire::encode_into(&x, 1, 3, &mut buf).unwrap();
    assert_eq!(buf, plain);
    let small = K::from_slice(KJ, &[7i64; 10]);
    wire::encode_into(&small, 2, 3, &mut buf).unwrap();
    assert_eq!(buf, wire::encode(&small, 2, 3).unwrap());
    assert_eq!(
        wire::encode_message(&small, 2, 3, false).unwrap(),
        wire::encode(&small, 2, 3).unwrap()
    );
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let mut x = K::long(1);
    for _ in 0..=wire::MAX_DEPTH + 5 {
        x = K::list(vec![x]);
    }
    assert_eq!(wire::b9(3, &x).unwrap_err(), err("stack"));
    let mut payload = Vec::new();
    for _ in 0..100_000 {
        payload.extend_from_slice(&[0, 0, 1, 0, 0, 0]);
    }
    payload.extend_from_slice(&[0xff, 1]);
    assert_eq!(wire::d9(&message(&payload)).unwrap_err(), err("stack"));
    assert!(!wire_support::decodes(&message(&payload)));
    // Within the bound it reads.
    let ok: Vec<u8> = [0u8, 0, 1, 0, 0, 0]
        .repeat(wire::MAX_DEPTH - 1)
        .into_iter()
        .chain([0xff, 1])
        .collect();
    assert!(wire_support::decodes(&message(&ok)));
}

#[test]
fn garbled_messages_are_badmsg() {
    let bad = |payload: &str| {
        let m = message(&unhex(payload));
        assert_eq!(wire::d9(&m).unwrap_err(), err("badmsg"), "{payload}");
        assert!(!wire_support::decodes(&m), "{payload}");
    };
    bad("0700ffffff7f"); // a count far beyond the bytes
    bad("0000ffffff7f"); // a general list claiming 2^31-1 items
    bad("0b00ffffff7f"); // a symbol vector likewise
    bad("0b0002000000610062"); // an unterminated symbol
    bad("0780ffffffffffffff7f"); // a long count beyond the bytes
    bad("0700ffffffff"); // a negative count
    bad("f56162"); // an unterminated symbol atom
    bad("03000000000000"); // type 3 does not exist
    bad("fd00"); // nor -3
    bad("4d0000000000"); // nor 77
    bad("700000000000"); // foreign objects do not travel
    bad("fa0100000000"); // a trailing byte
    bad("fa010000"); // a truncated int
    bad("6200fa01000000"); // a table of something other than a dictionary
    bad("63070001000000010000000000000007000200000001000000000000000200000000000000"); // 1 vs 2
    bad("640066a5"); // a lambda whose source is not a string
    bad("6800000000"); // a projection of nothing
    bad("62006307000100000001000000000000000000010000000700010000000100000000000000"); // long keys
    bad("");
    // Header problems.
    let good = message(&unhex("fa01000000"));
    assert!(wire_support::decodes(&good));
    let mut wrong_len = good.clone();
    wrong_len[4] = 14;
    assert_eq!(wire::d9(&wrong_len).unwrap_err(), err("badmsg"));
    assert_eq!(wire::d9(&good[..7]).unwrap_err(), err("badmsg"));
    let mut endian = good.clone();
    endian[0] = 2;
    assert_eq!(wire::d9(&endian).unwrap_err(), err("badmsg"));
    // Every truncation of a real message, re-headed to its new length, is refused.
    let table =
        unhex("6200630b00020000006100620000000200000006000100000002000000060001000000030000");
    for cut in 0..table.len() - 1 {
        let m = message(&table[..cut]);
        assert!(wire::d9(&m).is_err(), "cut at {cut}");
    }
}

#[test]
fn c_exports_follow_k_h() {
    use q::ffi::boundary::take_error;
    use q::ffi::wire::{b9, d9, okx};
    let x = K::from_slice(KI, &[1i32, 2, 3]);
    let bytes = b9(-1, x.as_ptr());
    assert!(!bytes.is_null());
    // SAFETY: b9 returned a new reference to a live byte vector.
    let bytes = unsafe { K::from_raw(bytes) }.unwrap();
    // Mode -1 is libe.so's in-process form: header byte 2 is 3 (symbols would be pointers).
    assert_eq!(
        hex(bytes.as_slice::<u8>()),
        "010003001a000000060003000000010000000200000003000000"
    );
    assert_eq!(okx(bytes.as_ptr()), 0); // okx takes byte 2 up to 2, as libe.so's
    let before = hex(bytes.as_slice::<u8>());
    let back = d9(bytes.as_ptr());
    // SAFETY: as above.
    let back = unsafe { K::from_raw(back) }.unwrap();
    assert_eq!(back.as_slice::<i32>(), &[1, 2, 3]);
    assert_eq!(
        (hex(bytes.as_slice::<u8>()), bytes.refcount(), x.refcount()),
        (before, 0, 0)
    );
    // As libe.so, d9 reads the first n bytes of any simple vector: 3 bytes is 'length.
    let pending = || {
        // SAFETY: pending errors here are interned symbols.
        unsafe { std::ffi::CStr::from_ptr(take_error()) }.to_bytes()
    };
    assert!(d9(x.as_ptr()).is_null());
    assert_eq!(pending(), b"length");
    assert_eq!(okx(x.as_ptr()), 0);
    let garbage = K::from_slice(KG, &[1u8, 0, 0, 0, 10, 0, 0, 0, 0xfa, 0]);
    assert!(d9(garbage.as_ptr()).is_null());
    assert_eq!(pending(), b"badmsg");
    // A char vector is read as its bytes (PyKX passes them so).
    // SAFETY: b9 returns a new reference to a byte vector.
    let plain = unsafe { K::from_raw(b9(3, x.as_ptr())) }.unwrap();
    let chars = K::from_slice(KC, plain.as_slice::<u8>());
    assert_eq!(okx(chars.as_ptr()), 1);
    // SAFETY: d9 returns a new reference.
    let back = unsafe { K::from_raw(d9(chars.as_ptr())) }.unwrap();
    assert_eq!(back.as_slice::<i32>(), &[1, 2, 3]);
    assert!(b9(3, std::ptr::null_mut()).is_null());
    assert_eq!(pending(), b"type");
    assert_eq!(okx(std::ptr::null_mut()), 0);
    assert_eq!(pending(), b"type");
}

/// Needs about 4GB of memory, so it runs on request:
/// `cargo test --release --test wire_rules -- --ignored`.
#[test]
#[ignore]
fn vectors_over_two_billion_items_need_capability_6() {
    let n = i32::MAX as usize + 2;
    let x = K::vector(KG, n);
    assert_eq!(wire::b9(3, &x).unwrap_err(), err("limit"));
    assert_eq!(wire::b9(5, &x).unwrap_err(), err("limit"));
    // b9 6 compresses (the zeros compress well): a large message says so with byte 2 = 2 and
    // an 8-byte uncompressed length.
    let z = wire::b9(6, &x).unwrap();
    let z = z.as_slice::<u8>();
    let total = 8 + 10 + n;
    assert_eq!(z[..3], [1, 0, 2]);
    assert_eq!(z[8..16], (total as u64).to_le_bytes());
    {
        let b = wire::decompress(z).unwrap();
        assert_eq!(b.len(), total);
        assert_eq!(b[..4], [1, 0, 0, (total >> 32) as u8]);
        assert_eq!(b[4..8], (total as u32).to_le_bytes());
        assert_eq!(b[8..10], [KG as u8, 0x80]);
        assert_eq!(b[10..18], (n as u64).to_le_bytes());
        assert_eq!(hex(&wire::encode(&x, 0, 6).unwrap()[..18]), hex(&b[..18]));
    }
    let back = wire::d9(z).unwrap();
    assert_eq!((back.t(), back.n()), (KG, n));
}
