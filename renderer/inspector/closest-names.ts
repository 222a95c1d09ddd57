/** The existing names closest to one that does not exist ("did you mean users?"). */

/** Edit distance (insert, delete, substitute, swap of two neighbours), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...new Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) d[0]![j] = j;
  for (let i = 1; i <= s.length; i++)
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[s.length]![t.length]!;
}

/**
 * Up to `max` names of `names` close to `name`: same letters in another case first, then by edit
 * distance within a third of the name's length (at least 2), then names that start with it or
 * hold it.
 */
export function closestNames(name: string, names: readonly string[], max = 3): string[] {
  const lower = name.toLowerCase();
  const limit = Math.max(2, Math.floor(name.length / 3));
  return names
    .map((n) => {
      const l = n.toLowerCase();
      const d = l === lower ? 0 : editDistance(name, n);
      const near = d <= limit || (lower.length >= 3 && (l.startsWith(lower) || l.includes(lower)));
      return { n, rank: near ? d : Infinity };
    })
    .filter((x) => x.rank !== Infinity)
    .sort((a, b) => a.rank - b.rank || a.n.localeCompare(b.n))
    .slice(0, max)
    .map((x) => x.n);
}
