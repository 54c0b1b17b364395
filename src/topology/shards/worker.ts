/**
 * Shard worker: one worker thread hosting one embedded detector (template
 * miner + per-stream baselines) for the streams of its shard. It speaks the
 * messages of ./protocol.ts with the pool, handles them strictly in arrival
 * order (a stream's windows reach its baselines in the order they closed) and
 * treats the analyzer as a black box: analyze, silence, and its own save.
 *
 * Snapshot: the analyzer saves into this shard's state directory and the
 * files come back as text (plain data another process can resume from).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { EmbeddedAnalyzer } from '../../analysis/detector/analyzer.js';
import { createLogger } from '../../telemetry/log.js';
import type { SilenceClock } from '../../analysis/detector/silence.js';
import type { ShardReply, ShardRequest, ShardSnapshot, ShardWorkerData } from './protocol.js';
import { SHARD_HASH } from './shard_key.js';
import { unpackWindow } from './packed_window.js';

const data = workerData as ShardWorkerData;
const port = parentPort!;
// Each shard logs its own state loads and saves (pino writes to fd 2 from any thread).
const analyzer = new EmbeddedAnalyzer(data.detector, {
  statePath: data.statePath,
  logger: createLogger().child({ shard: data.shard }),
  renderView: data.renderView,
});
let chain: Promise<void> = Promise.resolve();

function reply(message: ShardReply): void {
  port.postMessage(message);
}

async function handle(req: ShardRequest): Promise<ShardReply> {
  switch (req.type) {
    case 'analyze': {
      if (data.delayMs) await new Promise((resolve) => setTimeout(resolve, data.delayMs));
      const { window: _window, ...result } = await analyzer.analyze(unpackWindow(req.window));
      return { id: req.id, type: 'analyzed', result };
    }
    case 'silence': {
      const readings = new Map(req.readings.map((r) => [r[0], r]));
      const asked = new Set<string>();
      const missing = new Set<string>();
      const read = (stream: string) => {
        asked.add(stream);
        const r = readings.get(stream);
        if (!r) missing.add(stream);
        return r;
      };
      // A stream without a reading is at -Infinity on its axis: never silent, so checking it has no effect until the pool sends one.
      const clock: SilenceClock = { streamNow: (s) => read(s)?.[1] ?? -Infinity, openUntil: (s) => read(s)?.[2] };
      const results = await analyzer.checkSilence(clock);
      return {
        id: req.id,
        type: 'silence',
        results: results.map(({ window: w, ...rest }) => ({ ...rest, window: { stream: w.stream, service: w.service, host: w.host, start: w.start, end: w.end } })),
        asked: [...asked],
        missing: [...missing],
      };
    }
    case 'save':
      await analyzer.save(req.reason);
      return { id: req.id, type: 'saved' };
    case 'snapshot':
      return { id: req.id, type: 'snapshot', snapshot: await snapshot() };
  }
}

async function snapshot(): Promise<ShardSnapshot> {
  const dir = data.statePath;
  if (!dir) throw new Error('a shard snapshot needs analysis.state_path: the detector saves its state only there');
  await analyzer.close();
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) if (name.endsWith('.json')) files[name] = await readFile(join(dir, name), 'utf8');
  return { format: 'lookout.shard/1', hash: SHARD_HASH, shard: data.shard, shards: data.shards, files };
}

port.on('message', (req: ShardRequest) => {
  chain = chain.then(async () => {
    try {
      reply(await handle(req));
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      reply({ id: req.id, type: 'error', message: e.message, stack: e.stack });
    }
  });
});

analyzer.load().then(
  () => reply({ type: 'ready' }),
  (err: unknown) => reply({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
);
