// The run worker from the TypeScript sources (dev, tests, web host): registers tsx in this thread,
// then loads the worker. `execArgv: ['--import', 'tsx']` does not reach worker threads on Node 20.
import { URL, fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
await import('./run-worker.ts');
