/**
 * Roll back a recorded apply: what the reverse workflow undoes (its SQL, per node, as the engine
 * planned it on the run's database; the steps that drop something; the migrations it marks
 * rolled_back), then Rehearse (nothing committed) or Roll back (a production connection asks for
 * its name), both on the run's connection.
 */
import type { FormEvent } from 'react';
import { destructiveSteps } from '../../shared/destructive-steps.ts';
import { nodeTypesOf, planProblems, planToSql } from '../../shared/plan-script.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { useApp } from '../store/index.ts';
import type { Dialog } from '../store/ui-slice.ts';
import { runRollback } from '../commands/rollback.ts';
import { CodeView } from '../panels/CodeView.tsx';
import { plural } from '../panels/format.ts';
import { CloseButton, Modal } from './Modal.tsx';
import { useTypeNameConfirm } from './TypeNameConfirm.tsx';

export function RollbackDialog({ plan, connectionId, connection, production }: Extract<Dialog, { kind: 'rollback' }>) {
  const typeName = useTypeNameConfirm(connection, production, 'rollback', 'roll back');
  const dialect = useApp((s) => s.connections.find((c) => c.id === connectionId)?.kind);
  const { workflow } = parseWorkflow(plan.text);
  const sql = planToSql(plan.plan, nodeTypesOf(workflow));
  const problems = planProblems(plan.plan).filter((p) => p.severity === 'error');
  const drops = destructiveSteps(plan.plan);
  const planned = plan.plan.status === 'succeeded' && problems.length === 0;
  const confirmed = planned && typeName.confirmed;
  const short = plan.runId.slice(0, 8);
  const go = (mode: 'rehearse' | 'apply') => {
    useApp.getState().closeDialog();
    runRollback(plan, connectionId, mode);
  };
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (confirmed) go('apply');
  };
  return (
    <Modal
      title={`Roll back run ${short} on ${connection}?`}
      testId="rollback-dialog"
      wide
      actions={
        <>
          <CloseButton />
          <button type="button" data-testid="rollback-rehearse" disabled={!planned} onClick={() => go('rehearse')}>
            Rehearse
          </button>
          <button
            type="submit"
            form="rollback-form"
            className="danger"
            data-testid="rollback-confirm"
            disabled={!confirmed}
            title={!planned ? 'The rollback cannot be planned: see its problems' : undefined}
          >
            Roll back on {connection}
          </button>
        </>
      }
    >
      <p>
        Run <code>{short}</code> of “{plan.workflow}” ({plan.state}, started{' '}
        {plan.startedAt.replace('T', ' ').slice(0, 19)} UTC) is reversed from its record:{' '}
        {plural(workflow.nodes.length, 'node')}, recorded as a run of its own.
        {plan.migrations.length > 0 && ` Migrations marked rolled_back: ${plan.migrations.join(', ')}.`}
      </p>
      {problems.length > 0 && (
        <ul className="field-error" data-testid="rollback-problems">
          {problems.map((p, i) => (
            <li key={i}>
              {p.nodeId && <strong>{p.nodeId}: </strong>}
              {p.message}
            </li>
          ))}
        </ul>
      )}
      {drops.length > 0 && (
        <p className="field-error" data-testid="rollback-drops">
          It drops what the run added: {drops.map((d) => `${d.nodeId} (${d.comment})`).join('; ')}.
        </p>
      )}
      <CodeView
        value={sql}
        dialect={dialect === 'postgres' ? 'postgres' : 'sqlite'}
        testId="rollback-sql"
        label="Rollback SQL"
      />
      <form id="rollback-form" onSubmit={submit}>
        {typeName.field}
      </form>
    </Modal>
  );
}
