/**
 * Browser mode's open and save dialog, served by the host (`files.list`, `files.mkdir`): browse
 * any folder, jump to home, the examples or a recent file's folder, create a folder, pick or type
 * a file. The host checks every path again (handlers/files.ts, paths.ts). Open also lists the
 * recent files and the guide's examples; the Electron window uses the OS's dialogs instead.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { FolderListing } from '../../shared/ipc.ts';
import { api, errorMessage } from '../api/index.ts';
import { useApp } from '../store/index.ts';
import { openExample, openPath, savePath } from '../commands/files.ts';
import { CloseButton, Modal } from '../layout/Modal.tsx';
import { baseName, folderOf, joinPath } from './file-paths.ts';
import { FileList, Places, RecentAndExamples } from './FileDialogParts.tsx';
import './file-dialog.css';

function useFolder(start: string | null) {
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const go = useCallback(async (path?: string) => {
    try {
      setListing(await api().invoke('files.list', path ? { path } : {}));
      setError(null);
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    }
  }, []);
  useEffect(() => {
    void go(start ?? undefined).then((ok) => {
      if (!ok && start) void go();
    });
  }, [go, start]);
  return { listing, error, setError, go };
}

function NewFolder({ parent, onMade }: { parent: string; onMade: (path: string) => void }) {
  const [name, setName] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (name === null)
    return (
      <button type="button" data-testid="file-new-folder" onClick={() => setName('')}>
        New folder
      </button>
    );
  const create = async () => {
    try {
      onMade((await api().invoke('files.mkdir', { parent, name })).path);
      setName(null);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <span className="file-new-folder">
      <input
        aria-label="New folder name"
        data-testid="file-new-folder-name"
        autoFocus
        value={name}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void create();
          } else if (e.key === 'Escape') {
            e.stopPropagation();
            setName(null);
          }
        }}
      />
      <button type="button" data-testid="file-new-folder-create" onClick={() => void create()}>
        Create
      </button>
      {error && (
        <span className="field-error" data-testid="file-new-folder-error">
          {error}
        </span>
      )}
    </span>
  );
}

export function FileDialog({ mode }: { mode: 'open' | 'save' }) {
  const filePath = useApp((s) => s.filePath);
  const docName = useApp((s) => s.doc.name);
  const { listing, error: listError, go } = useFolder(filePath ? folderOf(filePath) : null);
  const [path, setPath] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fileName =
    mode === 'save'
      ? filePath
        ? baseName(filePath)
        : `${docName.replace(/[^\w.-]+/g, '_') || 'workflow'}.dataflow.json`
      : '';
  const value = path ?? (listing ? joinPath(listing.path, fileName) : (filePath ?? ''));
  const existing = listing?.entries.some((e) => !e.folder && joinPath(listing.path, e.name) === value) ?? false;
  const navigate = async (folder: string) => {
    if (await go(folder)) setPath(joinPath(folder, baseName(value)));
  };
  const submit = async (target = value.trim()) => {
    setError(null);
    if (!target) return;
    const full = mode === 'save' && !target.toLowerCase().endsWith('.json') ? `${target}.dataflow.json` : target;
    try {
      if (mode === 'save') await savePath(full, false, true);
      else await openPath(full);
      useApp.getState().closeDialog();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const prefix = mode === 'save' ? 'save' : 'open';
  return (
    <Modal
      title={mode === 'save' ? 'Save workflow as' : 'Open workflow'}
      testId={`${prefix}-dialog`}
      wide
      actions={
        <>
          <CloseButton />
          <button type="submit" form={`${prefix}-form`} className="primary" data-testid={`${prefix}-submit`}>
            {mode === 'open' ? 'Open' : existing ? 'Replace' : 'Save'}
          </button>
        </>
      }
    >
      <div className="file-bar">
        <button
          type="button"
          data-testid="file-up"
          disabled={!listing?.parent}
          title="The folder above"
          onClick={() => listing?.parent && void navigate(listing.parent)}
        >
          ↑ Up
        </button>
        <span className="file-folder" data-testid="file-folder" title={listing?.path}>
          {listing?.path ?? '…'}
        </span>
        {listing?.writable && <NewFolder key={listing.path} parent={listing.path} onMade={(p) => void navigate(p)} />}
      </div>
      <div className="file-browser">
        {listing && <Places places={listing.places} mode={mode} onGo={(p) => void navigate(p)} />}
        <FileList
          listing={listing}
          selected={value}
          onFolder={(p) => void navigate(p)}
          onFile={(p) => setPath(p)}
          onChoose={(p) => void submit(p)}
        />
      </div>
      {listError && (
        <div className="field-error" data-testid="file-list-error">
          {listError}
        </div>
      )}
      <form
        id={`${prefix}-form`}
        className="field"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor={`${prefix}-path`}>{mode === 'save' ? 'Save as (full path)' : 'File (full path)'}</label>
        <input
          id={`${prefix}-path`}
          data-testid={`${prefix}-path`}
          autoFocus
          value={value}
          // Read-only until the first folder is listed: the path the field starts from comes with
          // the listing, and keys typed before it would have been joined to it.
          readOnly={listing === null && listError === null && path === null}
          aria-busy={listing === null && listError === null}
          placeholder="/path/to/name.dataflow.json"
          onChange={(e) => setPath(e.target.value)}
        />
        {existing && mode === 'save' && (
          <div className="muted small" data-testid="save-replaces">
            {baseName(value)} exists in this folder: saving replaces it.
          </div>
        )}
        {error && (
          <div className="field-error" data-testid={`${prefix}-error`}>
            {error}
          </div>
        )}
      </form>
      {mode === 'open' && (
        <RecentAndExamples
          onRecent={(p) => void submit(p)}
          onExample={(text, file) => {
            openExample(text, file);
            useApp.getState().closeDialog();
          }}
        />
      )}
    </Modal>
  );
}
