//! The verifiable draw of a random on-sale (`usher-draw-v1`): who was in the pre-queue (a
//! Merkle root over the entrants), the secret seed committed to before anyone joined, and the
//! keyed permutation that gives every entrant its rank from those published values alone.
//!
//! The permutation is computed, never stored: a rank costs a few hashes however many entrants
//! there are, so the draw of a million entrants is one small write (the key), not a million.
//! The Redis store computes the same permutation in Lua (`lua/prelude.lua`, `draw_rank` and
//! `draw_entrant`); the web client's verifier (`web-client/src/draw/verify.ts`) and
//! `usher verify-draw` recompute it from the published values. The README states the algorithm.

use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::domain::{Seq, WaitingToken};

/// The algorithm's name, published with every draw and hashed into its key.
pub const ALGORITHM: &str = "usher-draw-v1";

/// Feistel rounds of the permutation.
const ROUNDS: u32 = 8;

/// The most entrants one draw may hold: the permutation's halves must stay exact in Lua's
/// doubles and every published integer in JSON's safe range.
pub const MAX_ENTRANTS: u64 = 1 << 40;

/// Entrants whose leaves are hashed into one stored subtree root: a proof reads one chunk of
/// tokens and the chunk roots, never the whole list.
pub const CHUNK: u64 = 1_024;

/// A 32-byte digest.
pub type Hash = [u8; 32];

/// SHA-256 of the parts, in order.
fn sha256(parts: &[&[u8]]) -> Hash {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// A fresh secret seed: 32 bytes from the operating system's generator.
pub fn new_seed() -> Hash {
    let mut seed = [0u8; 32];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut seed);
    seed
}

/// The published commitment to a seed: SHA-256(seed).
pub fn commitment(seed: &Hash) -> Hash {
    sha256(&[seed])
}

/// The leaf of one entrant: SHA-256(0x00 ‖ token text). The token is a bearer secret; its
/// hash is not.
pub fn leaf(token: &WaitingToken) -> Hash {
    sha256(&[&[0], token.to_string().as_bytes()])
}

/// An inner node: SHA-256(0x01 ‖ left ‖ right).
fn node(left: &Hash, right: &Hash) -> Hash {
    sha256(&[&[1], left, right])
}

/// The next level up: pairs hashed, a last node without a partner carried up unchanged.
fn level_up(level: &[Hash]) -> Vec<Hash> {
    level
        .chunks(2)
        .map(|pair| match pair {
            [l, r] => node(l, r),
            [one] => *one,
            _ => unreachable!("chunks of two"),
        })
        .collect()
}

/// The root over `level` (the leaves, or the roots of aligned chunks, which are the nodes of
/// one level of the whole tree). `None` for no entrants.
pub fn root(level: &[Hash]) -> Option<Hash> {
    let mut level = level.to_vec();
    while level.len() > 1 {
        level = level_up(&level);
    }
    level.first().copied()
}

/// The siblings of position `p` on its way up from `level` to the root, bottom-up, only where
/// one exists.
pub fn siblings(level: &[Hash], mut p: usize) -> Vec<Hash> {
    let mut out = Vec::new();
    let mut level = level.to_vec();
    while level.len() > 1 {
        // The other node of the pair: on the left of an odd position, else on the right.
        if let Some(sibling) = level.get(p ^ 1) {
            out.push(*sibling);
        }
        level = level_up(&level);
        p /= 2;
    }
    out
}

/// The root that an inclusion proof leads to: `leaf` at 1-based `index` of `entrants`, with
/// `siblings` bottom-up. The sides come from the index, never from the proof; `None` if the
/// proof has too few or too many siblings for that position.
pub fn root_from_proof(leaf: Hash, index: u64, entrants: u64, siblings: &[Hash]) -> Option<Hash> {
    if index == 0 || index > entrants {
        return None;
    }
    let (mut p, mut n, mut acc) = (index - 1, entrants, leaf);
    let mut given = siblings.iter();
    while n > 1 {
        if p % 2 == 1 {
            acc = node(given.next()?, &acc);
        } else if p + 1 < n {
            acc = node(&acc, given.next()?);
        }
        p /= 2;
        n = n.div_ceil(2);
    }
    given.next().is_none().then_some(acc)
}

/// The key of a draw: SHA-256("usher-draw-v1" ‖ seed ‖ entry root ‖ beacon value), as
/// lowercase hex (the text the round function hashes).
pub fn key(seed: &Hash, root: &Hash, beacon: &str) -> String {
    hex::encode(sha256(&[
        ALGORITHM.as_bytes(),
        seed,
        root,
        beacon.as_bytes(),
    ]))
}

