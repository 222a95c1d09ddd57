/** The open dialog, whichever it is: confirmations, the apply confirmation, a new Switch case, the shortcut sheet, files. */
import { useState, type FormEvent } from 'react';
import { useApp } from '../store/index.ts';
import type { Dialog } from '../store/ui-slice.ts';
import type { DestructiveStep } from '../../shared/destructive-steps.ts';
import { confirmApply, startRun } from '../commands/runs.ts';
import { ApplyFindings, waiversOf, type WaiverDraft } from './ApplyFindings.tsx';
import { ShortcutSheet } from '../palette/ShortcutSheet.tsx';
import { ExportDialog } from '../files/ExportDialog.tsx';
import { ImportDialog } from '../files/ImportDialog.tsx';
import { FileDialog } from '../files/FileDialog.tsx';
import { ConnectionsDialog } from '../connections/ConnectionsDialog.tsx';
import { api } from '../api/index.ts';
import { refreshConnections, refreshSchema } from '../commands/runs.ts';
import { CloseButton, Modal } from './Modal.tsx';
import { useTypeNameConfirm } from './TypeNameConfirm.tsx';
import { plural } from '../panels/format.ts';
import { DiffPanel } from '../panels/DiffPanel.tsx';
import { ConfirmResume } from './ResumeDialog.tsx';
import { RollbackDialog } from './RollbackDialog.tsx';
import { FleetPanel } from '../fleet/FleetPanel.tsx';

function Confirm({ title, message, confirmLabel, onConfirm }: Extract<Dialog, { kind: 'confirm' }>) {
  return (
    <Modal
      title={title}
      testId="confirm-dialog"
      actions={
        <>
          <CloseButton />
          <button
            type="button"
            className="primary"
            data-testid="confirm-ok"
            onClick={() => {
              useApp.getState().closeDialog();
              onConfirm();
            }}
          >
            {confirmLabel}
          </button>
        </>
      }
    >
      <p>{message}</p>
    </Modal>
  );
}

/**
 * An apply refused for drift: what changed on the database outside DataFlow Studio since the run
 * that recorded its schema (as a schema diff), the applied migrations whose workflow was edited,
 * and the choice to accept it (recorded with the run) and apply, or to stop.
 */
