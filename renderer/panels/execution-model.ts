/**
 * What a node's execution view shows, from its NodeResult: the batches of a data node (from its
 * statements' comments and timings), its validation checks row by row, its outputs as JSON text.
 * Pure functions.
 */
import type { ExecutedStep, NodeResult } from '../../shared/run.ts';

/** One batch of a backfill or copy: its number, key range, rows written and time taken. */
export interface Batch {
  index: number;
  range: string;
  rows: number;
  durationMs: number;
}

/** `<label>, batch <n>: <range>`: the comment a data node gives each batch statement (checkpointed-walk.ts). */
const BATCH = /, batch (\d+): (.*)$/;

/** The batches a data node ran, in order (empty for other nodes, and in plan mode). */
export function batchesOf(sql: readonly ExecutedStep[]): Batch[] {
  const batches: Batch[] = [];
  for (const s of sql) {
    const m = BATCH.exec(s.comment);
    // A batch's prior backup of the values it overwrites is a statement of its own (checkpointed-walk.ts).
    if (!m || m[2]!.startsWith('prior backup ') || s.notRun || s.durationMs === undefined) continue;
    batches.push({ index: Number(m[1]), range: m[2]!, rows: s.rowsAffected ?? 0, durationMs: s.durationMs });
  }
  return batches;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One check of a ValidationNode as its outputs report it (electron/engine/executors/validation.ts). */
export interface CheckRow {
  check: string;
  /** Null: the check did not run (data checks in plan mode), `notRun` says why. */
  passed: boolean | null;
  expected: unknown;
  observed: unknown;
  notRun?: string;
}

/** The validation checks in a node's outputs, row by row; empty when it has none. */
export function checkRows(outputs: Record<string, unknown>): CheckRow[] {
  const checks = outputs.checks;
  if (!Array.isArray(checks)) return [];
  return checks.flatMap((c: unknown) => {
    if (c === null || typeof c !== 'object' || typeof (c as { check?: unknown }).check !== 'string') return [];
    const r = c as Record<string, unknown>;
    return [
      {
        check: String(r.check),
        passed: typeof r.passed === 'boolean' ? r.passed : null,
        expected: r.expected,
        observed: r.observed,
        ...(typeof r.not_run === 'string' ? { notRun: r.not_run } : {}),
      },
    ];
  });
}

/** A value as one line of JSON (a BigInt as its digits). */
export function jsonValue(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'undefined';
}

/** The outputs as indented JSON, what Copy puts on the clipboard. */
export function outputsJson(outputs: NodeResult['outputs']): string {
  return JSON.stringify(outputs, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
}

/** A statement's time: `0.4 ms`, `12 ms`, `1.2 s`. */
export function statementTime(ms: number | undefined): string {
  if (ms === undefined) return '–';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
