/** Says, on a rehearsal's run, diff and metrics, that nothing of it was committed. */
import type { RunMode } from '../../shared/run.ts';

export function RehearsalNote({ mode, finished = true }: { mode: RunMode | null | undefined; finished?: boolean }) {
  if (mode !== 'rehearse') return null;
  return (
    <p className="df-rehearsal" data-testid="rehearsal-note" role="note">
      {finished
        ? 'Rehearsal: rolled back, nothing was committed'
        : 'Rehearsal: everything is rolled back at the end, nothing is committed'}
    </p>
  );
}
