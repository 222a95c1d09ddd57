// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { readWorkflowText } from './files.ts';
import { docText, docFromWorkflow } from '../store/doc.ts';

describe('opening and saving a workflow in the editor', () => {
  it('keeps an integer beyond 2^53 exact from the file to the saved text', () => {
    const text = `{"format": "dataflow-workflow", "version": 1, "name": "big", "nodes": [{"id": "a", "type": "SchemaModificationNode", "params": {"table": "t", "operation": "add_column", "column_name": "b", "column_type": "bigint", "default_value": 9007199254740993}}], "connections": []}`;
    const wf = readWorkflowText(text);
    expect(wf.nodes[0]!.params.default_value).toBe(9007199254740993n);
    expect(docText(docFromWorkflow(wf))).toContain('"default_value": 9007199254740993\n');
  });
});
