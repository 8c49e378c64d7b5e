//! FNV-1a, the one non-cryptographic hash of the project: deterministic across runs, platforms
//! and releases (baseline fingerprints are stored in files; repo keys are compared across
//! files). Fast enough for a hot path when fed whole code points.

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
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

#[cfg(test)]
mod tests {
    use super::Fnv1a;

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
