/**
 * Writes the rule sections of docs/lint.md from the catalogue (shared/lint/rules.ts): one section
 * per rule with its code, severity, databases, why, safe way, aka and example. The text above the
 * marker is hand-written and kept.
 *
 *   node --import tsx scripts/lint-docs.ts
 *
 * test/lint-docs.test.ts checks that docs/lint.md holds exactly these sections.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LINT_RULES, type LintExample, type LintRule } from '../shared/lint/rules.ts';

export const RULES_MARKER =
  '<!-- The rule sections below are written by scripts/lint-docs.ts from shared/lint/rules.ts. -->';

const DATABASE = { both: 'PostgreSQL and SQLite', postgres: 'PostgreSQL', sqlite: 'SQLite' } as const;

function aka(r: LintRule): string {
  const parts = [
    r.aka.squawk.length && `squawk ${r.aka.squawk.map((n) => `\`${n}\``).join(', ')}`,
    r.aka.strongMigrations.length && `strong_migrations ${r.aka.strongMigrations.map((n) => `"${n}"`).join(', ')}`,
    r.aka.atlas.length && `Atlas ${r.aka.atlas.map((n) => `\`${n}\``).join(', ')}`,
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'none of squawk, strong_migrations and Atlas has this check';
}

const sentence = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

function block(language: 'sql' | 'json', text: string): string {
  return ['```' + language, text, '```'].join('\n');
}

/** The section of one rule. */
export function ruleSection(code: string, r: LintRule): string {
  const facts = [
    r.severity,
    `${DATABASE[r.dialects]}${r.minPostgres ? ` ${r.minPostgres}+` : ''}`,
    r.needs === 'live schema' ? 'needs `--db` (the live schema)' : 'reads the statement',
  ].join(' · ');
  return [
    `### ${code} ${r.title}`,
    '',
    facts,
    '',
    `**Why.** ${sentence(r.why)}`,
    '',
    `**Safe way.** ${sentence(r.fix)}.`,
    '',
    `**aka.** ${aka(r)}.`,
    '',
    ...exampleLines(r.example, r.dialects === 'sqlite' ? 'json' : 'sql'),
    ...(r.sqliteExample ? ['', '**On SQLite.**', '', ...exampleLines(r.sqliteExample, 'json')] : []),
  ].join('\n');
}

/** An example: its setup, the form reported and the safe form; `json` when it is a schema change node's params. */
function exampleLines(e: LintExample, language: 'sql' | 'json'): string[] {
  const thresholds = e.thresholds
    ? ` with ${Object.entries(e.thresholds)
        .map(([k, v]) => `\`${k}\`: ${v}`)
        .join(', ')}`
    : '';
  return [
    ...(e.setup ? ['On a database where this ran:', '', block('sql', e.setup), ''] : []),
    language === 'json' ? `A schema change node with these params is reported${thresholds}:` : `Reported${thresholds}:`,
    '',
    block(language, e.bad),
    '',
    'The safe form, not reported:',
    '',
    block(language, e.good),
  ];
}

/** Every rule's section, in code order. */
export function ruleSections(): string {
  return Object.entries(LINT_RULES)
    .map(([code, r]) => ruleSection(code, r))
    .join('\n\n');
}

export const DOC_PATH = join(import.meta.dirname, '../docs/lint.md');

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const doc = readFileSync(DOC_PATH, 'utf8');
  const at = doc.indexOf(RULES_MARKER);
  if (at < 0) throw new Error(`docs/lint.md has no marker line ${RULES_MARKER}`);
  writeFileSync(DOC_PATH, `${doc.slice(0, at)}${RULES_MARKER}\n\n${ruleSections()}\n`);
}
