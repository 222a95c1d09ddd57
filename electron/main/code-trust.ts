/**
 * The code trust the host holds (Electron's main process, the web host): for which workflow files
 * the user confirmed that their code may run. A run takes its trust from here, never from its
 * request. Trust is per file and per code: the key is the file's path (or none for an unsaved
 * document) with a SHA-256 of the workflow's code nodes (id, type and params, in id order), so
 * confirming one file trusts no other file, and code changed after the confirmation (in the
 * editor, or on disk by someone else) has to be confirmed again. Held for the host's lifetime.
 */
import { createHash } from 'node:crypto';
import { CODE_NODE_TYPES } from '../../shared/nodes/code.ts';
import type { Workflow } from '../../shared/workflow.ts';

/** The code nodes of `workflow`, by id: what a confirmation covers. */
function codeNodes(workflow: Workflow): Workflow['nodes'] {
  return workflow.nodes.filter((n) => CODE_NODE_TYPES.has(n.type)).sort((a, b) => (a.id < b.id ? -1 : 1));
}

function trustKey(filePath: string | null, workflow: Workflow): string {
  const code = codeNodes(workflow).map((n) => [n.id, n.type, n.params]);
  return `${filePath ?? ''}\n${createHash('sha256').update(JSON.stringify(code)).digest('hex')}`;
}

export class CodeTrust {
  private readonly confirmed = new Set<string>();

  /** True when the workflow has code nodes: it runs only with the user's confirmation. */
  static needed(workflow: Workflow): boolean {
    return codeNodes(workflow).length > 0;
  }

  /** Records the user's confirmation of the code of `workflow` in the file `filePath` (null: unsaved). */
  grant(filePath: string | null, workflow: Workflow): void {
    if (CodeTrust.needed(workflow)) this.confirmed.add(trustKey(filePath, workflow));
  }

  /** Whether the user confirmed this code in this file; true for a workflow without code nodes. */
  holds(filePath: string | null, workflow: Workflow): boolean {
    return !CodeTrust.needed(workflow) || this.confirmed.has(trustKey(filePath, workflow));
  }
}
