/**
 * lint.workflow: the safety review (docs/lint.md) of the open document on the chosen connection,
 * for the editor's node badges, the marks in the SQL preview and the Apply confirmation. Planned
 * by the connection's warm planner (nothing written), with the dataflow.lint.json next to the document's file.
 */
import type { AppContext } from '../core.ts';
import type { IpcMainLike } from '../ipc-table.ts';
import { lintConfigFor } from './lint-config.ts';
import { workflowFromText } from './workflow-text.ts';

export function registerLintHandlers(ipc: IpcMainLike, ctx: AppContext): void {
  ipc.handle('lint.workflow', async (_sender, { text, connectionId, filePath }) => {
    workflowFromText(text);
    const conn = ctx.connection(connectionId, 'connectionId');
    return ctx.planners.lint(conn.id, ctx.target(conn), { kind: 'lint', text, config: await lintConfigFor(filePath) });
  });
}
