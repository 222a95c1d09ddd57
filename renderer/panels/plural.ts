/** A count with its noun, singular for exactly one: `1 node`, `2 nodes`, `0 rows`. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : nouns}`;
}