function ConfirmDrift({ connection, report, waivers, subset }: Extract<Dialog, { kind: 'confirmDrift' }>) {
  const base = report.baseline;
  return (
    <Modal
      title={`${connection} changed outside DataFlow Studio`}
      testId="drift-dialog"
      wide
      actions={
        <>
          <CloseButton />
          <button
            type="button"
            className="danger"
            data-testid="drift-accept"
            onClick={() => {
              useApp.getState().closeDialog();
              void startRun('apply', waivers, { acceptDrift: true, ...(subset ? { subset } : {}) });
            }}
          >
            Accept drift and apply
          </button>
        </>
      }
    >
      <p>
        Nothing was applied.{' '}
        {base ? (
          <>
            Since run <code>{base.runId.slice(0, 8)}</code> ({base.workflow}, {base.startedAt}) recorded the schema of{' '}
            <strong>{connection}</strong>, it was changed by something other than DataFlow Studio.
          </>
        ) : (
          <>The workflow's applied migrations were edited since.</>
        )}{' '}
        Check the changes; accepting them is recorded with the run.
      </p>
      {report.diff.changes.length > 0 && <DiffPanel diff={report.diff} />}
      {report.editedMigrations.length > 0 && (
        <ul data-testid="drift-migrations">
          {report.editedMigrations.map((m) => (
            <li key={m.name}>
              Migration <strong>{m.name}</strong>, completed by run <code>{m.runId.slice(0, 8)}</code>: its workflow
              changed since ({m.nodes.map((n) => `node ${n.node} ${n.change}`).join(', ')}).
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}

function Steps({ steps }: { steps: DestructiveStep[] }) {
  return (
    <ul className="destructive-steps" data-testid="apply-destructive">
      {steps.map((s, i) => (
        <li key={i}>
          <strong>{s.nodeId}</strong>: {s.comment}
          <pre className="code">{s.sql}</pre>
        </li>
      ))}
    </ul>
  );
}

function ConfirmApply({
  connection,
  environment,
  production,
  destructive,
  writes,
  findings,
  lintConfig,
  subset,
}: Extract<Dialog, { kind: 'confirmApply' }>) {
  const typeName = useTypeNameConfirm(connection, production, 'apply', 'apply', true);
  const [drafts, setDrafts] = useState<Record<string, WaiverDraft>>({});
  const waivers = waiversOf(findings, drafts);
  const confirmed = typeName.confirmed && waivers !== null;
  const apply = (e?: FormEvent) => {
    e?.preventDefault();
    if (!confirmed) return;
    useApp.getState().closeDialog();
    void startRun('apply', waivers, subset ? { subset } : {});
  };
  const part = subset ? ('from' in subset ? `from ${subset.from} on` : `${subset.only.join(', ')} only`) : null;
  return (
    <Modal
      title={`Apply ${part ? `${part} ` : ''}to ${connection}${environment ? ` (${environment})` : ''}?`}
      testId="apply-dialog"
      wide={destructive.length > 0 || findings.length > 0}
      actions={
        <>
          <CloseButton />
          <button
            type="submit"
            form="apply-form"
            className={destructive.length > 0 || production ? 'danger' : 'primary'}
            data-testid="apply-confirm"
            disabled={!confirmed}
            title={
              waivers === null
                ? 'Fix each error of the safety review, or waive it with a reason'
                : confirmed
                  ? undefined
                  : `Type ${connection} to confirm`
            }
          >
            {destructive.length > 0
              ? `Apply to ${connection}, including ${plural(destructive.length, 'destructive step')}`
              : `Apply to ${connection}`}
          </button>
        </>
      }
    >
      <p>
        This commits the changes {part ? `of ${part} ` : ''}to <strong>{connection}</strong>
        {environment ? `, a ${environment} connection` : ''}.{' '}
        {part && 'The other nodes are not run; a node that reads their outputs fails naming them. '}
        {writes.length > 0 ? `Nodes that write: ${writes.join(', ')}.` : 'No node writes.'}
      </p>
      <ApplyFindings
        findings={findings}
        config={lintConfig}
        drafts={drafts}
        onDraft={(key, draft) => setDrafts((d) => ({ ...d, [key]: draft }))}
        onFixed={() => {
          useApp.getState().closeDialog();
          void confirmApply(subset);
        }}
      />
      {destructive.length > 0 ? (
        <>
          <p className="field-error">These steps lose data or structure and cannot be undone by the editor:</p>
          <Steps steps={destructive} />
        </>
      ) : (
        <p className="muted" data-testid="apply-no-destructive">
          The plan has no destructive step (no DROP).
        </p>
      )}
      <form id="apply-form" onSubmit={apply}>
        {typeName.field}
      </form>
    </Modal>
  );
}

function NewCase({ source, target }: Extract<Dialog, { kind: 'newCase' }>) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = value.trim();
    if (!v) return setError('type the value that selects this route');
    const problem = useApp.getState().link({ kind: 'route', source, value: v, target });
    if (problem) return setError(problem);
    useApp.getState().closeDialog();
  };
  return (
    <Modal
      title={`New case of ${source}`}
      testId="newcase-dialog"
      actions={
        <>
          <CloseButton />
          <button type="submit" form="newcase-form" className="primary" data-testid="newcase-ok">
            Add case
          </button>
        </>
      }
    >
      <form id="newcase-form" onSubmit={submit} className="field">
        <label htmlFor="newcase-value">When the input is</label>
        <input
          id="newcase-value"
          data-testid="newcase-value"
          autoFocus
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder="completed"
        />
        <div className="field-help">
          …run <strong>{target}</strong> (and skip the other routes).
        </div>
        {error && <div className="field-error">{error}</div>}
      </form>
    </Modal>
  );
}

function Shortcuts() {
  return (
    <Modal title="Keyboard shortcuts" testId="shortcuts-dialog" wide actions={<CloseButton label="Close" />}>
      <ShortcutSheet />
    </Modal>
  );
}

export function Dialogs() {
  const dialog = useApp((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'confirm':
      return <Confirm {...dialog} />;
    case 'confirmApply':
      return <ConfirmApply {...dialog} />;
    case 'confirmDrift':
      return <ConfirmDrift {...dialog} />;
    case 'confirmResume':
      return <ConfirmResume {...dialog} />;
    case 'rollback':
      return <RollbackDialog {...dialog} />;
    case 'newCase':
      return <NewCase {...dialog} />;
    case 'shortcuts':
      return <Shortcuts />;
    case 'fleet':
      return <FleetPanel />;
    case 'connections':
      return (
        <ConnectionsDialog
          open
          api={api()}
          onClose={() => useApp.getState().closeDialog()}
          onSaved={(conn) =>
            void refreshConnections().then(() => {
              if (useApp.getState().connectionId === conn.id) return refreshSchema();
            })
          }
          onDeleted={() => void refreshConnections()}
        />
      );
    case 'open':
      return <FileDialog mode="open" />;
    case 'saveAs':
      return <FileDialog mode="save" />;
    case 'importPython':
      return <ImportDialog />;
    case 'export':
      return (
        <ExportDialog title={dialog.title} text={dialog.text} filename={dialog.filename} warning={dialog.warning} />
      );
  }
}
