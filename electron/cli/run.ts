/** `dataflow run <workflow> --db <conn> [--rehearse] [--json] [--trust-code] [--no-preflight]`. */
import { terminalJson } from '../../shared/terminal-text.ts';
import { EXIT, err, openRun, out, type Command } from './common.ts';
import { liveEvents, summary } from './run-output.ts';

export const runCommand: Command = {
  name: 'run',
  help: `Usage: dataflow run <workflow> --db <conn> [--rehearse] [--json] [--trust-code] [--no-preflight]

Runs every node of the workflow in order against the database, showing each node's start and
finish (status, duration, rows) and the progress of long work on stderr. At the end prints a
summary and the schema diff, or with --json the full run result on stdout.

  --db <conn>     sqlite:<path> or postgres://user:password@host:port/database
  --rehearse      run everything in one transaction and roll it back, reporting the diff and
                  metrics as if applied (steps that cannot run in a transaction are reported)
  --json          print the run result as JSON on stdout
  --trust-code    allow this workflow's PythonCodeNode / CodeNode code to run
  --no-preflight  start even when the plan already shows a node that cannot succeed
                  (by default such a run is refused before anything is written)

Ctrl-C cancels the run between statements (the current node rolls back); a second Ctrl-C exits
at once. Only the connection's label (no password) is recorded in the result.

Exit codes: 0 succeeded, 1 failed, 2 unusable input, 130 cancelled

Example: dataflow run assets/examples/basic-add-column.dataflow.json --db sqlite:demo.db`,
  options: {
    db: { type: 'string' },
    rehearse: { type: 'boolean' },
    json: { type: 'boolean' },
    'trust-code': { type: 'boolean' },
    'no-preflight': { type: 'boolean' },
  },
  positionals: ['workflow'],
  async run([path], flags) {
    const { workflow, db, runWorkflow } = await openRun(path!, flags);
    const controller = new AbortController();
    const onSigint = () => {
      if (controller.signal.aborted) process.exit(EXIT.cancelled);
      err('\ncancelling after the current statement (Ctrl-C again to exit now)');
      controller.abort();
    };
    process.on('SIGINT', onSigint);
    try {
      const result = await runWorkflow(workflow, db, {
        mode: flags.rehearse ? 'rehearse' : 'apply',
        onEvent: liveEvents(workflow, (t) => process.stderr.write(t), process.stderr.isTTY === true),
        signal: controller.signal,
        trustCode: flags['trust-code'] === true,
        preflight: flags['no-preflight'] !== true,
      });
      out(flags.json ? terminalJson(result) : summary(result));
      return result.status === 'succeeded' ? EXIT.ok : result.status === 'cancelled' ? EXIT.cancelled : EXIT.failed;
    } finally {
      process.off('SIGINT', onSigint);
      await db.driver.close();
    }
  },
};
