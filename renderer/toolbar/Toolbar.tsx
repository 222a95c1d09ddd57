/** The toolbar, one line from 1280 px wide: the File menu, edit and view commands as icons, the connection picker, and Plan / Rehearse / Apply / Cancel. */
import { useDeferredValue } from 'react';
import { useStore } from 'zustand';
import { isDirty, useApp } from '../store/index.ts';
import { runCommand, type Command } from '../commands/index.ts';
import { offerDemo } from '../commands/demo.ts';
import { shortcutLabel } from '../commands/shortcuts.ts';
import { ThemeToggle } from '../theme/ThemeToggle.tsx';
import { EnvironmentChip } from '../connections/EnvironmentChip.tsx';
import { useTarget } from './target.ts';
import { blockedReason, workflowErrors } from '../store/workflow-errors.ts';
import { plural } from '../panels/format.ts';
import { FileMenu } from './FileMenu.tsx';
import { KIND_LABEL } from '../connections/connection-form.ts';
import './toolbar.css';

function Button({
  command,
  label,
  title,
  testId,
  disabled,
  className,
  reason,
}: {
  command: Command;
  label: string;
  title: string;
  /** Why the button is disabled, shown as its tooltip instead of the title. */
  reason?: string | null;
  testId: string;
  disabled?: boolean;
  className?: string;
}) {
  return (
    <button
      type="button"
      className={className}
      data-testid={testId}
      title={reason ?? shortcutLabel(title)}
      aria-label={title.replace(/ \(.*\)$/, '')}
      disabled={disabled}
      onClick={() => runCommand(command)}
    >
      {label}
    </button>
  );
}

function DocumentTitle() {
  const name = useApp((s) => s.doc.name);
  const filePath = useApp((s) => s.filePath);
  const origin = useApp((s) => s.origin);
  const dirty = useApp(isDirty);
  const where = filePath ? filePath.split('/').pop() : (origin ?? (dirty ? 'unsaved' : 'no file yet'));
  return (
    <div
      className="doc-title"
      data-testid="doc-title"
      title={`${name} — ${filePath ?? origin ?? 'not saved to a file yet'}`}
    >
      <span className="doc-name">{name}</span>
      {dirty && (
        <span className="dirty" data-testid="dirty-marker" title="unsaved changes">
          ●
        </span>
      )}
      <span className="doc-path" data-testid="doc-path">
        {where}
      </span>
    </div>
  );
}

/** The target's name (the select); its kind is in the tooltip, its environment in the chip beside it. */
function ConnectionPicker() {
  const connections = useApp((s) => s.connections);
  const connectionId = useApp((s) => s.connectionId);
  const target = useTarget();
  return (
    <div className="connection-picker">
      <label htmlFor="connection-select" className="target-label sr-only">
        Target
      </label>
      <select
        id="connection-select"
        data-testid="connection-select"
        title={target ? `Target: ${target.name} (${KIND_LABEL[target.kind]})` : 'Target'}
        value={connectionId ?? ''}
        onChange={(e) => useApp.getState().chooseConnection(e.target.value || null)}
      >
        {connections.length === 0 && <option value="">No connection</option>}
        {connections.length > 0 && connectionId === null && <option value="">Choose a target…</option>}
        {connections.map((c) => (
          <option key={c.id} value={c.id} title={`${c.name}: ${KIND_LABEL[c.kind]}`}>
            {c.name}
            {c.demo ? ' (demo)' : ''}
            {c.readOnly ? ' (read-only)' : ''}
          </option>
        ))}
      </select>
      {target && <EnvironmentChip conn={target} testId="target-environment" />}
      <button
        type="button"
        data-testid="btn-connections"
        className="icon-button"
        aria-label="Connections…"
        title="Connections…: add, edit or delete connections (SQLite files, PostgreSQL)"
        onClick={() => useApp.getState().openDialog({ kind: 'connections' })}
      >
        ⚙
      </button>
      <button
        type="button"
        data-testid="btn-create-demo"
        title="Create the demo SQLite database (or recreate it with fresh rows) and choose it"
        onClick={offerDemo}
      >
        Demo DB
      </button>
    </div>
  );
}

export function Toolbar() {
  const canUndo = useStore(useApp.temporal, (t) => t.pastStates.length > 0);
  const canRedo = useStore(useApp.temporal, (t) => t.futureStates.length > 0);
  const phase = useApp((s) => s.run.phase);
  const source = useApp((s) => s.run.source);
  const mode = useApp((s) => s.run.mode);
  const status = useApp((s) => s.run.result?.status ?? (s.run.error ? 'failed' : ''));
  const target = useTarget();
  const hasConnection = target !== null;
  const readOnly = target?.readOnly ?? false;
  const busy = source === 'live' && (phase === 'starting' || phase === 'running');
  // The whole workflow's check runs after the keystroke's frame (Rehearse and Apply check again when clicked).
  const doc = useDeferredValue(useApp((s) => s.doc));
  const blocked = blockedReason(doc);
  const blockedCount = workflowErrors(doc).length;
  return (
    <header
      className="toolbar"
      data-testid="toolbar"
      data-run-phase={phase}
      data-run-mode={mode ?? ''}
      data-run-status={status}
    >
      <FileMenu />
      <div className="group">
        <Button command="edit.undo" label="↶" title="Undo (Mod+Z)" testId="btn-undo" disabled={!canUndo} />
        <Button command="edit.redo" label="↷" title="Redo (Mod+Shift+Z)" testId="btn-redo" disabled={!canRedo} />
        <Button command="view.layout" label="⇶" title="Automatic layout (Mod+Shift+L)" testId="btn-layout" />
        <Button command="view.fit" label="⤢" title="Fit view (Shift+1)" testId="btn-fit" />
      </div>
      <DocumentTitle />
      <ConnectionPicker />
      <div className="group run-group">
        <Button
          command="run.plan"
          label="Plan"
          title="Plan: the exact SQL, nothing written (Mod+Enter)"
          testId="btn-plan"
          disabled={busy || !hasConnection}
        />
        <Button
          command="run.rehearse"
          label="Rehearse"
          title="Rehearse: run and roll back (Mod+Shift+Enter)"
          reason={blocked}
          testId="btn-rehearse"
          disabled={busy || !hasConnection || blocked !== null}
        />
        <Button
          command="run.apply"
          label={target ? `Apply to ${target.name}…` : 'Apply…'}
          title={target ? `Apply: commit the changes to ${target.name} (asks first)` : 'Apply'}
          reason={
            !target
              ? 'Choose a target first'
              : readOnly
                ? `${target.name} is read-only: apply is disabled on it`
                : blocked
          }
          testId="btn-apply"
          className={`primary apply-button${target?.environment?.kind === 'production' ? ' danger' : ''}`}
          disabled={busy || !hasConnection || readOnly || blocked !== null}
        />
        {phase === 'starting' && source === 'live' && (
          <span className="run-starting" data-testid="toolbar-starting" role="status">
            Starting…
          </span>
        )}
        {phase !== 'starting' && blockedCount > 0 && (
          <span className="run-blocked" data-testid="run-blocked" title={blocked ?? undefined}>
            {plural(blockedCount, 'problem')} to fix
          </span>
        )}
        {busy && <Button command="run.cancel" label="Cancel" title="Cancel the running run" testId="btn-cancel" />}
      </div>
      <ThemeToggle />
      <Button command="view.shortcuts" label="?" title="Keyboard shortcuts (?)" testId="btn-shortcuts" />
    </header>
  );
}
