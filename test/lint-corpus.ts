/**
 * The safety review's corpus (docs/lint.md, "Precision and recall"): SQL snippets, each with the
 * codes a careful reviewer reports for it on the corpus database below, judged from PostgreSQL's
 * documented behaviour, not from what the linter says. Dangerous forms, their safe forms, and near
 * misses where the answer depends on the live database (an index on an empty table, a widening
 * that keeps the bytes, a constant default, a NOT NULL already proven by a CHECK). Each snippet is
 * one file; unless `raw`, it starts with SET lock_timeout and statement_timeout (so DF713 is
 * judged only by the snippets about it). test/lint-corpus.test.ts lints every snippet with and
 * without the database and checks the figures docs/lint.md reports.
 */
import type { LintCode } from '../shared/lint/rules.ts';

/** The live database of the corpus (row counts above the thresholds below where it matters). */
export const CORPUS_SETUP = `
CREATE TABLE users (id bigint PRIMARY KEY, email text, nickname text, name varchar(100), created_at timestamp, region text);
INSERT INTO users SELECT g, 'u' || g || '@example.com', NULL, 'n', now(), NULL FROM generate_series(1, 3000) g;
ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), total numeric(10,2), status text, note varchar(20), code char(4));
INSERT INTO orders SELECT g, 1 + g % 3000, g, 'new', NULL, 'abcd' FROM generate_series(1, 5000) g;
CREATE INDEX orders_user_status ON orders (user_id, status);
CREATE TABLE empty_log (id bigint PRIMARY KEY, msg text, level int);
CREATE TABLE events (id integer PRIMARY KEY, kind varchar(20), payload text, seen boolean);
INSERT INTO events SELECT g, 'k', 'p', false FROM generate_series(1, 2000) g;
ALTER TABLE events ADD CONSTRAINT events_kind_nn CHECK (kind IS NOT NULL) NOT VALID;
CREATE TABLE measurements (id bigint, at date) PARTITION BY RANGE (at);
CREATE TABLE measurements_2020 PARTITION OF measurements FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
CREATE DOMAIN positive_amount AS numeric;
CREATE FUNCTION pick_code() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT 'x' $$;
CREATE FUNCTION fixed_code() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$;
ANALYZE;
`;

/** Thresholds for the corpus database's small tables: 2,500 rows are large, 1,000 updated rows a backfill. */
export const CORPUS_THRESHOLDS = { largeTableRows: 2500, unbatchedUpdateRows: 1000 };

export interface CorpusCase {
  sql: string;
  /** The codes a careful reviewer reports on the corpus database. */
  expect: LintCode[];
  /** Without the SET lock_timeout / statement_timeout prefix. */
  raw?: boolean;
}

