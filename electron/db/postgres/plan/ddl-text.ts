/** DDL text rebuilt from the neutral model: constraint bodies and index definitions. */
import type { Constraint, Index } from '../../../../shared/schema.ts';
import { quoteIdent as qi } from '../render.ts';

export const ON_DELETE_SQL: Record<string, string> = {
  'no action': 'NO ACTION',
  restrict: 'RESTRICT',
  cascade: 'CASCADE',
  'set null': 'SET NULL',
  'set default': 'SET DEFAULT',
};

/** Constraint body from the model (reverse of a drop, CREATE TABLE constraints). */
export function constraintBody(k: Constraint): string {
  const cols = k.columns.map(qi).join(', ');
  switch (k.kind) {
    case 'primary_key':
      return `PRIMARY KEY (${cols})`;
    case 'unique':
      return `UNIQUE (${cols})`;
    case 'check':
      return `CHECK (${k.expression ?? 'true'})`;
    case 'foreign_key': {
      const r = k.references;
      const onDelete = r?.onDelete ? ` ON DELETE ${ON_DELETE_SQL[r.onDelete] ?? 'NO ACTION'}` : '';
      return `FOREIGN KEY (${cols}) REFERENCES ${qi(r?.table ?? '')} (${(r?.columns ?? []).map(qi).join(', ')})${onDelete}`;
    }
  }
}

/** CREATE INDEX text of a model index (the reverse of a drop when the database gave none). */
export function indexSql(i: Index): string {
  return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${qi(i.name)} ON ${qi(i.table)} (${i.columns.map(qi).join(', ')})${i.where ? ` WHERE ${i.where}` : ''}`;
}
