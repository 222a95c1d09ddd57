/**
 * The flags the `dataflow fleet` commands share: where the targets come from (`--targets <file>`
 * or `--targets-sql QUERY --db REGISTRY`) and how a fleet runs in waves (`--parallel`,
 * `--canary`, `--wave`, `--on-error`, `--max-failures`).
 */
import type { TargetList } from '../fleet/targets.ts';
import type { WaveOptions } from '../fleet/waves.ts';
import { UsageError, connect, type Command, type Flags } from './common.ts';

export const TARGET_OPTIONS: Command['options'] = {
  targets: { type: 'string' },
  'targets-sql': { type: 'string' },
  db: { type: 'string' },
};

export const TARGETS_HELP = `  --targets <file>     a JSON array of {"label", "connection", "environment"?, "tags"?,
                       "password_env"?}; connection is sqlite:<path> (relative to the file) or
                       postgres://user@host:port/db, never with a password: the password is read
                       from the environment variable "password_env" names, else PGPASSWORD / ~/.pgpass
  --targets-sql <query>  read the targets from the rows of this read-only query on --db
                       (columns as the file's fields, "connection" required)
  --db <conn>          the registry database --targets-sql reads`;

export const WAVE_OPTIONS_SPEC: Command['options'] = {
  parallel: { type: 'string' },
  canary: { type: 'string' },
  wave: { type: 'string' },
  'on-error': { type: 'string' },
  'max-failures': { type: 'string' },
};

export const WAVES_HELP = `  --parallel <n>       targets run at once (default 4)
  --canary <n>         targets of the first wave, which must all succeed first (default 1; 0: none)
  --wave <n>           targets per wave after the canary (default: all the rest)
  --on-error <stop|continue>  after a failed target, start no new one (stop, default) or go on
  --max-failures <n>   stop starting targets once n failed (with --on-error continue)`;

function count(flags: Flags, name: string, min: number): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be a whole number, ${min} or more`);
  return n;
}

/** The wave options of the flags (UsageError for a bad value). */
export function waveFlags(flags: Flags): WaveOptions {
  const onError = flags['on-error'];
  if (onError !== undefined && onError !== 'stop' && onError !== 'continue')
    throw new UsageError('--on-error must be stop or continue');
  const options: WaveOptions = {};
  const parallel = count(flags, 'parallel', 1);
  const canary = count(flags, 'canary', 0);
  const wave = count(flags, 'wave', 1);
  const maxFailures = count(flags, 'max-failures', 1);
  if (parallel !== undefined) options.parallel = parallel;
  if (canary !== undefined) options.canary = canary;
  if (wave !== undefined) options.wave = wave;
  if (onError !== undefined) options.onError = onError;
  if (maxFailures !== undefined) options.maxFailures = maxFailures;
  return options;
}

/**
 * The targets of `--targets <file>` or `--targets-sql <query> --db <registry>`; a file that cannot
 * be read as targets, a bad query or no usable target at all is a UsageError (exit 2).
 */
export async function readTargets(flags: Flags): Promise<TargetList> {
  const file = flags.targets;
  const query = flags['targets-sql'];
  if ((typeof file === 'string') === (typeof query === 'string'))
    throw new UsageError('give the targets with --targets <file> or with --targets-sql <query> --db <registry>');
  const { readTargetsFile, queryTargets, TargetsFileError } = await import('../fleet/targets.ts');
  let list: TargetList;
  if (typeof file === 'string') {
    if (flags.db !== undefined)
      throw new UsageError('--db is the registry of --targets-sql; with --targets, give none');
    try {
      list = await readTargetsFile(file);
    } catch (e) {
      if (e instanceof TargetsFileError) throw new UsageError(e.message);
      throw e;
    }
  } else {
    if (typeof flags.db !== 'string')
      throw new UsageError('--targets-sql needs --db <registry>, the database it reads');
    const registry = await connect(flags.db, { mustExist: true });
    try {
      list = await queryTargets(registry, query as string);
    } catch (e) {
      throw new UsageError((e as Error).message);
    } finally {
      await registry.driver.close();
    }
  }
  if (list.targets.length === 0)
    throw new UsageError(
      `no usable target: ${list.invalid.map((t) => `${t.source}: ${t.label}: "${t.field}" ${t.message}`).join('; ') || 'the query returned no rows'}`,
    );
  return list;
}