export const CORPUS: CorpusCase[] = [
  // names and type hygiene
  {
    sql: 'CREATE TABLE a_really_long_table_name_that_goes_on_and_on_past_the_limit_of_sixty_three (id bigint PRIMARY KEY);',
    expect: ['DF119'],
  },
  { sql: 'CREATE TABLE short_name (id bigint PRIMARY KEY);', expect: [] },
  {
    sql: 'ALTER TABLE users RENAME COLUMN nickname TO a_column_name_that_is_much_too_long_for_postgres_to_keep_in_full;',
    expect: ['DF119', 'DF806'],
  },
  {
    sql: 'CREATE INDEX CONCURRENTLY an_index_name_that_runs_far_too_long_for_the_sixty_three_byte_limit ON users (region);',
    expect: ['DF119'],
  },
  { sql: 'CREATE TABLE t1 (id serial PRIMARY KEY);', expect: ['DF216', 'DF217'] },
  { sql: 'CREATE TABLE t2 (id bigserial PRIMARY KEY);', expect: ['DF216'] },
  { sql: 'CREATE TABLE t3 (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);', expect: [] },
  { sql: 'CREATE TABLE t4 (id integer PRIMARY KEY);', expect: ['DF217'] },
  { sql: 'CREATE TABLE t5 (id smallint PRIMARY KEY);', expect: ['DF217'] },
  { sql: 'CREATE TABLE t6 (a int, b int, PRIMARY KEY (a, b));', expect: ['DF217', 'DF217'] },
  { sql: 'CREATE TABLE t7 (id bigint PRIMARY KEY, qty integer);', expect: [] },
  { sql: 'CREATE TABLE t8 (id bigint PRIMARY KEY, name varchar(50));', expect: ['DF218'] },
  { sql: 'CREATE TABLE t9 (id bigint PRIMARY KEY, name varchar);', expect: [] },
  { sql: 'CREATE TABLE t10 (id bigint PRIMARY KEY, flag char(1));', expect: ['DF218'] },
  { sql: 'CREATE TABLE t11 (id bigint PRIMARY KEY, name text);', expect: [] },
  { sql: 'CREATE TABLE t12 (id bigint PRIMARY KEY, at timestamp);', expect: ['DF219'] },
  { sql: 'CREATE TABLE t13 (id bigint PRIMARY KEY, at timestamptz);', expect: [] },
  { sql: 'CREATE TABLE t14 (id bigint PRIMARY KEY, at timestamp with time zone);', expect: [] },
  { sql: 'ALTER TABLE empty_log ADD COLUMN at timestamp;', expect: ['DF219'] },
  { sql: 'CREATE TABLE t15 (msg text);', expect: ['DF815'] },
  { sql: 'CREATE TEMP TABLE t16 (msg text);', expect: [] },
  {
    sql: "CREATE TABLE measurements_2021 PARTITION OF measurements FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');",
    expect: [],
  },
  { sql: 'CREATE TABLE t17 (id bigint, msg text, CONSTRAINT t17_pk PRIMARY KEY (id));', expect: [] },
  // NOT NULL without a default
  { sql: 'ALTER TABLE users ADD COLUMN tier text NOT NULL;', expect: ['DF301'] },
  { sql: "ALTER TABLE users ADD COLUMN tier text NOT NULL DEFAULT 'free';", expect: [] },
  { sql: 'ALTER TABLE empty_log ADD COLUMN source text NOT NULL;', expect: [] },
  { sql: 'CREATE TABLE t18 (id bigint PRIMARY KEY);\nALTER TABLE t18 ADD COLUMN x text NOT NULL;', expect: [] },
  {
    sql: 'ALTER TABLE orders ADD COLUMN ref bigint NOT NULL GENERATED ALWAYS AS IDENTITY;',
    expect: ['DF703', 'DF715'],
  },
  // redundant index
  { sql: 'CREATE INDEX CONCURRENTLY orders_user ON orders (user_id);', expect: ['DF505'] },
  { sql: 'CREATE INDEX CONCURRENTLY orders_status ON orders (status);', expect: [] },
  { sql: 'CREATE UNIQUE INDEX CONCURRENTLY orders_user_u ON orders (user_id);', expect: [] },
  { sql: "CREATE INDEX CONCURRENTLY orders_user_open ON orders (user_id) WHERE status = 'new';", expect: [] },
  { sql: 'CREATE INDEX CONCURRENTLY orders_user_status_total ON orders (user_id, status, total);', expect: [] },
  // ADD COLUMN rewrites
  { sql: 'ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();', expect: ['DF701', 'DF715'] },
  { sql: 'ALTER TABLE orders ADD COLUMN r double precision DEFAULT random();', expect: ['DF701', 'DF715'] },
  { sql: 'ALTER TABLE orders ADD COLUMN at timestamptz DEFAULT clock_timestamp();', expect: ['DF701', 'DF715'] },
  { sql: 'ALTER TABLE orders ADD COLUMN at timestamptz DEFAULT now();', expect: [] },
  { sql: "ALTER TABLE orders ADD COLUMN currency text DEFAULT 'EUR';", expect: [] },
  { sql: 'ALTER TABLE orders ADD COLUMN n bigint DEFAULT 0;', expect: [] },
  { sql: 'ALTER TABLE orders ADD COLUMN c text DEFAULT pick_code();', expect: ['DF701', 'DF715'] },
  { sql: 'ALTER TABLE orders ADD COLUMN c text DEFAULT fixed_code();', expect: [] },
  { sql: 'ALTER TABLE orders ADD COLUMN seq_no bigserial;', expect: ['DF216', 'DF703', 'DF715'] },
  { sql: 'ALTER TABLE orders ADD COLUMN seq_no bigint GENERATED BY DEFAULT AS IDENTITY;', expect: ['DF703', 'DF715'] },
  {
    sql: 'ALTER TABLE orders ADD COLUMN doubled numeric GENERATED ALWAYS AS (total * 2) STORED;',
    expect: ['DF701', 'DF715'],
  },
  { sql: 'ALTER TABLE empty_log ADD COLUMN token uuid DEFAULT gen_random_uuid();', expect: [] },
  { sql: 'ALTER TABLE orders ADD COLUMN note2 text;', expect: [] },
  { sql: "ALTER TABLE orders ADD COLUMN lower_status text DEFAULT lower('NEW');", expect: [] },
  // type changes
  { sql: 'ALTER TABLE events ALTER COLUMN id TYPE bigint;', expect: ['DF702'] },
  { sql: 'ALTER TABLE events ALTER COLUMN kind TYPE varchar(40);', expect: [] },
  { sql: 'ALTER TABLE events ALTER COLUMN kind TYPE text;', expect: [] },
  { sql: 'ALTER TABLE events ALTER COLUMN kind TYPE varchar(10);', expect: ['DF702'] },
  { sql: 'ALTER TABLE events ALTER COLUMN payload TYPE varchar(100);', expect: ['DF702'] },
  { sql: 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2);', expect: [] },
  { sql: 'ALTER TABLE orders ALTER COLUMN total TYPE numeric;', expect: [] },
  { sql: 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,4);', expect: ['DF702', 'DF715'] },
  { sql: 'ALTER TABLE orders ALTER COLUMN note TYPE text;', expect: [] },
  {
    sql: 'ALTER TABLE orders ALTER COLUMN status TYPE varchar(10) USING left(status, 10);',
    expect: ['DF702', 'DF715'],
  },
  { sql: 'ALTER TABLE orders ALTER COLUMN total TYPE bigint USING total::bigint;', expect: ['DF702', 'DF715'] },
  { sql: 'ALTER TABLE empty_log ALTER COLUMN level TYPE bigint;', expect: [] },
  // indexes
  { sql: 'CREATE INDEX users_region ON users (region);', expect: ['DF704', 'DF715'] },
  { sql: 'CREATE INDEX CONCURRENTLY users_region ON users (region);', expect: [] },
  { sql: 'CREATE INDEX empty_log_msg ON empty_log (msg);', expect: [] },
  { sql: 'CREATE TABLE t19 (id bigint PRIMARY KEY, x text);\nCREATE INDEX t19_x ON t19 (x);', expect: [] },
  { sql: 'CREATE UNIQUE INDEX events_payload ON events (payload);', expect: ['DF704'] },
  { sql: 'DROP INDEX orders_user_status;', expect: ['DF705'] },
  { sql: 'DROP INDEX CONCURRENTLY orders_user_status;', expect: [] },
  { sql: 'DROP INDEX CONCURRENTLY IF EXISTS orders_user_status;', expect: [] },
  { sql: 'BEGIN;\nCREATE INDEX CONCURRENTLY users_region ON users (region);\nCOMMIT;', expect: ['DF706'] },
  { sql: 'BEGIN;\nDROP INDEX CONCURRENTLY orders_user_status;\nCOMMIT;', expect: ['DF706'] },
  { sql: 'BEGIN;\nCOMMIT;\nCREATE INDEX CONCURRENTLY users_region ON users (region);', expect: [] },
  { sql: 'REINDEX TABLE orders;', expect: ['DF707'] },
  { sql: 'REINDEX TABLE CONCURRENTLY orders;', expect: [] },
  { sql: 'REINDEX INDEX orders_user_status;', expect: ['DF707'] },
  { sql: 'BEGIN;\nREINDEX INDEX CONCURRENTLY orders_user_status;\nCOMMIT;', expect: ['DF706'] },
  { sql: 'ALTER TABLE measurements DETACH PARTITION measurements_2020;', expect: ['DF708'] },
  { sql: 'ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;', expect: [] },
  // constraints
  {
    sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk2 FOREIGN KEY (user_id) REFERENCES users (id);',
    expect: ['DF709', 'DF715'],
  },
  {
    sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk2 FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
    expect: [],
  },
  {
    sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk2 FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk2;',
    expect: [],
  },
  { sql: 'ALTER TABLE orders ADD COLUMN buyer bigint REFERENCES users (id);', expect: ['DF709'] },
  { sql: 'ALTER TABLE empty_log ADD CONSTRAINT empty_log_fk FOREIGN KEY (id) REFERENCES users (id);', expect: [] },
  { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_pos CHECK (total >= 0);', expect: ['DF710', 'DF715'] },
  { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_pos CHECK (total >= 0) NOT VALID;', expect: [] },
  { sql: 'ALTER TABLE orders ADD COLUMN qty int CHECK (qty > 0);', expect: ['DF710'] },
  { sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);', expect: ['DF711', 'DF715'] },
  { sql: 'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);', expect: [] },
  { sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;', expect: [] },
  { sql: 'ALTER TABLE events ADD PRIMARY KEY USING INDEX events_pkey2;', expect: [] },
  { sql: 'ALTER TABLE orders ADD COLUMN ext_id bigint UNIQUE;', expect: ['DF711'] },
  { sql: 'ALTER TABLE empty_log ADD CONSTRAINT empty_log_msg_key UNIQUE (msg);', expect: [] },
  { sql: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;', expect: [] },
  { sql: 'ALTER TABLE users ALTER COLUMN region SET NOT NULL;', expect: ['DF712', 'DF715'] },
  { sql: 'ALTER TABLE events ALTER COLUMN kind SET NOT NULL;', expect: ['DF712'] },
  {
    sql: 'ALTER TABLE events VALIDATE CONSTRAINT events_kind_nn;\nALTER TABLE events ALTER COLUMN kind SET NOT NULL;',
    expect: [],
  },
  {
    sql: 'ALTER TABLE events ADD CONSTRAINT events_payload_nn CHECK (payload IS NOT NULL) NOT VALID;\nALTER TABLE events VALIDATE CONSTRAINT events_payload_nn;\nALTER TABLE events ALTER COLUMN payload SET NOT NULL;\nALTER TABLE events DROP CONSTRAINT events_payload_nn;',
    expect: [],
  },
  { sql: 'ALTER TABLE empty_log ALTER COLUMN msg SET NOT NULL;', expect: [] },
  // timeouts
  { sql: 'ALTER TABLE orders ADD COLUMN memo text;', expect: ['DF713'], raw: true },
  { sql: "SET lock_timeout = '2s';\nALTER TABLE orders ADD COLUMN memo text;", expect: ['DF713'], raw: true },
  {
    sql: "SET lock_timeout = '2s';\nSET statement_timeout = '5min';\nALTER TABLE orders ADD COLUMN memo text;",
    expect: [],
    raw: true,
  },
  {
    sql: "SET lock_timeout = 0;\nSET statement_timeout = '5min';\nALTER TABLE orders ADD COLUMN memo text;",
    expect: ['DF713'],
    raw: true,
  },
  { sql: 'CREATE TABLE t20 (id bigint PRIMARY KEY);\nCREATE INDEX t20_id2 ON t20 (id);', expect: [], raw: true },
  { sql: "SELECT count(*) FROM orders;\nINSERT INTO empty_log VALUES (1, 'x', 1);", expect: [], raw: true },
  // rewrites of the whole table
  { sql: 'VACUUM FULL orders;', expect: ['DF714', 'DF715'] },
  { sql: 'VACUUM (FULL, ANALYZE) events;', expect: ['DF714'] },
  { sql: 'VACUUM ANALYZE orders;', expect: [] },
  { sql: 'CLUSTER orders USING orders_pkey;', expect: ['DF714', 'DF715'] },
  // drops and renames
  { sql: 'DROP TABLE orders;', expect: ['DF801'] },
  { sql: 'DROP TABLE IF EXISTS orders, events;', expect: ['DF801', 'DF801'] },
  { sql: 'CREATE TABLE t21 (id bigint PRIMARY KEY);\nDROP TABLE t21;', expect: [] },
  { sql: 'ALTER TABLE users DROP COLUMN nickname;', expect: ['DF802'] },
  { sql: 'ALTER TABLE users DROP COLUMN IF EXISTS nickname;', expect: ['DF802'] },
  { sql: 'DROP SCHEMA reporting CASCADE;', expect: ['DF803'] },
  { sql: 'DROP DATABASE analytics;', expect: ['DF803'] },
  { sql: 'ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;', expect: ['DF804'] },
  { sql: 'ALTER TABLE users RENAME TO accounts;', expect: ['DF805'] },
  { sql: 'CREATE TABLE t22 (id bigint PRIMARY KEY);\nALTER TABLE t22 RENAME TO t23;', expect: [] },
  { sql: 'ALTER TABLE users RENAME COLUMN email TO email_address;', expect: ['DF806'] },
  { sql: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;', expect: ['DF807'] },
  // data changes
  { sql: 'DELETE FROM events;', expect: ['DF808'] },
  { sql: 'UPDATE events SET seen = true;', expect: ['DF808', 'DF809'] },
  { sql: 'UPDATE events SET seen = true WHERE id = 7;', expect: [] },
  { sql: 'UPDATE events SET seen = true WHERE id < 50;', expect: [] },
  { sql: "UPDATE orders SET status = 'paid' WHERE status = 'new';", expect: ['DF809'] },
  { sql: 'DELETE FROM events WHERE seen;', expect: [] },
  {
    sql: "BEGIN;\nALTER TABLE users ADD COLUMN tier text;\nUPDATE users SET tier = 'free' WHERE tier IS NULL;\nCOMMIT;",
    expect: ['DF810', 'DF809'],
  },
  {
    sql: "BEGIN;\nALTER TABLE users ADD COLUMN tier text;\nCOMMIT;\nUPDATE users SET tier = 'free' WHERE id = 1;",
    expect: [],
  },
  { sql: 'TRUNCATE events CASCADE;', expect: ['DF811'] },
  { sql: 'TRUNCATE events;', expect: [] },
  {
    sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk3 FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;',
    expect: ['DF812'],
  },
  {
    sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk3 FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL NOT VALID;',
    expect: [],
  },
  {
    sql: 'CREATE TABLE t24 (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id) ON DELETE CASCADE);',
    expect: [],
  },
  { sql: "ALTER TYPE order_status ADD VALUE 'refunded';", expect: ['DF813'] },
  { sql: "ALTER TYPE order_status ADD VALUE 'refunded' BEFORE 'shipped';", expect: [] },
  { sql: "ALTER TYPE order_status RENAME VALUE 'new' TO 'created';", expect: [] },
  { sql: 'ALTER DOMAIN positive_amount ADD CONSTRAINT pos CHECK (VALUE > 0);', expect: ['DF814'] },
  { sql: 'ALTER DOMAIN positive_amount ADD CONSTRAINT pos CHECK (VALUE > 0) NOT VALID;', expect: [] },
  { sql: 'CREATE DOMAIN percent AS numeric CHECK (VALUE BETWEEN 0 AND 100);', expect: ['DF814'] },
  { sql: 'CREATE DOMAIN label AS text;', expect: [] },
  // more near misses and variants
  { sql: 'ALTER TABLE orders ADD COLUMN flag boolean DEFAULT false;', expect: [] },
  { sql: 'ALTER TABLE orders ADD COLUMN at timestamptz DEFAULT CURRENT_TIMESTAMP;', expect: [] },
  {
    sql: "CREATE SEQUENCE order_no;\nALTER TABLE orders ADD COLUMN no bigint DEFAULT nextval('order_no');",
    expect: ['DF701', 'DF715'],
  },
  { sql: 'ALTER TABLE orders ALTER COLUMN code TYPE char(8);', expect: ['DF702', 'DF715'] },
  { sql: 'ALTER TABLE orders ALTER COLUMN note TYPE varchar(30);', expect: [] },
  { sql: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(50);', expect: ['DF702', 'DF715'] },
  { sql: 'CREATE INDEX CONCURRENTLY users_email_lower ON users (lower(email));', expect: [] },
  { sql: 'CREATE INDEX users_email_lower ON users (lower(email));', expect: ['DF704', 'DF715'] },
  { sql: 'DELETE FROM empty_log;', expect: ['DF808'] },
  { sql: "UPDATE empty_log SET msg = 'x';", expect: ['DF808'] },
  { sql: 'ALTER TABLE orders DROP COLUMN IF EXISTS note, DROP COLUMN code;', expect: ['DF802', 'DF802'] },
  { sql: 'ALTER TABLE users ADD COLUMN age smallint;', expect: [] },
  {
    sql: 'CREATE TABLE t25 (id bigint PRIMARY KEY, code char(2), at timestamp, n varchar(5));',
    expect: ['DF218', 'DF219', 'DF218'],
  },
  {
    sql: "ALTER TABLE orders ADD CONSTRAINT orders_status_chk CHECK (status IN ('new', 'paid')) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_status_chk;",
    expect: [],
  },
  { sql: "ALTER TABLE events ADD COLUMN tag text DEFAULT 'x' NOT NULL;", expect: [] },
  { sql: 'ALTER TABLE orders RENAME CONSTRAINT orders_pkey TO orders_pk;', expect: [] },
  { sql: 'TRUNCATE TABLE events, orders RESTRICT;', expect: [] },
  {
    sql: "BEGIN;\nALTER TABLE empty_log ADD COLUMN x text;\nUPDATE empty_log SET x = 'a' WHERE id > 0;\nCOMMIT;",
    expect: [],
  },
];
