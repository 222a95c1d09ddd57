/**
 * The fuzzy filter of the command palette and the node search: the query's letters in order
 * anywhere in the text (spaces ignored), scored higher at word starts and in runs: "rfp" finds
 * "Run from here: Plan", and "ex sql" ranks "Export SQL" first.
 */

export interface FuzzyMatch {
  score: number;
  /** Indices of the matched characters in the text, for highlighting. */
  positions: number[];
}

function isWordStart(text: string, i: number): boolean {
  if (i === 0) return true;
  const prev = text[i - 1]!;
  const cur = text[i]!;
  return !/[A-Za-z0-9]/.test(prev) || (/[a-z]/.test(prev) && /[A-Z]/.test(cur));
}

/** One greedy pass; `starts`: prefer the next word start holding the letter over its first occurrence. */
function pass(q: string, text: string, lower: string, starts: boolean): number[] | null {
  const positions: number[] = [];
  let from = 0;
  for (const ch of q) {
    let at = lower.indexOf(ch, from);
    if (at < 0) return null;
    if (starts && !(positions.length > 0 && at === positions[positions.length - 1]! + 1)) {
      for (let i = at; i < lower.length; i++)
        if (lower[i] === ch && isWordStart(text, i)) {
          at = i;
          break;
        }
    }
    positions.push(at);
    from = at + 1;
  }
  return positions;
}

function scoreOf(text: string, positions: number[]): number {
  let score = 0;
  positions.forEach((p, i) => {
    score += 1;
    if (isWordStart(text, p)) score += 4;
    if (i > 0 && p === positions[i - 1]! + 1) score += 5;
  });
  // Earlier and tighter matches first; a shorter text wins a tie.
  return score - positions[0]! * 0.05 - (positions[positions.length - 1]! - positions[0]!) * 0.02 - text.length * 0.001;
}

/** How well `query` matches `text`, or null when it does not (a blank query matches with score 0). */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (!q) return { score: 0, positions: [] };
  const lower = text.toLowerCase();
  const tries = [pass(q, text, lower, true), pass(q, text, lower, false)].filter((p): p is number[] => p !== null);
  if (tries.length === 0) return null;
  return tries
    .map((positions) => ({ positions, score: scoreOf(text, positions) }))
    .sort((a, b) => b.score - a.score)[0]!;
}

/** The items that match, best first (ties keep their order); `textOf` is what is matched. */
export function fuzzyFilter<T>(
  items: readonly T[],
  query: string,
  textOf: (item: T) => string,
): { item: T; match: FuzzyMatch }[] {
  return items
    .map((item, index) => ({ item, index, match: fuzzyMatch(query, textOf(item)) }))
    .filter((r): r is { item: T; index: number; match: FuzzyMatch } => r.match !== null)
    .sort((a, b) => b.match.score - a.match.score || a.index - b.index)
    .map(({ item, match }) => ({ item, match }));
}
