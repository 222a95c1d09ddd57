/**
 * What an apply's safety review found and what the user waived (RunResult.review), in the Run
 * panel of a live run and of a run opened from the history.
 */
import type { RunReview } from '../../shared/lint/waiver.ts';
import { waiverFor } from '../../shared/lint/waiver.ts';
import { plural } from './format.ts';

export function ReviewNote({ review }: { review: RunReview | undefined }) {
  if (!review) return null;
  const shown = review.findings.filter((f) => f.severity !== 'info');
  const errors = shown.filter((f) => f.severity === 'error').length;
  const waived = shown.flatMap((f) => {
    const w = waiverFor(f, review.waivers);
    return w ? [{ f, w }] : [];
  });
  return (
    <div className="df-muted" data-testid="run-review">
      Safety review before apply: {plural(errors, 'error')}, {plural(shown.length - errors, 'warning')}
      {waived.length > 0 ? '; waived:' : '.'}
      {waived.length > 0 && (
        <ul className="df-notes">
          {waived.map(({ f, w }) => (
            <li key={`${f.code}@${f.node}`} data-testid={`run-waiver-${f.node}-${f.code}`}>
              <strong>
                {f.code} on {f.node}
              </strong>
              : “{w.reason}”
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
