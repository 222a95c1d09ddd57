/**
 * The fleet panel's state (docs/fleet.md, "In the editor"): the chosen targets (saved connections
 * or a targets file), the wave options, the plan matrix, and the live run matrix fed by the host's
 * `fleet` events (the same events in Electron and in the browser). Kept apart from the document's
 * store: a fleet goes on while the panel is closed, and reopening it shows where it is.
 */
import { create } from 'zustand';
import { api, errorMessage } from '../api/index.ts';
import { refreshHistory } from '../commands/runs.ts';
import type {
  FleetTargetInfo,
  FleetTargetRow,
  FleetTargetsChoice,
  InvalidTarget,
  PlanMatrix,
  RunMatrix,
} from '../../shared/fleet.ts';

/** The wave options as the panel's fields hold them (empty text: the default). */
export interface WaveFields {
  canary: string;
  wave: string;
  parallel: string;
  onError: 'stop' | 'continue';
  maxFailures: string;
  pause: boolean;
}

export interface FleetState {
  source: 'connections' | 'file';
  /** Saved connections ticked, by id, in the list's order. */
  picked: string[];
  file: string;
  /** The targets file as read (`fleet.targets`), or null before Load. */
  fileTargets: { targets: FleetTargetInfo[]; invalid: InvalidTarget[] } | null;
  options: WaveFields;
  plan: PlanMatrix | null;
  run: RunMatrix | null;
  /** The pause between waves: the wave waiting for the user's go. */
  waiting: { wave: number; labels: string[] } | null;
  busy: 'planning' | 'starting' | null;
  error: string | null;
  set(patch: Partial<FleetState>): void;
}

export const DEFAULT_WAVES: WaveFields = {
  canary: '1',
  wave: '',
  parallel: '4',
  onError: 'stop',
  maxFailures: '',
  pause: false,
};

export const useFleet = create<FleetState>((set) => ({
  source: 'connections',
  picked: [],
  file: '',
  fileTargets: null,
  options: DEFAULT_WAVES,
  plan: null,
  run: null,
  waiting: null,
  busy: null,
  error: null,
  set: (patch) => set(patch),
}));

/** The targets as the host takes them; null when none is chosen. */
export function targetsChoice(s: FleetState): FleetTargetsChoice | null {
  if (s.source === 'file') return s.file.trim() ? { file: s.file.trim() } : null;
  return s.picked.length > 0 ? { connectionIds: s.picked } : null;
}

/** A whole number of a field, or undefined when it is empty; throws naming the field's label. */
export function count(text: string, label: string, min: number): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`${label}: give a whole number, ${min} or more`);
  return n;
}

/** Reads the targets file named in the panel. */
export async function loadTargetsFile(): Promise<void> {
  const s = useFleet.getState();
  s.set({ error: null, fileTargets: null });
  try {
    const read = await api().invoke('fleet.targets', { targets: { file: s.file.trim() } });
    s.set({ fileTargets: read });
  } catch (e) {
    s.set({ error: `Targets file: ${errorMessage(e)}` });
  }
}

export async function planFleet(text: string, filePath: string | null): Promise<void> {
  const s = useFleet.getState();
  const targets = targetsChoice(s);
  if (!targets) return;
  s.set({ busy: 'planning', error: null, plan: null, run: null });
  try {
    const plan = await api().invoke('fleet.plan', { text, targets, ...(filePath && { filePath }) });
    useFleet.getState().set({ plan });
  } catch (e) {
    useFleet.getState().set({ error: `Plan: ${errorMessage(e)}` });
  } finally {
    useFleet.getState().set({ busy: null });
  }
}

export async function startFleet(text: string, filePath: string | null): Promise<void> {
  const s = useFleet.getState();
  const targets = targetsChoice(s);
  if (!targets) return;
  const o = s.options;
  let numbers;
  try {
    numbers = {
      canary: count(o.canary, 'Canary', 0) ?? 1,
      wave: count(o.wave, 'Wave size', 1),
      parallel: count(o.parallel, 'Parallel', 1) ?? 4,
      maxFailures: count(o.maxFailures, 'Max failures', 1),
    };
  } catch (e) {
    s.set({ error: (e as Error).message });
    return;
  }
  s.set({ busy: 'starting', error: null, run: null, waiting: null });
  try {
    await api().invoke('fleet.start', {
      text,
      targets,
      ...(filePath && { filePath }),
      canary: numbers.canary,
      parallel: numbers.parallel,
      onError: o.onError,
      pause: o.pause,
      ...(numbers.wave !== undefined && { wave: numbers.wave }),
      ...(numbers.maxFailures !== undefined && { maxFailures: numbers.maxFailures }),
    });
  } catch (e) {
    useFleet.getState().set({ error: `Run: ${errorMessage(e)}` });
  } finally {
    useFleet.getState().set({ busy: null });
  }
}

export async function answerWave(go: boolean): Promise<void> {
  const s = useFleet.getState();
  if (!s.run) return;
  s.set({ waiting: null });
  await api().invoke('fleet.confirmWave', { fleetId: s.run.fleetId, go });
}

export async function cancelFleet(): Promise<void> {
  const s = useFleet.getState();
  if (!s.run) return;
  s.set({ waiting: null });
  await api().invoke('fleet.cancel', { fleetId: s.run.fleetId });
}

function withRow(run: RunMatrix, row: FleetTargetRow): RunMatrix {
  const targets = run.targets.map((t) => (t.label === row.label ? row : t));
  const counts = { ...run.counts };
  for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] = 0;
  for (const t of targets) counts[t.status]++;
  return { ...run, targets, counts };
}

/** The host's fleet events, into the panel's run matrix. */
api().on((event) => {
  if (event.type !== 'fleet') return;
  const e = event.event;
  const s = useFleet.getState();
  if (e.type === 'fleet_started' || e.type === 'fleet_finished') s.set({ run: e.matrix, plan: null });
  else if (e.type === 'target_changed' && s.run?.fleetId === e.fleetId) s.set({ run: withRow(s.run, e.row) });
  else if (e.type === 'wave_confirm' && s.run?.fleetId === e.fleetId)
    s.set({ waiting: { wave: e.wave, labels: e.labels } });
  if (e.type === 'fleet_finished') {
    s.set({ waiting: null });
    // Each target's run is in History now, beside the fleet run.
    void refreshHistory();
  }
});
