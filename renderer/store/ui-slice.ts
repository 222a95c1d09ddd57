/** Panels, dialogs and notices. Not undone. */
import type { LintFinding } from '../../shared/lint/finding.ts';
import type { DriftReport } from '../../shared/drift.ts';
import type { LintWaiver } from '../../shared/lint/waiver.ts';
import type { ResumeCheck, RollbackPlan } from '../../shared/ipc.ts';
import type { RunSubset } from '../../shared/run.ts';
import type { Slice } from './types.ts';
import type { WorkflowProblem } from '../../shared/workflow-problem.ts';
import type { DestructiveStep } from '../../shared/destructive-steps.ts';

export type RightTab = 'inspector' | 'sql';
/** `execution`: what the selected node did in the run shown (its statements, outputs, batches...). */
export type BottomTab = 'run' | 'execution' | 'diff' | 'metrics' | 'history';

export type Dialog =
  | { kind: 'open' }
  | { kind: 'saveAs' }
  | { kind: 'importPython' }
  | { kind: 'export'; title: string; text: string; filename: string; warning?: string }
  | { kind: 'shortcuts' }
  | { kind: 'connections' }
  | { kind: 'fleet' }
  | {
      kind: 'confirmApply';
      connection: string;
      /** The target's environment label, or null when it has none set. */
      environment: string | null;
      /** A production target: the user types the connection's name to confirm. */
      production: boolean;
      destructive: DestructiveStep[];
      writes: string[];
      /** The safety review's errors and warnings on the target, and the dataflow.lint.json that applied (null: defaults). */
      findings: LintFinding[];
      lintConfig: string | null;
      /** Part of the workflow to apply (Run from here, Run this node only); absent: all of it. */
      subset?: RunSubset;
    }
  | { kind: 'confirm'; title: string; message: string; confirmLabel: string; onConfirm: () => void }
  /** An apply refused because the database changed outside the product: accept the drift and apply, or not. */
  /** `waivers`: those the refused apply carried, given again with the accepted drift. */
  | { kind: 'confirmDrift'; connection: string; report: DriftReport; waivers: LintWaiver[]; subset?: RunSubset }
  /** Resume a run that stopped part-way: what the run record says it would do, on the run's connection. */
  | { kind: 'confirmResume'; check: ResumeCheck; connectionId: string; connection: string; production: boolean }
  /** Roll a recorded apply back: the reverse workflow's SQL, then rehearse or apply it on the run's connection. */
  | { kind: 'rollback'; plan: RollbackPlan; connectionId: string; connection: string; production: boolean }
  | { kind: 'newCase'; source: string; target: string };

export interface Notice {
  level: 'info' | 'error';
  text: string;
  /** A problem of a node, shown after the text in the one pattern of layout/Problem.tsx. */
  problem?: Omit<WorkflowProblem, 'severity'> & { code?: string };
  /** A run refused while the workflow could not run (blockedNotice): cleared once an edit lets it run. */
  untilRunnable?: true;
}

export interface UiSlice {
  rightTab: RightTab;
  bottomTab: BottomTab;
  dialog: Dialog | null;
  notice: Notice | null;
  snapToGrid: boolean;
  showMinimap: boolean;
  setRightTab(tab: RightTab): void;
  setBottomTab(tab: BottomTab): void;
  openDialog(dialog: Dialog): void;
  closeDialog(): void;
  notify(notice: Notice | null): void;
  toggleSnap(): void;
  toggleMinimap(): void;
}

export const createUiSlice: Slice<UiSlice> = (set, get) => ({
  rightTab: 'inspector',
  bottomTab: 'run',
  dialog: null,
  notice: null,
  snapToGrid: true,
  showMinimap: true,
  setRightTab: (rightTab) => set({ rightTab }),
  setBottomTab: (bottomTab) => set({ bottomTab }),
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: null }),
  notify: (notice) => set({ notice }),
  toggleSnap: () => set({ snapToGrid: !get().snapToGrid }),
  toggleMinimap: () => set({ showMinimap: !get().showMinimap }),
});
