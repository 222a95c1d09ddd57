/** Shows exported Python or SQL with copy and download. */
import { useState } from 'react';
import { download } from '../commands/files.ts';
import { CloseButton, Modal } from '../layout/Modal.tsx';

export function ExportDialog({ title, text, filename }: { title: string; text: string; filename: string }) {
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
      <pre className="code export-text" data-testid="export-text">
        {text}
      </pre>
    </Modal>
  );
}
