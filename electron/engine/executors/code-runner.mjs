// Runs one CodeNode's JavaScript: JSON {code, inputs, timeout} on stdin, JSON answer on stdout.
// Started by code-node.ts as a separate Node process under the permission model (no file access
// beyond this script, no child processes, no workers) with an empty environment. The code runs in
// a fresh vm context holding only the inputs; before it runs, the process loses every way to
// native bindings and the network, so that escaping the vm context reaches nothing useful.
import { Buffer } from 'node:buffer';
import vm from 'node:vm';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { code, inputs, timeout } = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const stdout = process.stdout;
process.on('unhandledRejection', () => {});
for (const name of ['binding', '_linkedBinding', 'dlopen', 'getBuiltinModule', 'mainModule']) {
  try {
    delete process[name];
  } catch {
    // Non-configurable on this version: shadow it instead.
  }
  if (name in process) Object.defineProperty(process, name, { value: undefined, configurable: false, writable: false });
}
for (const name of ['fetch', 'WebSocket', 'EventSource', 'Request', 'Response', 'Headers', 'FormData', 'navigator']) {
  delete globalThis[name];
}

function describe(error) {
  try {
    if (error !== null && typeof error === 'object' && 'message' in error) {
      return `${String(error.name ?? 'Error')}: ${String(error.message)}`;
    }
    return String(error);
  } catch {
    return 'the code threw a value that cannot be shown';
  }
}

function isTimeout(error) {
  try {
    return error instanceof Error && error.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
  } catch {
    return false;
  }
}

function answer(text) {
  stdout.write(text);
}

const sandbox = Object.create(null);
sandbox.__dataflowInputs = JSON.stringify(inputs);
const context = vm.createContext(sandbox, {
  codeGeneration: { strings: false, wasm: false },
  microtaskMode: 'afterEvaluate',
});
try {
  vm.runInContext(
    'for (const [k, v] of Object.entries(JSON.parse(globalThis.__dataflowInputs))) globalThis[k] = v; delete globalThis.__dataflowInputs;',
    context,
  );
  vm.runInContext(code, context, { timeout, filename: 'code.js' });
  const json = vm.runInContext(
    `(() => {
      if (typeof result === 'undefined') return undefined;
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') throw new TypeError('result is a Promise; assign a plain value (async code is not supported)');
      const text = JSON.stringify(result);
      return text === undefined ? 'null' : text;
    })()`,
    context,
    { timeout },
  );
  if (json !== undefined && typeof json !== 'string') throw new TypeError('result could not be turned into JSON');
  answer(json === undefined ? '{"ok":true,"missing":true,"result":null}' : `{"ok":true,"result":${json}}`);
} catch (error) {
  answer(JSON.stringify(isTimeout(error) ? { ok: false, timedOut: true } : { ok: false, error: describe(error) }));
}
