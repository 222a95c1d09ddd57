/** Plan rules of the nothing-to-do family (DF502-DF504): the change would change nothing. */
import type { PlanBuilder } from '../plan-builder.ts';

/** DF502: add_constraint not_null on a column that is NOT NULL already. */
export function alreadyNotNull(b: PlanBuilder, column: string): void {
  b.warn('DF502', 'column_name', `column "${column}" is already NOT NULL; nothing to change`);
}

/** DF503: drop_default on a column without a default. */
export function noDefault(b: PlanBuilder, column: string): void {
  b.warn('DF503', 'column_name', `column "${column}" has no default; nothing to drop`);
}
