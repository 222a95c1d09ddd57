/**
 * The Connections dialog: the saved connections (name, kind, target, read-only, how the password is
 * kept) with add, edit and delete (confirmed), and the form of one connection. Modal: focus stays
 * inside, Escape closes, and the password typed in the form is dropped when the form or the
 * dialog closes (it lives in the form's state only).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Bridge, SavedConnection, SecretsStatus } from '../../shared/ipc.ts';
import { errorMessage } from '../api/index.ts';
import { ConnectionForm } from './ConnectionForm.tsx';
import { EnvironmentChip } from './EnvironmentChip.tsx';
import { KIND_LABEL, secretLabel, targetOf } from './connection-form.ts';
import { dialogKeyDown, keepClipboard, useFocusTrap } from './dialog-keys.ts';
import './connections.css';

export interface ConnectionsDialogProps {
  open: boolean;
  onClose(): void;
  /** After a connection is created or updated (the answer of `connections.save`). */
  onSaved(connection: SavedConnection): void;
  /** After a connection is deleted. */
  onDeleted?(id: string): void;
  /** The app's bridge (`api()` from renderer/api). */
  api: Bridge;
}

type View = { kind: 'list' } | { kind: 'form'; editing: SavedConnection | null };

function Row({
  conn,
  confirming,
  onEdit,
  onDelete,
  onConfirm,
  onKeep,
}: {
  conn: SavedConnection;
  confirming: boolean;
  onEdit(): void;
  onDelete(): void;
  onConfirm(): void;
  onKeep(): void;
}) {
  const keepRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) keepRef.current?.focus();
  }, [confirming]);
  return (
    <tr data-testid={`connection-row-${conn.id}`} data-connection-id={conn.id} data-name={conn.name}>
      <td className="conn-name">
        {conn.name}
        {conn.demo && (
          <span className="badge conn-badge" data-testid={`connection-demo-${conn.id}`}>
            demo
          </span>
        )}
      </td>
      <td>
        <EnvironmentChip conn={conn} testId={`connection-environment-${conn.id}`} />
      </td>
      <td>{KIND_LABEL[conn.kind]}</td>
      <td className="conn-target" title={targetOf(conn)} data-testid={`connection-target-${conn.id}`}>
        {targetOf(conn)}
      </td>
      <td>
        {conn.readOnly && (
          <span className="badge conn-badge conn-readonly" data-testid={`connection-readonly-${conn.id}`}>
            read-only
          </span>
        )}
      </td>
      <td className="muted" data-testid={`connection-secret-${conn.id}`}>
        {secretLabel(conn)}
      </td>
      <td className="conn-actions">
        {confirming ? (
          <span className="conn-confirm" role="group" aria-label={`Delete ${conn.name}?`}>
            Delete{conn.kind === 'postgres' && conn.hasSecret ? ' it and its password' : ''}?
            <button
              type="button"
              className="danger"
              data-testid={`connection-delete-confirm-${conn.id}`}
              onClick={onConfirm}
            >
              Delete
            </button>
            <button type="button" ref={keepRef} data-testid={`connection-delete-cancel-${conn.id}`} onClick={onKeep}>
              Keep
            </button>
          </span>
        ) : (
          <>
            <button
              type="button"
              data-testid={`connection-edit-${conn.id}`}
              aria-label={`Edit ${conn.name}`}
              onClick={onEdit}
            >
              Edit
            </button>
            <button
              type="button"
              data-testid={`connection-delete-${conn.id}`}
              aria-label={`Delete ${conn.name}`}
              onClick={onDelete}
            >
              Delete
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

function OpenDialog({ onClose, onSaved, onDeleted, api }: Omit<ConnectionsDialogProps, 'open'>) {
  const [connections, setConnections] = useState<SavedConnection[] | null>(null);
  const [secrets, setSecrets] = useState<SecretsStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [view, setView] = useState<View>({ kind: 'list' });
  const [confirming, setConfirming] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  useFocusTrap(ref);

  const load = useCallback(async () => {
    try {
      const [list, status] = await Promise.all([api.invoke('connections.list', {}), api.invoke('secrets.status', {})]);
      setConnections(list);
      setSecrets(status);
      setError(null);
    } catch (e) {
      setError(`Could not load the connections: ${errorMessage(e)}`);
    }
  }, [api]);

  useEffect(() => {
    ref.current?.focus();
    void load();
  }, [load]);
  useEffect(() => {
    if (view.kind === 'list') addRef.current?.focus();
  }, [view, connections]);

  const remove = async (conn: SavedConnection) => {
    setConfirming(null);
    try {
      await api.invoke('connections.delete', { id: conn.id });
      setNotice(`Deleted “${conn.name}”.`);
      onDeleted?.(conn.id);
    } catch (e) {
      setError(`Could not delete “${conn.name}”: ${errorMessage(e)}`);
    }
    await load();
  };

  const saved = (conn: SavedConnection) => {
    setView({ kind: 'list' });
    setNotice(`Saved “${conn.name}”.`);
    onSaved(conn);
    void load();
  };

  const title = view.kind === 'list' ? 'Connections' : view.editing ? `Edit “${view.editing.name}”` : 'New connection';
  return (
    <div className="modal-backdrop">
      <div
        className="modal wide connections-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="connections-title"
        data-testid="connections-dialog"
        data-view={view.kind}
        tabIndex={-1}
        ref={ref}
        onKeyDown={(e) => dialogKeyDown(e, onClose)}
        onCopy={keepClipboard}
        onCut={keepClipboard}
        onPaste={keepClipboard}
      >
        <h2 id="connections-title" data-testid="connections-title">
          {title}
        </h2>
        {view.kind === 'form' && secrets ? (
          <ConnectionForm
            api={api}
            editing={view.editing}
            secrets={secrets}
            onSecrets={setSecrets}
            onSaved={saved}
            onCancel={() => setView({ kind: 'list' })}
          />
        ) : (
          <>
            <div className="modal-body">
              <div className="conn-toolbar">
                <button
                  type="button"
                  ref={addRef}
                  className="primary"
                  data-testid="connections-add"
                  disabled={!secrets}
                  onClick={() => {
                    setNotice(null);
                    setView({ kind: 'form', editing: null });
                  }}
                >
                  Add connection
                </button>
                {notice && (
                  <span className="conn-ok" data-testid="connections-notice" role="status">
                    {notice}
                  </span>
                )}
              </div>
              {error && (
                <div className="field-error" data-testid="connections-error" role="alert">
                  {error}
                </div>
              )}
              {connections === null && !error && (
                <p className="muted" data-testid="connections-loading">
                  Loading…
                </p>
              )}
              {connections?.length === 0 && (
                <p className="muted" data-testid="connections-empty">
                  No saved connections yet.
                </p>
              )}
              {connections && connections.length > 0 && (
                <table className="conn-table" data-testid="connections-list">
                  <thead>
                    <tr>
                      <th>Name</th>
                      <th>Environment</th>
                      <th>Kind</th>
                      <th>Target</th>
                      <th>Access</th>
                      <th>Password</th>
                      <th aria-label="Actions" />
                    </tr>
                  </thead>
                  <tbody>
                    {connections.map((c) => (
                      <Row
                        key={c.id}
                        conn={c}
                        confirming={confirming === c.id}
                        onEdit={() => {
                          setNotice(null);
                          setView({ kind: 'form', editing: c });
                        }}
                        onDelete={() => setConfirming(c.id)}
                        onConfirm={() => void remove(c)}
                        onKeep={() => setConfirming(null)}
                      />
                    ))}
                  </tbody>
                </table>
              )}
            </div>
            <div className="modal-actions">
              <button type="button" data-testid="connections-close" onClick={onClose}>
                Close
              </button>
            </div>
          </>
        )}
      </div>
    </div>
  );
}

/** The dialog; renders nothing while closed, so nothing typed in it outlives it. */
export function ConnectionsDialog({ open, ...props }: ConnectionsDialogProps) {
  return open ? <OpenDialog {...props} /> : null;
}
