/** Shows exported Python or SQL with copy and download, and a warning when the export is not to be trusted (a failed plan). */
import { useState } from 'react';
import { download } from '../commands/files.ts';
import { CloseButton, Modal } from '../layout/Modal.tsx';

export function ExportDialog({
  title,
  text,
  filename,
  warning,
}: {
  title: string;
  text: string;
  filename: string;
  warning?: string;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <Modal
      title={`Export ${title}`}
      testId="export-dialog"
      wide
      actions={
        <>
          <CloseButton label="Close" />
          <button
            type="button"
            data-testid="export-copy"
            onClick={() =>
              void navigator.clipboard?.writeText(text).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
          <button
            type="button"
            className="primary"
            data-testid="export-download"
            onClick={() => download(text, filename)}
          >
            Download {filename}
          </button>
        </>
      }
    >
      {warning && (
        <p className="field-error export-warning" data-testid="export-warning" role="alert">
          {warning}
        </p>
      )}
      <pre className="code export-text" data-testid="export-text">
        {text}
      </pre>
    </Modal>
  );
}
