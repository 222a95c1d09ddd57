/**
 * The schema browser benchmark page (bench/schema-browser.ts drives it): `?tables=N` fetches the
 * introspected schema of an N-table database (`schema-N.json`, served by the benchmark) and mounts
 * the editor's SchemaBrowser on it at the sidebar's width. `window.__schemaBench.firstPaintMs` is the
 * time from the mount to the first frame drawn after it; `arm()` before a key press and
 * `keystroke()` after it answer the time from the keydown to the first frame drawn after the list
 * changed (null when it did not change).
 */
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import '../../renderer/styles.css';
import type { Schema } from '../../shared/schema.ts';
import { SchemaBrowser } from '../../renderer/panels/SchemaBrowser.tsx';

declare global {
  interface Window {
    __schemaBench: {
      firstPaintMs: number | null;
      /** Starts watching for the next keydown and the list's change after it. */
      arm(): void;
      /** Ms from the armed keydown to the first frame drawn after the list changed; null when it did not change within 10 s. */
      keystroke(): Promise<number | null>;
    };
  }
}

/** Resolves once the frame after now has been drawn (a task queued from its animation frame runs after its paint). */
const painted = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));

let armed: Promise<number | null> | null = null;

function arm(): void {
  const list = document.querySelector('[data-testid="schema-rows"]')!;
  armed = new Promise((resolve) => {
    let t0 = 0;
    const seen = new MutationObserver(() => {
      if (!t0) return;
      seen.disconnect();
      void painted().then(() => resolve(performance.now() - t0));
    });
    seen.observe(list, { childList: true, subtree: true, attributes: true, characterData: true });
    addEventListener('keydown', () => (t0 = performance.now()), { once: true, capture: true });
    setTimeout(() => {
      seen.disconnect();
      resolve(null);
    }, 10_000);
  });
}

window.__schemaBench = {
  firstPaintMs: null,
  arm,
  keystroke: () => armed ?? Promise.reject(new Error('not armed')),
};

const tables = new URLSearchParams(window.location.search).get('tables') ?? '5000';
const schema = (await (await fetch(`./schema-${tables}.json`)).json()) as Schema;
const root = createRoot(document.getElementById('root')!);
const t0 = performance.now();
flushSync(() => root.render(<SchemaBrowser schema={schema} loading={false} onRefresh={() => {}} />));
await painted();
window.__schemaBench.firstPaintMs = performance.now() - t0;
