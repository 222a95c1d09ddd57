/**
 * The Resume confirmation: which nodes the stopped run completed (not run again), which run now
 * (a data node from its checkpoint, each planned from the live schema), on which connection. While
 * nodes changed since that run the resume is refused, naming them; the user may force it.
 */
import type { FormEvent } from 'react';
import { useApp } from '../store/index.ts';
import type { Dialog } from '../store/ui-slice.ts';
import { resume } from '../commands/resume.ts';
import { CloseButton, Modal } from './Modal.tsx';
import { useTypeNameConfirm } from './TypeNameConfirm.tsx';

const CHANGE: Record<string, string> = { edited: 'edited', added: 'added', removed: 'removed' };

export function ConfirmResume({
  check,
  connectionId,
  connection,
  production,
}: Extract<Dialog, { kind: 'confirmResume' }>) {
  const typeName = useTypeNameConfirm(connection, production, 'resume', 'resume');
  const nodes = useApp((s) => s.doc.nodes);
  const done = new Set(check.done);
  const remaining = nodes.filter((n) => !done.has(n.id));
  const changed = check.changed.length > 0;
  const confirmed = typeName.confirmed;
  const short = check.runId.slice(0, 8);
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!confirmed) return;
    useApp.getState().closeDialog();
    resume(check.runId, connectionId, changed);
  };
  return (
    <Modal
      title={`Resume run ${short} on ${connection}?`}
      testId="resume-dialog"
      actions={
        <>
          <CloseButton />
          <button
            type="submit"
            form="resume-form"
            className={changed || production ? 'danger' : 'primary'}
            data-testid="resume-confirm"
            disabled={!confirmed}
          >
            {changed ? 'Resume anyway' : `Resume on ${connection}`}
          </button>
        </>
      }
    >
      <p>
        Run <code>{short}</code> of “{check.workflow}” ({check.state}, started{' '}
        {check.startedAt.replace('T', ' ').slice(0, 19)} UTC) stopped part-way. Resuming commits the rest to{' '}
        <strong>{connection}</strong>.
      </p>
      <dl className="resume-plan">
        <dt>Not run again (that run completed them)</dt>
        <dd data-testid="resume-done">{check.done.length > 0 ? check.done.join(', ') : 'none'}</dd>
        <dt>Run now, each planned from the live schema; a backfill continues from its checkpoint</dt>
        <dd data-testid="resume-remaining">{remaining.map((n) => n.id).join(', ')}</dd>
      </dl>
      {changed && (
        <div className="field-error" data-testid="resume-changed" role="alert">
          Refused: the workflow changed since run {short}:{' '}
          {check.changed.map((c) => `node ${c.node} ${CHANGE[c.change] ?? c.change}`).join(', ')}. Resume anyway runs
          the changed nodes as they are now; or apply the workflow anew instead.
        </div>
      )}
      <form id="resume-form" onSubmit={submit}>
        {typeName.field}
      </form>
    </Modal>
  );
}
