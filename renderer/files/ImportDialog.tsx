/** Import Python: paste the code or pick a .py file; problems are listed with their line. */
import { useState } from 'react';
import type { ImportProblem } from '../../shared/ipc.ts';
import { errorMessage } from '../api/index.ts';
import { useApp } from '../store/index.ts';
import { importPythonSource } from '../commands/files.ts';
import { CloseButton, Modal } from '../layout/Modal.tsx';

export function ImportDialog() {
  const [source, setSource] = useState('');
  const [lenient, setLenient] = useState(false);
  const [problems, setProblems] = useState<ImportProblem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const { imported, problems: found } = await importPythonSource(source, lenient);
      setProblems(found);
      if (imported && found.length === 0 && useApp.getState().dialog?.kind === 'importPython')
        useApp.getState().closeDialog();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const readFile = (file: File | undefined) => {
    if (!file) return;
    void file.text().then((t) => {
      setSource(t);
      setProblems(null);
    });
  };

  const errors = problems?.filter((p) => p.severity === 'error').length ?? 0;
  return (
    <Modal
      title="Import Python (Kailash WorkflowBuilder)"
      testId="import-dialog"
      wide
      actions={
        <>
          <CloseButton label={problems && errors === 0 ? 'Close' : 'Cancel'} />
          <button
            type="button"
            className="primary"
            data-testid="import-submit"
            disabled={busy || source.trim() === ''}
            onClick={() => void run()}
          >
            Import
          </button>
        </>
      }
    >
      <div className="row">
        <label className="file-pick">
          Open a .py file…{' '}
          <input
            type="file"
            accept=".py,text/x-python,text/plain"
            data-testid="import-file"
            onChange={(e) => readFile(e.target.files?.[0])}
          />
        </label>
        <label className="check" title="Problems become warnings; the workflow keeps everything else">
          <input
            type="checkbox"
            checked={lenient}
            onChange={(e) => setLenient(e.target.checked)}
            data-testid="import-lenient"
          />{' '}
          Lenient (drop what cannot be imported)
        </label>
      </div>
      <textarea
        className="code import-source"
        data-testid="import-source"
        rows={16}
        spellCheck={false}
        placeholder={'workflow = WorkflowBuilder()\nworkflow.add_node("SchemaModificationNode", "add_column", {...})'}
        value={source}
        onChange={(e) => {
          setSource(e.target.value);
          setProblems(null);
        }}
      />
      {error && <div className="field-error">{error}</div>}
      {problems && problems.length > 0 && (
        <>
          <p className={errors > 0 ? 'field-error' : 'muted'}>
            {errors > 0
              ? `${errors} error${errors === 1 ? '' : 's'}: nothing was imported. Fix them, or tick Lenient to import the rest.`
              : 'Imported, with these warnings:'}
          </p>
          <ul className="problems" data-testid="import-problems">
            {problems.map((p, i) => (
              <li key={i} className={p.severity}>
                line {p.line}:{p.column} — {p.severity}: {p.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </Modal>
  );
}
