/**
 * The catalogue of plan problem codes: every problem a SchemaModificationNode planner reports
 * (electron/db/plan-rules/, used by postgres/plan/ and sqlite/plan/) carries one of these codes,
 * stable across releases and the same on both dialects. docs/plan-rules.md lists them (a test keeps
 * it in step with this table).
 *
 * A code is `DF` and three digits; the first digit is the family:
 * 1 names (the objects a change names must exist, or must not), 2 values (types, defaults, SQL
 * text), 3 data (what the rows of the live table allow), 4 dependents (views, triggers and foreign
 * keys that read the object), 5 nothing to do, 6 what the database or its connection cannot do,
 * 7 locks and rewrites, 9 the schema model. The safety review (issue 11) adds its rules to 7 and
 * new families; a code once published keeps its meaning.
 */

/** `info`: nothing to fix, the plan says what it did with the input (DF212). */
export type PlanSeverity = 'error' | 'warning' | 'info';

/** Where a rule applies: both dialects, or only one. */
export type PlanRuleDialects = 'both' | 'postgres' | 'sqlite';

export interface PlanRule {
  /** Error: the change cannot succeed, the node has no steps. Warning: it runs, but read this first. */
  severity: PlanSeverity;
  dialects: PlanRuleDialects;
  /** What the problem is, in a few words. */
  title: string;
  /** What the user does about it. */
  fix: string;
}

