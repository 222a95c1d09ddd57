/** Plans every target of a fleet, `parallel` at a time, into the plan matrix (nothing written anywhere). */
import type { Workflow } from '../../shared/workflow.ts';
import { planMatrix, type PlanMatrix } from './matrix.ts';
import { planTarget, type TargetPlan, type TargetPlanOptions } from './plan-target.ts';
import type { OpenableTarget } from './run-target.ts';
import type { InvalidTarget } from './targets.ts';

export async function planFleet(
  workflow: Workflow,
  targets: readonly OpenableTarget[],
  invalid: readonly InvalidTarget[],
  options: TargetPlanOptions & { parallel?: number; onPlanned?: (plan: TargetPlan) => void },
): Promise<PlanMatrix> {
  const plans: TargetPlan[] = new Array<TargetPlan>(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      plans[i] = await planTarget(workflow, targets[i]!, options);
      options.onPlanned?.(plans[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, options.parallel ?? 4), targets.length) }, worker));
  return planMatrix(workflow.name, plans, invalid);
}
