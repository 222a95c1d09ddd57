/** Prints the named real-run scenarios (real-runs.ts) as one JSON object: `node --import tsx real-runs-cli.ts plan apply`. */
import { SCENARIOS, type Scenario } from './real-runs.ts';

const runs: Partial<Record<Scenario, unknown>> = {};
for (const name of process.argv.slice(2)) {
  if (!Object.hasOwn(SCENARIOS, name))
    throw new Error(`unknown scenario "${name}": use ${Object.keys(SCENARIOS).join(', ')}`);
  runs[name as Scenario] = await SCENARIOS[name as Scenario]();
}
process.stdout.write(JSON.stringify(runs));