export const PLAN_RULES = {
  DF101: {
    severity: 'error',
    dialects: 'both',
    title: 'the table does not exist',
    fix: 'check the name (and its case), or create the table in an earlier node',
  },
  DF102: {
    severity: 'error',
    dialects: 'both',
    title: 'the column does not exist in the table',
    fix: 'pick one of the columns the message lists, or add the column in an earlier node',
  },
  DF103: {
    severity: 'error',
    dialects: 'both',
    title: 'the column already exists in the table',
    fix: 'choose another name, or change the existing column (alter_column_type, set_default)',
  },
  DF104: {
    severity: 'error',
    dialects: 'both',
    title: 'the name is already used by a table, view, index or constraint',
    fix: 'choose another name, or drop what uses it first',
  },
  DF105: {
    severity: 'error',
    dialects: 'both',
    title:
      "the name is reserved by the database (SQLite sqlite_...; PostgreSQL pg_..., which the system catalog's relations would hide)",
    fix: 'choose a name that does not begin with sqlite_ (SQLite) or pg_ (PostgreSQL)',
  },
  DF106: {
    severity: 'error',
    dialects: 'both',
    title: 'the index does not exist',
    fix: 'pick one of the indexes the message lists, or set if_exists',
  },
  DF107: {
    severity: 'error',
    dialects: 'both',
    title: 'the constraint does not exist on the table',
    fix: 'pick one of the constraints the message lists, or set if_exists',
  },
  DF108: {
    severity: 'error',
    dialects: 'both',
    title: 'the index belongs to another table',
    fix: 'set table to the table the index is on, or fix index_name',
  },
  DF109: {
    severity: 'error',
    dialects: 'both',
    title: 'the index is the one a PRIMARY KEY or UNIQUE constraint keeps',
    fix: 'drop_constraint the constraint by its name: its index goes with it',
  },
  DF110: {
    severity: 'error',
    dialects: 'both',
    title: 'the name is an index, not a constraint',
    fix: 'use drop_index',
  },
  DF111: {
    severity: 'error',
    dialects: 'both',
    title: 'the table already has a primary key',
    fix: 'drop_constraint the existing primary key first',
  },
  DF112: {
    severity: 'error',
    dialects: 'both',
    title: 'a column is named twice',
    fix: 'name each column once',
  },
  DF113: {
    severity: 'error',
    dialects: 'both',
    title: 'the primary key names a column the table does not have, or disagrees with the columns marked primary_key',
    fix: 'use primary_key or the columns marked primary_key, naming only columns of the table',
  },
  DF114: {
    severity: 'error',
    dialects: 'both',
    title: 'the key names no column',
    fix: 'give column_name or columns',
  },
  DF115: {
    severity: 'error',
    dialects: 'both',
    title: 'the referenced table does not exist',
    fix: 'check references.table, or create that table in an earlier node',
  },
  DF116: {
    severity: 'error',
    dialects: 'both',
    title: 'the referenced column does not exist',
    fix: 'check references.column',
  },
  DF117: {
    severity: 'error',
    dialects: 'both',
    title: 'the referenced column is not a primary key or UNIQUE',
    fix: 'add_constraint unique on the referenced column first',
  },
  DF118: {
    severity: 'error',
    dialects: 'both',
    title:
      'the column name is a system column name of the database (PostgreSQL ctid, xmin...; SQLite rowid, oid, _rowid_)',
    fix: 'choose another column name',
  },
  DF120: {
    severity: 'error',
    dialects: 'both',
    title: 'an object of that name exists already with another definition than the node gives it',
    fix: 'change the existing object to match, drop it first, or give the node another name',
  },
  DF201: {
    severity: 'error',
    dialects: 'both',
    title: 'the type is not one the type grammar or the database accepts',
    fix: 'write a type of the grammar (docs/nodes.md), e.g. integer, text, varchar(255), numeric(10,2)',
  },
  DF202: {
    severity: 'error',
    dialects: 'sqlite',
    title: 'the type is not allowed in a STRICT table',
    fix: 'use integer, real, text, blob or any',
  },
  DF203: {
    severity: 'error',
    dialects: 'both',
    title: 'the default does not fit the column type',
    fix: 'give a value of the type the message names, or {"sql": "..."} for an expression',
  },
  DF204: {
    severity: 'error',
    dialects: 'both',
    title: 'a NOT NULL column has a null default',
    fix: 'make the column nullable or give it a non-null default',
  },
  DF205: {
    severity: 'error',
    dialects: 'both',
    title: 'the SQL text is not exactly one expression',
    fix: 'write one SQL expression, without a subquery or a second statement',
  },
  DF206: {
    severity: 'error',
    dialects: 'both',
    title: 'the expression is not valid on the table',
    fix: 'fix the expression the database rejected (column names, types, functions)',
  },
  DF207: {
    severity: 'error',
    dialects: 'both',
    title: 'the column cannot be converted to the new type',
    fix: 'give using, an expression that computes the new value from the old one',
  },
  DF208: {
    severity: 'error',
    dialects: 'postgres',
    title: 'the column has a type outside the type grammar, so its default cannot be checked',
    fix: 'change the column to a type of the grammar first, or set the default with a MigrationNode',
  },
  DF209: {
    severity: 'warning',
    dialects: 'both',
    title: 'existing values do not fit the new type',
    fix: 'fix or convert the values first, or give using',
  },
  DF210: {
    severity: 'error',
    dialects: 'postgres',
    title: 'on_delete "set null" on a NOT NULL column',
    fix: 'make the column nullable, or choose another on_delete',
  },
  DF211: {
    severity: 'warning',
    dialects: 'postgres',
    title: 'the foreign key compares columns of different types',
    fix: 'give both columns the same type',
  },
  DF212: {
    severity: 'info',
    dialects: 'both',
    title: 'a serial column_type is written as an identity column',
    fix: 'nothing; identity: true with an integer type says the same',
  },
  DF213: {
    severity: 'error',
    dialects: 'both',
    title: 'an identity column needs an integer type',
    fix: 'use smallint, integer or bigint (or serial, bigserial, smallserial), and do not set identity false with a serial type',
  },
  DF214: {
    severity: 'error',
    dialects: 'both',
    title: 'an identity column cannot have a default',
    fix: 'remove default_value: the database numbers the column',
  },
  DF215: {
    severity: 'error',
    dialects: 'both',
    title: 'serial names a new auto-numbered column, which alter_column_type cannot make',
    fix: 'add a new column with identity, or change to an integer type',
  },
  DF301: {
    severity: 'error',
    dialects: 'both',
    title: 'NOT NULL column without a default on a table with rows',
    fix: 'give a default_value, or add the column nullable, backfill it, then add_constraint not_null',
  },
  DF302: {
    severity: 'error',
    dialects: 'both',
    title: 'UNIQUE column with a constant default on a table with more than one row',
    fix: 'add the column without a default, backfill distinct values, then add_constraint unique',
  },
  DF303: {
    severity: 'error',
    dialects: 'both',
    title: 'duplicate values prevent the unique key or index',
    fix: 'remove the duplicates first',
  },
  DF304: {
    severity: 'error',
    dialects: 'both',
    title: 'NULLs prevent NOT NULL or the primary key',
    fix: 'backfill the NULLs first (DataBackfillNode)',
  },
  DF305: {
    severity: 'error',
    dialects: 'both',
    title: 'rows without a match in the referenced table prevent the foreign key',
    fix: 'fix or delete those rows first',
  },
  DF306: {
    severity: 'error',
    dialects: 'both',
    title: 'rows violate the CHECK',
    fix: 'fix those rows first',
  },
  DF307: {
    severity: 'error',
    dialects: 'sqlite',
    title: 'values that are not integers prevent the INTEGER PRIMARY KEY (the rowid)',
    fix: 'convert or delete those rows first',
  },
  DF308: {
    severity: 'error',
    dialects: 'sqlite',
    title: 'rows already break a foreign key the table rebuild checks',
    fix: 'fix or delete the rows the message lists',
  },
  DF309: {
    severity: 'warning',
    dialects: 'both',
    title: 'a data check could not run',
    fix: 'plan again when the lock is released, or check the data yourself',
  },
  DF401: {
    severity: 'error',
    dialects: 'both',
    title: 'a view or trigger reads the object',
    fix: 'drop or redefine the view or trigger first',
  },
  DF402: {
    severity: 'error',
    dialects: 'both',
    title: 'a foreign key depends on the object',
    fix: 'drop that foreign key first',
  },
  DF403: {
    severity: 'warning',
    dialects: 'postgres',
    title: 'dropping the column also drops constraints or indexes on it',
    fix: 'nothing, if that is intended',
  },
  DF501: {
    severity: 'warning',
    dialects: 'both',
    title: 'nothing to drop: the object does not exist and if_exists is set',
    fix: 'nothing; remove the node if the object is gone for good',
  },
  DF601: {
    severity: 'warning',
    dialects: 'sqlite',
    title: 'SQLite has no CONCURRENTLY: writers wait while the index is built or dropped',
    fix: 'run it when writers can wait',
  },
  DF602: {
    severity: 'warning',
    dialects: 'postgres',
    title: 'the SQL text was checked only lexically (no scratch table could be made)',
    fix: 'grant TEMP on the database to check it fully, or review it yourself',
  },
  DF603: {
    severity: 'error',
    dialects: 'sqlite',
    title: 'foreign keys are ON on the connection, so the table rebuild would run ON DELETE actions',
    fix: 'open the database with foreign keys off (the SQLite driver default)',
  },
  DF604: {
    severity: 'error',
    dialects: 'sqlite',
    title: 'the column is the only column of the table',
    fix: 'use drop_table',
  },
  DF605: {
    severity: 'warning',
    dialects: 'sqlite',
    title: 'the INTEGER PRIMARY KEY (the rowid) changes type and stops being assigned on insert',
    fix: 'keep the type integer, or give the values on insert',
  },
  DF606: {
    severity: 'error',
    dialects: 'sqlite',
    title: 'an identity column must be the rowid alias: the only primary key column of a rowid table',
    fix: 'make it the only primary_key column of create_table; add_column can add one only to a rowid table without a primary key',
  },
  DF701: {
    severity: 'warning',
    dialects: 'postgres',
    title: 'ADD COLUMN rewrites the table under an ACCESS EXCLUSIVE lock',
    fix: 'add the column without a default, backfill, then set_default',
  },
  DF702: {
    severity: 'warning',
    dialects: 'postgres',
    title: 'the type change rewrites the table and its indexes under an ACCESS EXCLUSIVE lock',
    fix: 'for a large table, add a column of the new type, backfill it, then switch',
  },
  DF703: {
    severity: 'warning',
    dialects: 'postgres',
    title: 'adding an identity column numbers the existing rows: the table is rewritten under an ACCESS EXCLUSIVE lock',
    fix: 'run it when writers can wait; the sequence continues after the numbers the rows got',
  },
  DF901: {
    severity: 'error',
    dialects: 'both',
    title: 'the change does not apply to the schema model',
    fix: 'fix the params the message names',
  },
} as const satisfies Record<`DF${number}`, PlanRule>;

/** A plan problem code: a typo is a type error. */
export type PlanCode = keyof typeof PLAN_RULES;

/** The codes of each severity (the planners' `error` and `warn` accept only their own). */
export type PlanErrorCode = {
  [C in PlanCode]: (typeof PLAN_RULES)[C]['severity'] extends 'error' ? C : never;
}[PlanCode];
export type PlanWarningCode = Exclude<PlanCode, PlanErrorCode>;
