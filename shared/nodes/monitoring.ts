import * as z from 'zod';
import { identifier, nodeRef, sqlText, type NodeDescription } from './description.ts';
import { list } from './subtitle.ts';

export const METRICS = ['table_size', 'index_usage', 'query_performance', 'row_count'] as const;

export const monitoringParams = z
  .object({
    capture_metrics: z.array(z.enum(METRICS)).min(1),
    /** Default: the tables the workflow touches. */
    tables: z.array(identifier).optional(),
    /** Read-only queries timed by query_performance. */
    queries: z.array(sqlText).optional(),
    repeat: z.number().int().positive().max(1000).default(5),
    /** Id of an earlier MonitoringNode. */
    compare_with: nodeRef.optional(),
    alert_on_degradation: z.boolean().default(false),
    threshold_pct: z.number().positive().max(10_000).default(20),
    fail_on_degradation: z.boolean().default(false),
  })
  .strict();
export type MonitoringParams = z.infer<typeof monitoringParams>;

export const monitoringNode: NodeDescription<typeof monitoringParams, 'MonitoringNode'> = {
  type: 'MonitoringNode',
  label: 'Metrics',
  category: 'Monitoring',
  icon: 'gauge',
  description: 'Captures table size, row counts, index usage and query timings; compares with an earlier capture.',
  inputs: ['input'],
  outputs: ['result', 'metrics', 'alerts'],
  params: monitoringParams,
  writes: false,
  defaults: { capture_metrics: ['table_size', 'row_count'] },
  subtitle: (p) => `${list(p.capture_metrics)}${typeof p.compare_with === 'string' ? ` vs ${p.compare_with}` : ''}`,
  fields: [
    { name: 'capture_metrics', label: 'Metrics', widget: 'list', options: METRICS },
    { name: 'tables', label: 'Tables', widget: 'list' },
    {
      name: 'queries',
      label: 'Queries',
      widget: 'list',
      showWhen: { field: 'capture_metrics', in: ['query_performance'] },
    },
    { name: 'repeat', label: 'Repeat', widget: 'number' },
    { name: 'compare_with', label: 'Compare with', widget: 'text' },
    { name: 'alert_on_degradation', label: 'Alert on degradation', widget: 'boolean' },
    { name: 'threshold_pct', label: 'Threshold (%)', widget: 'number' },
    { name: 'fail_on_degradation', label: 'Fail on degradation', widget: 'boolean' },
  ],
};
