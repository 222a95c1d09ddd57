import { describe, expect, it } from 'vitest';
import type { WorkflowError } from './workflow.ts';
import { parseWorkflow } from './workflow.ts';

/** Parses a workflow file's text as the CLI and the editor do; returns its error problems. */
function problems(text: string) {
  try {
    parseWorkflow(text);
    return [];
  } catch (e) {
    return (e as WorkflowError).problems;
  }
}

describe('"__proto__" as a param key', () => {
  it('a SwitchNode case named __proto__ is refused by name, not as a switch without cases', () => {
    const text = `{"format":"dataflow-workflow","version":1,"name":"p","nodes":[
      {"id":"route","type":"SwitchNode","params":{"input":"x","cases":{"__proto__":"a"}}},
      {"id":"a","type":"MigrationNode","params":{"migration_name":"m","action":"check_status"}}]}`;
    expect(problems(text)).toEqual([
      expect.objectContaining({
        node: 'route',
        field: 'cases.__proto__',
        message: expect.stringMatching(/^"__proto__" cannot be a key/),
      }),
    ]);
  });

  it('a field_mapping entry named __proto__ is refused beside the other cases', () => {
    const text = `{"format":"dataflow-workflow","version":1,"name":"p","nodes":[
      {"id":"copy","type":"DataMigrationNode","params":{"source_table":"a","target_table":"b",
        "field_mapping":{"id":"id","__proto__":"x"}}}]}`;
    expect(problems(text)).toEqual([expect.objectContaining({ node: 'copy', field: 'field_mapping.__proto__' })]);
  });
});
