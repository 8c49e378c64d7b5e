//! The project's non-cryptographic hashes, deterministic across runs, platforms and releases
//! (baseline fingerprints are stored in files; repo keys are compared across files): FNV-1a,
//! fed bytes or whole code points, and [`words`], eight bytes a step, for long keys.

/// A streaming FNV-1a 64 hasher.
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    /// One step per byte: the classic FNV-1a.
    pub fn bytes(&mut self, data: &[u8]) {
        for &b in data {
            self.step(u64::from(b));
        }
    }

    /// One step per character (its code point), a quarter of the steps of its UTF-8 bytes.
    #[inline]
    pub fn char(&mut self, c: char) {
        self.step(c as u64);
    }

    #[inline]
    fn step(&mut self, x: u64) {
        self.0 = (self.0 ^ x).wrapping_mul(Self::PRIME);
    }

    /// The plain FNV-1a value.
    pub fn value(&self) -> u64 {
        self.0
    }

    /// The value after murmur3's fmix64, so that every bit depends on every input (FNV's high
    /// bits mix poorly, and callers bucket by them).
    pub fn mixed(&self) -> u64 {
        fmix64(self.0)
    }
}

/// murmur3's fmix64: every bit of the result depends on every bit of `h`.
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// A hash of `data` eight bytes at a time (little-endian words, the step of rustc's FxHash,
/// then [`fmix64`]): for long keys on hot paths, such as whole paragraphs. Deterministic like
/// FNV-1a; a different function, so its values are never compared with FNV's.
pub fn words(data: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let step = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let mut h = data.len() as u64;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        h = step(h, u64::from_le_bytes(c.try_into().expect("8 bytes")));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = step(h, le_word(rest));
    }
    fmix64(h)
}

/// The first (up to) 8 bytes of `b` as a little-endian number, zero-padded: byte `i` is bits
/// `8i..8i+8`, so the first `k` bytes are its `k` lowest.
#[inline]
pub fn le_word(b: &[u8]) -> u64 {
    let k = b.len().min(8);
    let mut w = [0u8; 8];
    w[..k].copy_from_slice(&b[..k]);
    u64::from_le_bytes(w)
}

#[cfg(test)]
mod tests {
    use super::{words, Fnv1a};

    #[test]
    fn words_sees_every_byte_and_the_length() {
        let base = "根据现场勘查的整改情况作出联合审批结论".as_bytes();
        let h = words(base);
        assert_eq!(h, words(base), "deterministic");
        for i in 0..base.len() {
            let mut v = base.to_vec();
            v[i] ^= 1;
            assert_ne!(words(&v), h, "byte {i}");
        }
        // Trailing zero bytes are not the same key as none.
        assert_ne!(words(b"ab"), words(b"ab\0"));
        assert_ne!(words(b""), words(b"\0"));
    }

    #[test]
    fn known_values() {
        // FNV-1a 64 of "" and "a" (reference values of the algorithm).
        assert_eq!(Fnv1a::default().value(), 0xcbf2_9ce4_8422_2325);
        let mut h = Fnv1a::default();
        h.bytes(b"a");
        assert_eq!(h.value(), 0xaf63_dc4c_8601_ec8c);
        let (mut x, mut y) = (Fnv1a::default(), Fnv1a::default());
        x.char('纳');
        y.char('入');
        assert_ne!(x.mixed(), y.mixed());
    }
}
