/**
 * The pop-out windows of the SQL preview and the diff: a page of the app opened with
 * `?popout=sql|diff&channel=ID` (window.open; in Electron a BrowserWindow the main process allows
 * for such URLs only), kept in sync with the editor that opened it over a BroadcastChannel named
 * by ID. The editor sends the panel's state; the pop-out sends nothing but hello and bye.
 */
import type { LintFinding } from '../../shared/lint/finding.ts';
import type { SchemaDiff } from '../../shared/diff-types.ts';
import type { RunMode, RunResult } from '../../shared/run.ts';
import type { DialectName } from '../../shared/schema.ts';
import type { ThemeChoice } from '../../shared/ui-settings.ts';

export type PopoutPanel = 'sql' | 'diff';

export const POPOUT_NAMES: Record<PopoutPanel, string> = { sql: 'SQL preview', diff: 'Schema diff' };

/** What a pop-out shows: the editor's panel state as plain data (structured-cloned by the channel). */
export interface PopoutState {
  theme: ThemeChoice;
  /** The workflow's name and the chosen target's, for the window's title. */
  workflow: string;
  target: string | null;
  sql: {
    result: RunResult | null;
    pending: boolean;
    error: string | null;
    nodeTypes: Record<string, string>;
    dialect: DialectName;
    review: { findings: LintFinding[]; config: string | null } | null;
  };
  diff: { diff: SchemaDiff | null; mode: RunMode | null };
}

export type PopoutMessage =
  /** Editor → pop-outs: the current state (sent on every change while a pop-out is open). */
  | { type: 'state'; state: PopoutState }
  /** Editor → pop-outs: the editor started (or reloaded) and asks who is open. */
  | { type: 'ping' }
  /** Editor → pop-outs: the editor's page is closing; the pop-outs stop updating. */
  | { type: 'closed' }
  /** Pop-out → editor: it opened (or answers a ping) and wants the state. */
  | { type: 'hello'; panel: PopoutPanel }
  /** Pop-out → editor: its window is closing. */
  | { type: 'bye'; panel: PopoutPanel };

export const channelName = (id: string) => `dataflow-popout-${id}`;

/** The pop-out this page is, from its URL; null for the editor itself. */
export function popoutOfPage(search: string): { panel: PopoutPanel; channel: string } | null {
  const params = new URLSearchParams(search);
  const panel = params.get('popout');
  const channel = params.get('channel');
  if ((panel !== 'sql' && panel !== 'diff') || !channel || !/^[\w-]{1,64}$/.test(channel)) return null;
  return { panel, channel };
}

/** The pop-out page's address beside the editor's page (no token: the host's cookie admits it). */
export function popoutUrl(page: string, panel: PopoutPanel, channel: string): string {
  const url = new URL(page);
  url.search = `?popout=${panel}&channel=${encodeURIComponent(channel)}`;
  url.hash = '';
  return url.toString();
}
