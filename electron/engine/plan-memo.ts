/**
 * Incremental planning (the warm planner's, electron/worker/planner-state.ts): the plans of nodes
 * kept from one plan of a workflow to the next on the same database. A node whose type, params
 * (references resolved), inputs and the schema it plans against are those of its last plan gets
 * that plan's result again without being planned. The schema is compared by identity: schemas are
 * never changed in place and a change shares the tables it did not touch, so when the plan starts
 * from the same schema read (the holder's cache), every node before the first edited one sees the
 * very schema object it saw before, and the edited node and the nodes after it are planned again.
 * Code nodes are always planned. The holder clears the memo whenever the database may have changed
 * (after a run, on a refresh of the schema): a plan's data checks are kept with it until then.
 */
import { nodeDescription } from '../../shared/nodes/index.ts';
import type { NodeResult } from '../../shared/run.ts';
import type { Schema } from '../../shared/schema.ts';

/** What a node's plan left, kept for its next plan. */
export interface MemoEntry {
  key: string;
  /** The schema the node planned against. */
  before: Schema;
  /** The schema it left. */
  after: Schema;
  /** Its result (status succeeded): outputs, statements, warnings, notes. */
  result: Pick<NodeResult, 'outputs' | 'sql' | 'rowsAffected' | 'warnings' | 'notes' | 'outcome'>;
  /** It marked its outputs unknown until a real run. */
  unknown: boolean;
}

export class PlanMemo {
  private readonly entries = new Map<string, MemoEntry>();
  /** Nodes planned and nodes reused since the memo was made or cleared (the benchmark's and tests' check). */
  readonly counts = { planned: 0, reused: 0 };

  /**
   * The key of a node's plan: its type, resolved params and inputs, and `also` (what else its plan
   * reads, when anything does); null for a node always planned.
   */
  static key(type: string, params: unknown, inputs: unknown, also?: unknown): string | null {
    if (nodeDescription(type)?.category === 'Code') return null;
    const parts = also === undefined ? [type, params, inputs] : [type, params, inputs, also];
    return JSON.stringify(parts, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  }

  /** The kept plan of node `id` when it had this key and planned against this very schema. */
  get(id: string, key: string, before: Schema): MemoEntry | null {
    const e = this.entries.get(id);
    const hit = e !== undefined && e.key === key && e.before === before;
    if (hit) this.counts.reused++;
    else this.counts.planned++;
    return hit ? e : null;
  }

  set(id: string, entry: MemoEntry): void {
    this.entries.set(id, entry);
  }

  /** Forgets every plan (the database may have changed). */
  clear(): void {
    this.entries.clear();
    this.counts.planned = this.counts.reused = 0;
  }
}
