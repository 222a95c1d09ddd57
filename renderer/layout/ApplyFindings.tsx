/**
 * The Apply confirmation's safety review (docs/lint.md, "Before apply"): every error and warning
 * on the target, the configuration that applied, a one-click fix where one exists, and for each
 * error a waiver: ticked, with the reason the user accepts it (recorded in the run's history).
 * Apply stays disabled while an error is neither fixed nor waived with a reason.
 */
import type { LintFinding } from '../../shared/lint/finding.ts';
import { LINT_RULES } from '../../shared/lint/rules.ts';
import type { LintWaiver } from '../../shared/lint/waiver.ts';
import { fixOf } from '../commands/lint.ts';
import { Problem } from './Problem.tsx';

/** A waiver being written: ticked or not, and its reason so far. */
export interface WaiverDraft {
  on: boolean;
  reason: string;
}

export const waiverKey = (f: LintFinding) => `${f.code}@${f.node ?? ''}`;

/** The waivers to send: one per ticked error with a reason; null while an error has none. */
export function waiversOf(
  findings: readonly LintFinding[],
  drafts: Readonly<Record<string, WaiverDraft>>,
): LintWaiver[] | null {
  const out: LintWaiver[] = [];
  for (const f of findings.filter((x) => x.severity === 'error')) {
    const d = drafts[waiverKey(f)];
    if (!d?.on || d.reason.trim() === '') return null;
    out.push({ code: f.code, ...(f.node !== undefined ? { node: f.node } : {}), reason: d.reason.trim() });
  }
  return out;
}

export function ApplyFindings({
  findings,
  config,
  drafts,
  onDraft,
  onFixed,
}: {
  findings: readonly LintFinding[];
  config: string | null;
  drafts: Readonly<Record<string, WaiverDraft>>;
  onDraft(key: string, draft: WaiverDraft): void;
  /** A fix was applied to the document: the confirmation must be made again. */
  onFixed(): void;
}) {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return (
    <section className="apply-review" data-testid="apply-review">
      <h3>
        Safety review:{' '}
        {findings.length === 0
          ? 'no error or warning'
          : `${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}`}
      </h3>
      <p className="muted apply-review-config" data-testid="apply-lint-config">
        Configuration: {config ? <code>{config}</code> : 'defaults (no dataflow.lint.json next to the workflow file)'}
      </p>
      {findings.length > 0 && (
        <ul className="apply-findings">
          {findings.map((f) => {
            const key = waiverKey(f);
            const draft = drafts[key] ?? { on: false, reason: '' };
            const fix = fixOf(f);
            return (
              <li
                key={key}
                className={`apply-finding code-note-${f.severity}`}
                data-testid={`apply-finding-${f.node}-${f.code}`}
              >
                <div>
                  <strong>
                    {f.severity} {f.code}
                  </strong>{' '}
                  {LINT_RULES[f.code].title}
                </div>
                <div className="apply-finding-where">
                  <Problem node={f.node} field={f.field} label={f.fieldLabel} message={f.message} />
                </div>
                <div className="apply-finding-fix">Safe way: {LINT_RULES[f.code].fix}</div>
                {fix && (
                  <button
                    type="button"
                    data-testid={`apply-fix-${f.node}-${f.code}`}
                    onClick={() => {
                      fix.apply();
                      onFixed();
                    }}
                  >
                    {fix.label}
                  </button>
                )}
                {f.severity === 'error' && (
                  <div className="apply-waiver">
                    <label>
                      <input
                        type="checkbox"
                        data-testid={`apply-waive-${f.node}-${f.code}`}
                        checked={draft.on}
                        onChange={(e) => onDraft(key, { ...draft, on: e.target.checked })}
                      />{' '}
                      Waive, because
                    </label>
                    <input
                      type="text"
                      data-testid={`apply-waive-reason-${f.node}-${f.code}`}
                      aria-label={`Reason to waive ${f.code} on ${f.node}`}
                      placeholder="why this is acceptable (recorded in the history)"
                      value={draft.reason}
                      disabled={!draft.on}
                      maxLength={2000}
                      onChange={(e) => onDraft(key, { ...draft, reason: e.target.value })}
                    />
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
