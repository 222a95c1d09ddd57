/**
 * The lines between the folders hold: the project's own ESLint config (eslint.config.js) refuses
 * what crosses them, in a file of each area, and lets through what is allowed there.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** The boundary rules' messages for `code` as if it were the file `filePath`. */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = x;\n`, { filePath });
  return result!.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

describe('renderer/ (the app)', () => {
  const file = 'renderer/panels/NewPanel.tsx';

  it.each([
    ["import { readFileSync as x } from 'node:fs';", /Node built-ins/],
    ["import x from 'fs';", /Node built-ins/],
    ["import { join as x } from 'path';", /Node built-ins/],
    ["import { openDatabase as x } from '../../electron/db/connect.ts';", /Only electron\//],
    ["import type { AppCore as x } from '../../electron/main/core.ts';", /Only electron\//],
    ["import { ipcRenderer as x } from 'electron';", /Only electron\//],
    ["import { SCENARIOS as x } from '../../test/real-runs.ts';", /Test and benchmark support/],
    ["import { benchWorkflow as x } from '../../bench/canvas-page/workflow.ts';", /Test and benchmark support/],
    ["const x = await import('node:fs');", /Node built-ins/],
    ["const x = await import('../../electron/db/connect.ts');", /Only electron\//],
    ["const x = require('fs');", /require is Node only/],
  ])('refuses %s', async (code, message) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it('lets shared/ and its own folders through', async () => {
    expect(await boundaryErrors(file, "import { parseWorkflow as x } from '../../shared/workflow.ts';")).toEqual([]);
    expect(await boundaryErrors(file, "import { useApp as x } from '../store/index.ts';")).toEqual([]);
  });

  it('holds in .ts files of the renderer as in .tsx', async () => {
    expect(await boundaryErrors('renderer/store/new-slice.ts', "import x from 'node:path';")).toHaveLength(1);
  });
});

describe('renderer/ tests', () => {
  const file = 'renderer/panels/NewPanel.test.tsx';

  it('get Node and the engine only through test/', async () => {
    expect(await boundaryErrors(file, "import { readFileSync as x } from 'node:fs';")).toHaveLength(1);
    expect(await boundaryErrors(file, "import { runWorkflow as x } from '../../electron/engine/run.ts';")).toHaveLength(
      1,
    );
    expect(await boundaryErrors(file, "import { loadRealRuns as x } from '../../test/load-real-runs.ts';")).toEqual([]);
  });
});

describe('shared/', () => {
  const file = 'shared/new-contract.ts';

  it.each([
    ["import { readFileSync as x } from 'node:fs';", /Node built-ins/],
    ["import { createHash as x } from 'crypto';", /Node built-ins/],
    ["import { openDatabase as x } from '../electron/db/connect.ts';", /Only electron\//],
    ["import { useApp as x } from '../renderer/store/index.ts';", /shared\/ is used by the editor/],
    ["const x = await import('node:path');", /Node built-ins/],
  ])('refuses %s', async (code, message) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it('lets shared/ itself and zod through', async () => {
    expect(await boundaryErrors(file, "import { z as x } from 'zod';")).toEqual([]);
    expect(await boundaryErrors(file, "import { parseWorkflow as x } from './workflow.ts';")).toEqual([]);
  });
});

describe('outside those areas', () => {
  it('the main process and the renderer build config may use Node', async () => {
    expect(await boundaryErrors('electron/main/new-file.ts', "import { join as x } from 'node:path';")).toEqual([]);
    expect(await boundaryErrors('renderer/vite.config.ts', "import { fileURLToPath as x } from 'node:url';")).toEqual(
      [],
    );
  });
});
