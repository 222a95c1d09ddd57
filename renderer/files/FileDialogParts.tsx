/** The file dialog's lists: the places to jump to, the folder's entries, the recent files and the examples. */
import { useEffect, useState } from 'react';
import type { FolderListing } from '../../shared/ipc.ts';
import { api } from '../api/index.ts';
import { baseName, joinPath } from './file-paths.ts';

export function Places({
  places,
  mode,
  onGo,
}: {
  places: FolderListing['places'];
  mode: 'open' | 'save';
  onGo: (path: string) => void;
}) {
  const place = (label: string, path: string, testId: string) => (
    <li key={testId}>
      <button type="button" className="link" title={path} data-testid={testId} onClick={() => onGo(path)}>
        {label}
      </button>
    </li>
  );
  return (
    <nav className="file-places" aria-label="Places">
      <h3>Places</h3>
      <ul className="file-list">
        {place('Home', places.home, 'place-home')}
        {mode === 'open' && place('Examples', places.examples, 'place-examples')}
      </ul>
      {places.recent.length > 0 && (
        <>
          <h3>Recent folders</h3>
          <ul className="file-list" data-testid="recent-folders">
            {places.recent.map((p, i) => place(baseName(p) || p, p, `place-recent-${i}`))}
          </ul>
        </>
      )}
    </nav>
  );
}

export function FileList({
  listing,
  selected,
  onFolder,
  onFile,
  onChoose,
}: {
  listing: FolderListing | null;
  selected: string;
  onFolder: (path: string) => void;
  onFile: (path: string) => void;
  /** A double-click: open or save this file at once. */
  onChoose: (path: string) => void;
}) {
  if (!listing) return <div className="file-entries muted small">Loading…</div>;
  return (
    <ul className="file-entries" data-testid="file-entries" aria-label={`Contents of ${listing.path}`}>
      {listing.entries.length === 0 && <li className="muted small">No folders or .json files here.</li>}
      {listing.entries.map((e) => {
        const path = joinPath(listing.path, e.name);
        return (
          <li key={e.name}>
            <button
              type="button"
              className={`file-entry${e.folder ? ' folder' : ''}${path === selected ? ' selected' : ''}`}
              data-testid={`entry-${e.name}`}
              aria-label={e.folder ? `Folder ${e.name}` : e.name}
              onClick={() => (e.folder ? onFolder(path) : onFile(path))}
              onDoubleClick={() => !e.folder && onChoose(path)}
            >
              {e.folder ? `${e.name}/` : e.name}
            </button>
          </li>
        );
      })}
      {listing.more > 0 && <li className="muted small">and {listing.more} more (type the path below)</li>}
    </ul>
  );
}

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

export function RecentAndExamples({
  onRecent,
  onExample,
}: {
  onRecent: (path: string) => void;
  onExample: (text: string, fileName: string) => void;
}) {
  const recent = useInvoke(() => api().invoke('workflow.recent', {}));
  const examples = useInvoke(() => api().invoke('workflow.examples', {}));
  return (
    <div className="columns file-recent">
      <section>
        <h3>Recent files</h3>
        {recent?.length === 0 && <p className="muted small">No recent files.</p>}
        <ul className="file-list" data-testid="recent-files">
          {recent?.map((r) => (
            <li key={r.path}>
              <button type="button" className="link" title={r.path} onClick={() => onRecent(r.path)}>
                {baseName(r.path)}
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
                data-testid={`example-${baseName(x.path).replace(/\.dataflow\.json$/, '')}`}
                onClick={() => onExample(x.text, baseName(x.path))}
              >
                {x.name}
              </button>
              <span className="muted small"> {baseName(x.path)}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
