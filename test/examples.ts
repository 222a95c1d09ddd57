/** The example workflows (assets/examples/), read for the tests that cannot use Node themselves (the editor's). */
import { readFileSync } from 'node:fs';

/** The text of `assets/examples/<name>.dataflow.json`. */
export function exampleText(name: string): string {
  return readFileSync(new URL(`../assets/examples/${name}.dataflow.json`, import.meta.url), 'utf8');
}
