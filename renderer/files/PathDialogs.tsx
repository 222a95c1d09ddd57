/** Browser-mode open and save-as: a path field, the recent files and the examples (no native dialog there). */
import { useEffect, useState, type FormEvent } from 'react';
import type { AppInfo } from '../../shared/ipc.ts';
import { api, errorMessage } from '../api/index.ts';
import { useApp } from '../store/index.ts';
import { openExample, openPath, savePath } from '../commands/files.ts';
import { CloseButton, Modal } from '../layout/Modal.tsx';

/** Loads once when the dialog opens. */
function useInvoke<T>(load: () => Promise<T>): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let live = true;
    load()
      .then((v) => live && setValue(v))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return value;
}

const appInfo = () => api().invoke('app.info', {});

export function OpenDialog() {
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const recent = useInvoke(() => api().invoke('workflow.recent', {}));
  const examples = useInvoke(() => api().invoke('workflow.examples', {}));
  const info = useInvoke<AppInfo>(appInfo);
  const open = async (p: string) => {
    setError(null);
    try {
      await openPath(p);
      useApp.getState().closeDialog();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (path.trim()) void open(path.trim());
  };
  return (
    <Modal
      title="Open workflow"
      testId="open-dialog"
      wide
      actions={
        <>
          <CloseButton />
          <button type="submit" form="open-form" className="primary" data-testid="open-submit">
            Open
          </button>
        </>
      }
    >
      <form id="open-form" onSubmit={submit} className="field">
        <label htmlFor="open-path">Path of a .dataflow.json file</label>
        <input
          id="open-path"
          data-testid="open-path"
          autoFocus
          value={path}
          placeholder={info ? `${info.homeDir}/…/name.dataflow.json` : '/home/you/name.dataflow.json'}
          onChange={(e) => setPath(e.target.value)}
        />
        {error && (
          <div className="field-error" data-testid="open-error">
            {error}
          </div>
        )}
      </form>
      <div className="columns">
        <section>
          <h3>Recent</h3>
          {recent?.length === 0 && <p className="muted small">No recent files.</p>}
          <ul className="file-list" data-testid="recent-files">
            {recent?.map((r) => (
              <li key={r.path}>
                <button type="button" className="link" title={r.path} onClick={() => void open(r.path)}>
                  {r.path.split('/').pop()}
                </button>
                <span className="muted small"> {r.path}</span>
              </li>
            ))}
          </ul>
        </section>
        <section>
          <h3>Examples from the guide</h3>
          <ul className="file-list" data-testid="example-files">
            {examples?.map((x) => (
              <li key={x.path}>
                <button
                  type="button"
                  className="link"
                  data-testid={`example-${x.path
                    .split('/')
                    .pop()!
                    .replace(/\.dataflow\.json$/, '')}`}
                  onClick={() => {
                    openExample(x.text, x.path.split('/').pop()!);
                    useApp.getState().closeDialog();
                  }}
                >
                  {x.name}
                </button>
                <span className="muted small"> {x.path.split('/').pop()}</span>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </Modal>
  );
}

export function SaveAsDialog() {
  const filePath = useApp((s) => s.filePath);
  const name = useApp((s) => s.doc.name);
  const info = useInvoke<AppInfo>(appInfo);
  const [path, setPath] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const suggested =
    filePath ?? (info ? `${info.homeDir}/${name.replace(/[^\w.-]+/g, '_') || 'workflow'}.dataflow.json` : '');
  const value = path ?? suggested;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await savePath(value.trim(), false, true);
      useApp.getState().closeDialog();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <Modal
      title="Save workflow as"
      testId="save-dialog"
      actions={
        <>
          <CloseButton />
          <button type="submit" form="save-form" className="primary" data-testid="save-submit">
            Save
          </button>
        </>
      }
    >
      <form id="save-form" onSubmit={(e) => void submit(e)} className="field">
        <label htmlFor="save-path">Full path of the file (under your home folder)</label>
        <input
          id="save-path"
          data-testid="save-path"
          autoFocus
          value={value}
          onChange={(e) => setPath(e.target.value)}
        />
        {error && (
          <div className="field-error" data-testid="save-error">
            {error}
          </div>
        )}
      </form>
    </Modal>
  );
}