/// The keyed permutation of a closed pre-queue of `entrants`: a Feistel network over the
/// smallest square power of two that holds them, cycle-walked into range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permutation {
    key: String,
    entrants: u64,
    /// Bits of each half.
    half: u32,
}

impl Permutation {
    /// `key` is the draw's hex key ([`key`]).
    pub fn new(key: &str, entrants: u64) -> Self {
        let mut half = 1;
        while half < 32 && (1u64 << (2 * half)) < entrants {
            half += 1;
        }
        Self {
            key: key.to_owned(),
            entrants,
            half,
        }
    }

    pub fn entrants(&self) -> u64 {
        self.entrants
    }

    /// F(r, v): the first four bytes of SHA-1(key ":" r ":" v), big-endian, modulo the half.
    fn round(&self, r: u32, v: u64) -> u64 {
        let digest = Sha1::digest(format!("{}:{r}:{v}", self.key).as_bytes());
        let word = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
        u64::from(word) & self.mask()
    }

    fn mask(&self) -> u64 {
        (1u64 << self.half) - 1
    }

    fn encrypt(&self, x: u64) -> u64 {
        let (mut l, mut r) = (x >> self.half, x & self.mask());
        for round in 0..ROUNDS {
            (l, r) = (r, (l + self.round(round, r)) & self.mask());
        }
        (l << self.half) | r
    }

    fn decrypt(&self, y: u64) -> u64 {
        let (mut l, mut r) = (y >> self.half, y & self.mask());
        for round in (0..ROUNDS).rev() {
            (l, r) = (
                (r + (self.mask() + 1) - self.round(round, l)) & self.mask(),
                l,
            );
        }
        (l << self.half) | r
    }

    /// The drawn rank (1 = admitted first) of the entrant at 1-based entry `index`.
    pub fn rank(&self, index: u64) -> u64 {
        debug_assert!((1..=self.entrants).contains(&index));
        let mut y = self.encrypt(index - 1);
        while y >= self.entrants {
            y = self.encrypt(y);
        }
        y + 1
    }

    /// The entry index of the entrant drawn at `rank`: the inverse of [`Self::rank`].
    pub fn entrant(&self, rank: u64) -> u64 {
        debug_assert!((1..=self.entrants).contains(&rank));
        let mut x = self.decrypt(rank - 1);
        while x >= self.entrants {
            x = self.decrypt(x);
        }
        x + 1
    }

    /// The rank `seq` drew, if it is an entrant of this draw.
    pub fn drawn(&self, seq: Seq) -> Option<u64> {
        (1..=self.entrants)
            .contains(&seq.0)
            .then(|| self.rank(seq.0))
    }

    /// Where `seq` stands in the admission order: its rank for an entrant of the drawn
    /// pre-queue, itself for anyone who joined after the close.
    pub fn order(&self, seq: Seq) -> Seq {
        self.drawn(seq).map_or(seq, Seq)
    }
}

/// Hex text of a digest, and back.
pub fn parse_hash(text: &str) -> Option<Hash> {
    let bytes = hex::decode(text).ok()?;
    bytes.try_into().ok()
}

/// The published values a verifier reads (`GET /api/v1/events/{id}/draw`; other fields are
/// ignored).
#[derive(Debug, Clone, Deserialize)]
pub struct Published {
    pub commitment: String,
    pub entrants: Option<u64>,
    pub entry_root: Option<String>,
    pub beacon_value: Option<String>,
    pub seed: Option<String>,
}

/// One entrant's proof (`GET /api/v1/events/{id}/draw/proof`).
#[derive(Debug, Clone, Deserialize)]
pub struct Proof {
    pub index: u64,
    pub leaf: String,
    pub siblings: Vec<String>,
    pub rank: u64,
}

/// What a verification found: each check in order, and the rank recomputed from the published
/// values alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub checks: Vec<(&'static str, Result<String, String>)>,
    pub rank: Option<u64>,
}

impl Verdict {
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|(_, r)| r.is_ok())
    }
}

