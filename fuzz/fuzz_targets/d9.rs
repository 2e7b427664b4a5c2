//! d9 and okx on arbitrary bytes: never a crash, a hang or a huge allocation; what d9 accepts
//! re-encodes, and re-encoding is stable. okx follows libe.so's rules (wire::capi), which differ
//! from d9's both ways (derived functions of data, dictionaries of primitives), so the two are
//! not compared here; c-tests/differential compares okx with KX's own.
#![no_main]

use libfuzzer_sys::fuzz_target;
use q::wire;

fn check(bytes: &[u8]) {
    let _ = wire::capi::okx(bytes);
    if let Ok(x) = wire::d9(bytes) {
        // Mode -1 keeps enumerations, so anything d9 makes can go back out.
        let once = wire::b9(-1, &x).expect("b9 of a decoded object");
        let y = wire::d9(once.as_slice::<u8>()).expect("d9 of b9's bytes");
        let twice = wire::b9(-1, &y).expect("b9 again");
        assert_eq!(
            once.as_slice::<u8>(),
            twice.as_slice::<u8>(),
            "re-encoding is not stable"
        );
    }
    let _ = wire::decompress(bytes);
}

/// Whatever `compress` makes, `decompress` turns back into the original message.
fn check_compression(data: &[u8]) {
    let mut msg = vec![1, 0, 0, 0];
    msg.extend_from_slice(&((data.len() + 8) as u32).to_le_bytes());
    msg.extend_from_slice(data);
    if let Some(z) = wire::compress(&msg) {
        assert!(z.len() <= msg.len() / 2);
        assert_eq!(wire::decompress(&z).expect("decompress of compress"), msg);
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    check_compression(data);
    // The same bytes behind a correct header, so mutations reach the payload reader.
    let mut msg = vec![1, data.first().map_or(0, |b| b % 3), 0, 0];
    msg.extend_from_slice(&((data.len() + 8) as u32).to_le_bytes());
    msg.extend_from_slice(data);
    check(&msg);
});
