/**
 * Start-up: render the app, wire the event stream, shortcuts and the state the main process
 * follows; or, for a pop-out window's page (`?popout=`), the popped-out panel alone.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { api } from './api/index.ts';
import { isDirty, useApp, type AppState } from './store/index.ts';
import { App } from './layout/App.tsx';
import { runMenuCommand } from './commands/index.ts';
import { installShortcuts } from './commands/shortcuts.ts';
import { noteRunEvent } from './commands/run-results.ts';
import { refreshConnections, refreshHistory, refreshSchema, schedulePreview, wantsPlan } from './commands/runs.ts';
import { scheduleLint } from './commands/lint.ts';
import { blockedReason } from './store/workflow-errors.ts';
import { loadRoom } from './layout/room.ts';
import { popoutOfPage } from './popout/popout-protocol.ts';
import { startPopoutSync } from './popout/popout-host.ts';
import { PopoutApp } from './popout/PopoutApp.tsx';

function startEditor(): void {
  api().on((event) => {
    if (event.type === 'run') {
      useApp.getState().receiveRunEvent(event.event);
      noteRunEvent(event.event);
    } else if (event.type === 'menu') runMenuCommand(event.command, event.path);
  });

  installShortcuts();

  let reported = '';
  const reportDocument = (s: AppState) => {
    const dirty = isDirty(s);
    const title = `${s.doc.name}${s.filePath ? ` — ${s.filePath.split('/').pop()}` : ''}`;
    document.title = `${dirty ? '● ' : ''}${title} · DataFlow Studio`;
    const key = `${title}\u0000${dirty}`;
    if (key === reported) return;
    reported = key;
    api()
      .invoke('window.setDocumentState', { title, dirty })
      .catch(() => undefined);
  };

  useApp.subscribe((s, prev) => {
    if (
      s.doc !== prev.doc ||
      s.savedDoc !== prev.savedDoc ||
      s.draftNode !== prev.draftNode ||
      s.filePath !== prev.filePath
    )
      reportDocument(s);
    if (s.doc !== prev.doc || s.connectionId !== prev.connectionId || s.filePath !== prev.filePath)
      scheduleLint(s.connectionId !== prev.connectionId ? 0 : undefined);
    // "Cannot rehearse: ..." is stale once an edit lets the workflow run.
    if (s.doc !== prev.doc && s.notice?.untilRunnable && blockedReason(s.doc) === null) s.notify(null);
    if (s.connectionId !== prev.connectionId) {
      void refreshSchema();
      void refreshHistory();
      if (wantsPlan(s)) schedulePreview(0);
    } else if (wantsPlan(s) && (s.doc !== prev.doc || !wantsPlan(prev)))
      // The inspector's draft comes into the document after a pause in the typing already: planned at once.
      schedulePreview(s.doc !== prev.doc && s.draftNode !== null ? 0 : undefined);
  });

  if (!api().nativeDialogs) {
    window.addEventListener('beforeunload', (e) => {
      if (isDirty(useApp.getState())) e.preventDefault();
    });
  }

  reportDocument(useApp.getState());
  void refreshConnections().then(() => refreshSchema());
  void refreshHistory();
  void loadRoom();
  startPopoutSync((panel) => {
    if (panel === 'sql') schedulePreview(0);
  });

  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

const popout = popoutOfPage(window.location.search);
if (popout) createRoot(document.getElementById('root')!).render(<PopoutApp {...popout} />);
else startEditor();
