// The planning worker from the TypeScript sources (dev, tests, the web host without a fresh
// bundle): registers tsx in this thread, then loads the worker, as dev-entry.mjs does for runs.
import { URL, fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
await import('./planning-worker.ts');