/// Recomputes an entrant's rank from the published draw and its proof, checking on the way that
/// the seed is the committed one, that the entrant's leaf is in the published entry list (and,
/// with `token`, that the leaf is that token's) and that the rank usher gave is the one the
/// published values give.
pub fn verify(published: &Published, proof: &Proof, token: Option<&WaitingToken>) -> Verdict {
    let mut checks = Vec::new();
    let mut check = |name, ok: bool, pass: String, fail: String| {
        checks.push((name, if ok { Ok(pass) } else { Err(fail) }));
        ok
    };
    let seed = published.seed.as_deref().and_then(parse_hash);
    let Some(seed) = seed else {
        check(
            "seed",
            false,
            String::new(),
            "no 32-byte seed is published yet".into(),
        );
        return Verdict { checks, rank: None };
    };
    check(
        "commitment",
        hex::encode(commitment(&seed)) == published.commitment,
        "SHA-256(seed) is the commitment published before the pre-queue opened".into(),
        "SHA-256(seed) is not the published commitment: the seed was changed".into(),
    );
    let (Some(entrants), Some(root)) = (
        published.entrants,
        published.entry_root.as_deref().and_then(parse_hash),
    ) else {
        check(
            "entry list",
            false,
            String::new(),
            "no entry root is published".into(),
        );
        return Verdict { checks, rank: None };
    };
    let leaf = parse_hash(&proof.leaf);
    if let Some(token) = token {
        check(
            "token",
            leaf == Some(self::leaf(token)),
            "the proof's leaf is SHA-256(0x00 ‖ your token)".into(),
            "the proof's leaf is not your token's".into(),
        );
    }
    let siblings: Option<Vec<Hash>> = proof.siblings.iter().map(|h| parse_hash(h)).collect();
    let included = match (leaf, siblings) {
        (Some(leaf), Some(siblings)) => {
            root_from_proof(leaf, proof.index, entrants, &siblings) == Some(root)
        }
        _ => false,
    };
    check(
        "inclusion",
        included,
        format!(
            "entry {} of {entrants} is in the published entry root",
            proof.index
        ),
        format!(
            "entry {} does not lead to the published entry root",
            proof.index
        ),
    );
    let key = key(
        &seed,
        &root,
        published.beacon_value.as_deref().unwrap_or(""),
    );
    let rank = Permutation::new(&key, entrants).drawn(Seq(proof.index));
    check(
        "rank",
        rank == Some(proof.rank),
        format!(
            "the published values give rank {}, as usher said",
            proof.rank
        ),
        format!(
            "the published values give rank {}, usher said {}",
            rank.map_or("none".into(), |r| r.to_string()),
            proof.rank
        ),
    );
    Verdict { checks, rank }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(n: usize) -> Vec<WaitingToken> {
        (0..n).map(|_| WaitingToken::new()).collect()
    }

    #[test]
    fn the_permutation_is_a_bijection_and_its_inverse_undoes_it() {
        for n in [1u64, 2, 3, 4, 5, 7, 16, 17, 100, 1_000, 4_097] {
            let p = Permutation::new(&key(&[7; 32], &[9; 32], ""), n);
            let mut seen = vec![false; n as usize];
            for i in 1..=n {
                let r = p.rank(i);
                assert!((1..=n).contains(&r), "n {n}: rank {r}");
                assert!(!std::mem::replace(&mut seen[(r - 1) as usize], true));
                assert_eq!(p.entrant(r), i);
            }
        }
    }

    #[test]
    fn every_leaf_proves_its_place_and_a_wrong_proof_proves_nothing() {
        for n in 1..=40usize {
            let leaves: Vec<Hash> = tokens(n).iter().map(leaf).collect();
            let root = root(&leaves).unwrap();
            for (p, l) in leaves.iter().enumerate() {
                let path = siblings(&leaves, p);
                let index = p as u64 + 1;
                assert_eq!(root_from_proof(*l, index, n as u64, &path), Some(root));
                if n > 1 {
                    let other = if p == 0 { 2 } else { index - 1 };
                    assert_ne!(root_from_proof(*l, other, n as u64, &path), Some(root));
                    let mut short = path.clone();
                    short.pop();
                    assert_ne!(root_from_proof(*l, index, n as u64, &short), Some(root));
                }
            }
        }
    }

    #[test]
    fn chunk_roots_are_one_level_of_the_whole_tree() {
        let n = 3 * CHUNK as usize + 17;
        let leaves: Vec<Hash> = tokens(n).iter().map(leaf).collect();
        let chunks: Vec<Hash> = leaves
            .chunks(CHUNK as usize)
            .map(|c| root(c).unwrap())
            .collect();
        assert_eq!(root(&chunks), root(&leaves));
        for p in [5, 2 * CHUNK as usize + 5, 3 * CHUNK as usize + 16] {
            let c = p / CHUNK as usize;
            let chunk = &leaves[c * CHUNK as usize..n.min((c + 1) * CHUNK as usize)];
            let mut path = siblings(chunk, p % CHUNK as usize);
            path.extend(siblings(&chunks, c));
            assert_eq!(path, siblings(&leaves, p), "leaf {p}");
        }
    }

    #[test]
    fn the_key_binds_seed_root_and_beacon() {
        let k = key(&[1; 32], &[2; 32], "round 7");
        assert_ne!(k, key(&[3; 32], &[2; 32], "round 7"));
        assert_ne!(k, key(&[1; 32], &[3; 32], "round 7"));
        assert_ne!(k, key(&[1; 32], &[2; 32], "round 8"));
        assert_eq!(k.len(), 64);
    }
}
