/**
 * Playwright against the real web host (`node scripts/start.mjs --web --no-open`) with a fresh
 * data folder and home folder in a temp dir, in the system's Chromium (PLAYWRIGHT_CHROMIUM_PATH,
 * else /usr/bin/chromium) or Playwright's own. The host prints its address with the token; the
 * `wait` pattern stores it in DATAFLOW_URL for the specs.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const root = fileURLToPath(new URL('..', import.meta.url));
// The config is read again in each worker: they inherit the folder chosen by the first read.
process.env.DATAFLOW_E2E_DIR ??= mkdtempSync(join(tmpdir(), 'dataflow-e2e-'));
const dir = process.env.DATAFLOW_E2E_DIR;
const home = join(dir, 'home');
mkdirSync(home, { recursive: true });

const chromium =
  process.env.PLAYWRIGHT_CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: join(root, 'test-results'),
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // The counts `npm test` closes with (scripts/test-summary.mjs) come from the JSON report.
  reporter: [['list'], ['json', { outputFile: join(root, 'test-reports', 'e2e.json') }]],
  use: {
    viewport: { width: 1600, height: 1000 },
    actionTimeout: 15_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      ...(chromium ? { executablePath: chromium } : {}),
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-gpu',
      ],
    },
  },
  webServer: {
    command: 'node scripts/start.mjs --web --no-open',
    cwd: root,
    env: { DATAFLOW_HOME: join(dir, 'data'), HOME: home },
    wait: { stdout: /DataFlow Studio: (?<dataflow_url>http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/ },
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
