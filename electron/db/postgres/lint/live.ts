/**
 * The live facts of `--db` on PostgreSQL: the introspected schema (row estimates, columns,
 * indexes, constraints), the row estimate of an UPDATE from EXPLAIN (planned, never run, inside a
 * read-only probe) and function volatility from pg_proc.
 */
import type { Schema } from '../../../../shared/schema.ts';
import type { Driver } from '../../driver.ts';
import { probe } from '../probe.ts';
import type { LiveFacts } from './state.ts';

export function postgresLiveFacts(driver: Driver, schema: Schema): LiveFacts {
  const volatility = new Map<string, 'v' | 's' | 'i' | null>();
  return {
    schema,
    async estimateRows(sql) {
      const r = await probe<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows'?: number; Plans?: { 'Plan Rows'?: number }[] } }] }>(
        driver,
        `EXPLAIN (FORMAT JSON) ${sql}`,
      );
      if (!r.ok) return null;
      const plan = r.value[0]?.['QUERY PLAN'][0]?.Plan;
      // ModifyTable reports 0 rows of its own: the rows it changes are its input's.
      return plan?.Plans?.[0]?.['Plan Rows'] ?? plan?.['Plan Rows'] ?? null;
    },
    async volatility(name) {
      if (!volatility.has(name)) {
        const r = await probe<{ v: string }>(driver, 'SELECT provolatile AS v FROM pg_proc WHERE proname = $1', [name]);
        const kinds = r.ok ? r.value.map((x) => x.v) : [];
        volatility.set(name, kinds.includes('v') ? 'v' : kinds.includes('s') ? 's' : kinds.includes('i') ? 'i' : null);
      }
      return volatility.get(name)!;
    },
  };
}
