//! A bounded, deterministic mutation fuzzer for d9 that needs no nightly toolchain: every golden
//! message, mutated many ways (bit flips, byte smashes, counts set to extremes, truncation,
//! splices), must give a value or a q error; never a panic, a hang or a huge allocation. It
//! checks the same properties as the libFuzzer target (fuzz/fuzz_targets/d9.rs).

use q::wire;

mod wire_support;

/// xorshift64*: a reproducible stream of mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INTERESTING: [u32; 8] = [
    0,
    1,
    0x7f,
    0x80,
    0xffff,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
];

fn mutate(rng: &mut Rng, seed: &[u8], corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut m = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = m.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                m[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                m[i] = rng.next() as u8;
            }
            2 if len >= 4 => {
                let i = rng.below(len - 3);
                let v = INTERESTING[rng.below(INTERESTING.len())];
                m[i..i + 4].copy_from_slice(&v.to_le_bytes());
            }
            3 => m.truncate(rng.below(len + 1)),
            4 => {
                let other = &corpus[rng.below(corpus.len())];
                let from = rng.below(other.len());
                let to = rng.below(len + 1);
                let piece = &other[from..(from + 1 + rng.below(16)).min(other.len())];
                m.splice(to..to, piece.iter().copied());
            }
            5 if len > 0 => {
                let i = rng.below(len);
                m.remove(i);
            }
            _ => m.push(rng.next() as u8),
        }
    }
    // Half the time, keep the header's length honest so the payload reader is exercised.
    if m.len() >= 8 && rng.below(2) == 0 {
        let n = m.len() as u32;
        m[4..8].copy_from_slice(&n.to_le_bytes());
        m[3] = 0;
    }
    m
}

fn check(bytes: &[u8]) -> bool {
    match wire::d9(bytes) {
        Ok(x) => {
            let once = wire::b9(-1, &x).expect("b9 of a decoded object");
            let y = wire::d9(once.as_slice::<u8>()).expect("d9 of b9's bytes");
            let twice = wire::b9(-1, &y).expect("b9 again");
            assert_eq!(
                once.as_slice::<u8>(),
                twice.as_slice::<u8>(),
                "unstable: {}",
                wire_support::hex(bytes)
            );
            true
        }
        Err(_) => false,
    }
}

/// Whatever `compress` makes, `decompress` turns back into the original message.
fn check_compression(bytes: &[u8]) -> bool {
    if bytes.len() < 8 {
        return false;
    }
    let mut m = bytes.to_vec();
    m[0] = 1;
    m[2] = 0;
    m[3] = 0;
    let n = m.len() as u32;
    m[4..8].copy_from_slice(&n.to_le_bytes());
    match wire::compress(&m) {
        Some(z) => {
            assert!(z.len() <= m.len() / 2);
            assert_eq!(wire::decompress(&z).expect("decompress of compress"), m);
            true
        }
        None => false,
    }
}

#[test]
fn compression_round_trips_on_mutated_and_repetitive_data() {
    let corpus = wire_support::all_messages();
    let plains: Vec<Vec<u8>> = corpus
        .iter()
        .filter(|m| m[2] == 1)
        .map(|m| wire::decompress(m).unwrap())
        .collect();
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut compressed = 0;
    for _ in 0..300 {
        for p in &plains {
            compressed += check_compression(&mutate(&mut rng, p, &plains)) as usize;
        }
        // Runs and repeats of random lengths: every match length and table position.
        let mut m = vec![1, 0, 0, 0, 0, 0, 0, 0];
        while m.len() < 2100 + rng.below(3000) {
            let piece: Vec<u8> = (0..1 + rng.below(12)).map(|_| rng.below(4) as u8).collect();
            for _ in 0..1 + rng.below(40) {
                m.extend_from_slice(&piece);
            }
        }
        compressed += check_compression(&m) as usize;
    }
    assert!(compressed > 1000, "only {compressed} messages compressed");
}

#[test]
fn mutated_vectors_never_crash() {
    let corpus = wire_support::all_messages();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut accepted, mut refused) = (0, 0);
    for round in 0..150 {
        for seed in &corpus {
            let m = mutate(&mut rng, seed, &corpus);
            if check(&m) {
                accepted += 1;
            } else {
                refused += 1;
            }
            let _ = wire::decompress(&m);
            let _ = round;
        }
    }
    // Both outcomes must actually happen, or the mutations are not reaching the reader.
    assert!(
        accepted > 1000 && refused > 1000,
        "accepted {accepted}, refused {refused}"
    );
}
