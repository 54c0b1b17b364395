/**
 * Runs `lookout serve` as a real child process (the CLI, as a user starts it)
 * on 127.0.0.1 with a config file, for tests that need the whole process:
 * that it stays up, how much memory and CPU it uses, what it logs and what it
 * reports at shutdown. Ports are picked by the OS and read from the process's
 * own "listening" log lines.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, waitFor, type CliProcess, type CliResult } from '../cli/support.js';

export interface ServeProcess {
  cli: CliProcess;
  pid: number;
  httpPort: number;
  forwardPort: number;
  url: string;
  /** Structured log lines written so far. */
  logs(): Array<Record<string, unknown>>;
  alive(): boolean;
  /** Resident set size from /proc, bytes. */
  rss(): number;
  /** User + system CPU time the process has used, seconds (from /proc). */
  cpuSeconds(): number;
  /** Sum of every series of a metric on /metrics whose labels contain `labels` (e.g. `reason="too_deep"`). */
  metric(name: string, labels?: string): Promise<number>;
  /** SIGTERM, then the process's result. */
  stop(): Promise<CliResult>;
}

const CLOCK_TICKS_PER_SECOND = 100;

export async function startServe(config: Record<string, unknown>, opts: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<ServeProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-serve-'));
  const file = join(dir, 'lookout.json');
  const sources = (config.sources ?? {}) as Record<string, Record<string, unknown>>;
  const full = {
    ...config,
    sources: {
      http: { address: '127.0.0.1', port: 0, ...sources.http },
      forward: { address: '127.0.0.1', port: 0, ...sources.forward },
    },
  };
  writeFileSync(file, JSON.stringify(full));
  const cli = startCli(['serve', '--config', file], { env: { LOOKOUT_LOG_LEVEL: 'info', ...opts.env }, timeoutMs: opts.timeoutMs ?? 120_000 });
  void cli.done.finally(() => rmSync(dir, { recursive: true, force: true }));
  const logs = () =>
    cli
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const http = await waitFor(() => logs().find((l) => l.msg === 'http source listening'), `"http source listening" (stderr: ${cli.stderr().slice(-2000)})`, 30_000);
  const forward = await waitFor(() => logs().find((l) => l.msg === 'forward source listening'), '"forward source listening"', 30_000);
  const pid = cli.child.pid!;
  const url = `http://127.0.0.1:${http.port as number}`;
  return {
    cli,
    pid,
    httpPort: http.port as number,
    forwardPort: forward.port as number,
    url,
    logs,
    alive: () => cli.child.exitCode === null && cli.child.signalCode === null,
    rss: () => residentBytes(pid),
    cpuSeconds: () => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    },
    async metric(name, labels) {
      const text = await (await fetch(`${url}/metrics`)).text();
      return text
        .split('\n')
        .filter((l) => (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) && (labels === undefined || l.includes(labels)))
        .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    },
    async stop() {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGTERM');
      return cli.done;
    },
  };
}

/** Resident memory of a process; 0 once it has exited (a zombie's status has no VmRSS line, a reaped one no file). */
function residentBytes(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0;
  }
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  return kb ? Number(kb[1]) * 1024 : 0;
}
