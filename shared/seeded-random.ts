/**
 * A small seeded generator (mulberry32): the same seed draws the same numbers in [0, 1), so
 * generated data (the demo database), resamples (the metrics bootstrap) and the kill points of
 * the kill -9 tests can be drawn again.
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
