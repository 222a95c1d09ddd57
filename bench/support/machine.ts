/** The machine a benchmark ran on, and how busy it was, for docs/benchmarks.md. */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  ramGiB: number;
  node: string;
  /** ISO date and time the figures were taken. */
  at: string;
  /** 1, 5 and 15 minute load averages (as `uptime` prints them). */
  load: [number, number, number];
}

export function machineInfo(): MachineInfo {
  let model = cpus()[0]?.model ?? 'unknown CPU';
  try {
    model = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? model;
  } catch {
    // Not Linux: the os module's model stands.
  }
  const [a = 0, b = 0, c = 0] = loadavg().map((x) => Math.round(x * 100) / 100);
  return {
    cpus: availableParallelism(),
    cpuModel: model,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    at: new Date().toISOString(),
    load: [a, b, c],
  };
}

export function describeMachine(m: MachineInfo = machineInfo()): string {
  return `${m.cpus} CPU(s) (${m.cpuModel}), ${m.ramGiB} GiB RAM, Node ${m.node}, ${m.at}, load average ${m.load.join(' ')}`;
}
