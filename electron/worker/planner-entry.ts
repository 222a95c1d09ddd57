/**
 * Where the planning worker's script is: beside the run worker in the app's bundle
 * (`out/worker/planning-worker.js`, electron/main/bundle.ts); from the sources, the `dataflow`
 * command's bundle (`dist/cli/planning-worker.js`) when no file it was built from changed since
 * (the check bin/dataflow.js makes), else the TypeScript sources through tsx, which cost about a
 * second of loading on this project's machines: once per connection, not once per plan.
 */
import { readFileSync, statSync } from 'node:fs';

export function defaultPlannerEntry(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('../worker/planning-worker.js', import.meta.url);
  const root = new URL('../../', import.meta.url);
  const bundle = new URL('dist/cli/', root);
  return freshBundle(root, bundle)
    ? new URL('planning-worker.js', bundle)
    : new URL('./planner-dev-entry.mjs', import.meta.url);
}

/** True when the bundle's manifest lists the planning worker and no input changed after the build. */
function freshBundle(root: URL, bundle: URL): boolean {
  let manifest: { builtAt: number; inputs: string[] };
  try {
    manifest = JSON.parse(readFileSync(new URL('manifest.json', bundle), 'utf8')) as typeof manifest;
  } catch {
    return false;
  }
  if (!manifest.inputs.includes('electron/worker/planning-worker.ts')) return false;
  return manifest.inputs.every((input) => {
    const mtime = statSync(new URL(input, root), { throwIfNoEntry: false })?.mtimeMs;
    return mtime !== undefined && mtime <= manifest.builtAt;
  });
}
