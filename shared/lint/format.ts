/**
 * The safety review's report in the formats of `dataflow lint --format`: text for a terminal,
 * JSON (the LintReport as is), SARIF 2.1.0 (code scanning in GitHub, GitLab, IDEs) and GitHub
 * Actions workflow commands (annotations on the pull request's lines).
 */
import { countBySeverity, type LintFinding, type LintReport } from './finding.ts';
import { LINT_RULES, type LintCode } from './rules.ts';

export const LINT_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

/** Where a finding is: `file:line:column`, or `node "<id>", field "<label>"`. */
export function findingPlace(f: LintFinding): string {
  if (f.file !== undefined) return `${f.file}:${f.line ?? 1}:${f.column ?? 1}`;
  return [f.node !== undefined && `node "${f.node}"`, f.fieldLabel !== undefined && `field "${f.fieldLabel}"`]
    .filter(Boolean)
    .join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The summary line: counts, statements, the configuration and version assumed. */
export function lintSummary(report: LintReport): string {
  const n = countBySeverity(report.findings);
  const version =
    report.postgresVersion === null
      ? report.live
        ? 'SQLite'
        : 'not planned (no --db)'
      : `PostgreSQL ${report.postgresVersion} ${report.live ? '(the server)' : 'assumed'}`;
  return (
    `${plural(n.error, 'error')}, ${plural(n.warning, 'warning')}, ${n.info} info in ${plural(report.statements, 'statement')}; ` +
    `${version}; config: ${report.config ?? 'defaults'}`
  );
}

/** The report as text: one finding per line with its fix below, the rules not evaluated, the engine's notes, the summary. */
export function lintText(report: LintReport): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    const rule = LINT_RULES[f.code];
    lines.push(`${findingPlace(f)}: ${f.severity} [${f.code}] ${rule.title}: ${f.message}`);
    lines.push(`  fix: ${rule.fix}`);
  }
  if (report.notEvaluated.length > 0) {
    lines.push(
      `not evaluated without --db (they read the live schema): ${report.notEvaluated
        .map((n) => `${n.code} ${LINT_RULES[n.code].title} (${plural(n.count, 'statement')})`)
        .join('; ')}`,
    );
  }
  for (const note of report.notes) lines.push(`note: ${note}`);
  lines.push(lintSummary(report));
  return lines.join('\n');
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** SARIF 2.1.0: one run, the catalogue as the tool's rules, one result per finding. */
export function lintSarif(report: LintReport): object {
  const codes = Object.keys(LINT_RULES) as LintCode[];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dataflow lint',
            rules: codes.map((code) => {
              const r = LINT_RULES[code];
              return {
                id: code,
                name: r.title,
                shortDescription: { text: r.title },
                fullDescription: { text: r.why },
                help: { text: `Safe way: ${r.fix}` },
                defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
              };
            }),
          },
        },
        results: report.findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: codes.indexOf(f.code),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.file === undefined ? `${findingPlace(f)}: ${f.message}` : f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: (f.file ?? report.inputs[0] ?? '').replace(/\\/g, '/') },
                ...(f.line !== undefined ? { region: { startLine: f.line, startColumn: f.column ?? 1 } } : {}),
              },
            },
          ],
        })),
      },
    ],
  };
}

/** GitHub Actions workflow commands: `::error file=...,line=...,col=...,title=DF704::message`. */
export function lintGithub(report: LintReport): string {
  const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const escapeProp = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const lines = report.findings.map((f) => {
    const kind = f.severity === 'info' ? 'notice' : f.severity;
    const props = [
      `file=${escapeProp(f.file ?? report.inputs[0] ?? '')}`,
      ...(f.line !== undefined ? [`line=${f.line}`, `col=${f.column ?? 1}`] : []),
      `title=${escapeProp(`${f.code} ${LINT_RULES[f.code].title}`)}`,
    ];
    const where = f.file === undefined ? `${findingPlace(f)}: ` : '';
    return `::${kind} ${props.join(',')}::${escapeData(`${where}${f.message}. Fix: ${LINT_RULES[f.code].fix}`)}`;
  });
  lines.push(lintSummary(report));
  return lines.join('\n');
}
