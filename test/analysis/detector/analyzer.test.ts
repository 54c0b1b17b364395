import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import { DetectorConfigSchema } from '../../../src/analysis/detector/config.js';
import { LlmAnomalySchema } from '../../../src/analysis/anomaly.js';
import { TemplateMiner } from '../../../src/analysis/templates/miner.js';
import { MINUTE, T0, chatter, makeWindow, mulberry32 } from './support.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'lookout-detector-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('EmbeddedAnalyzer', () => {
  it('returns a complete result: anomalies in the LLM schema, health, score, gate and view', async () => {
    const analyzer = new EmbeddedAnalyzer({}, { rng: () => 1 });
    expect(analyzer.name).toBe('embedded');
    const lines = [...chatter(mulberry32(1), 30), 'app[311]: segfault at 0 ip 00007f3a sp 00007ffd error 4 in libc.so.6'];
    const window = makeWindow(T0, lines);
    const r = await analyzer.analyze(window);
    expect(r.window).toBe(window);
    expect(r.analyzer).toBe('embedded');
    expect(r.anomalies).toHaveLength(1);
    const a = r.anomalies[0];
    const { score, templates, detector, analysis, ...llmShape } = a;
    expect(LlmAnomalySchema.parse(llmShape)).toEqual(llmShape);
    expect({ detector, analysis }).toEqual({ detector: 'embedded', analysis: 'full' });
    expect(score).toBe(r.score);
    expect(templates.length).toBe(1);
    expect(a.evidence).toEqual([lines[30]]);
    expect(a.summary).toMatch(/^[A-Za-z0-9].*\.$/);
    expect(r.health).toBe('critical');
    expect(r.gate).toEqual({ send: true, score, threshold: 0.4, reason: 'score' });
    expect(r.view).toContain(lines[30]);
  });

  it('handles an empty window without learning from it', async () => {
    const analyzer = new EmbeddedAnalyzer();
    const r = await analyzer.analyze(makeWindow(T0, []));
    expect(r).toMatchObject({ anomalies: [], health: 'normal', score: 0 });
    expect(analyzer.streams).toBe(0);
  });

  it('persists templates and baselines on close and picks them up again', async () => {
    const dir = await tempDir();
    const rng = mulberry32(17);
    const first = new EmbeddedAnalyzer({ warmup_windows: 3 }, { statePath: dir });
    for (let w = 0; w < 4; w++) await first.analyze(makeWindow(T0 + w * MINUTE, chatter(rng, 50)));
    await first.close();
    expect(JSON.parse(await readFile(join(dir, 'baselines.json'), 'utf8'))).toHaveLength(1);

    const second = new EmbeddedAnalyzer({ warmup_windows: 3 }, { statePath: dir });
    await second.load();
    expect(second.streams).toBe(1);
    // Past warm-up already: known chatter is quiet and a new error shape is flagged at once.
    expect((await second.analyze(makeWindow(T0 + 4 * MINUTE, chatter(rng, 50)))).anomalies).toEqual([]);
    const r = await second.analyze(makeWindow(T0 + 5 * MINUTE, [...chatter(rng, 50), 'ERROR shard 3 rebalancing failed after 41s']));
    expect(r.anomalies.map((a) => a.type)).toEqual(['new_template']);
  });

  it('starts fresh when the state directory is empty, and sets a corrupt or incompatible file aside, saying so', async () => {
    const dir = await tempDir();
    const fresh = new EmbeddedAnalyzer({}, { statePath: dir });
    await expect(fresh.load()).resolves.toBeUndefined();
    await writeFile(join(dir, 'baselines.json'), '{not json');
    await writeFile(join(dir, 'templates.json'), JSON.stringify({ version: 999, templates: [] }));
    const logs: Array<{ level: number; msg: string; kept_as?: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
    const recovered = new EmbeddedAnalyzer({}, { statePath: dir, logger });
    await recovered.analyze(makeWindow(T0, ['INFO x']));
    const errors = logs.filter((l) => l.level === 50);
    expect(errors.map((l) => l.msg)).toEqual([expect.stringMatching(/templates\.json is corrupt or incompatible/), expect.stringMatching(/baselines\.json is corrupt or incompatible/)]);
    // the old files are kept beside, and the next save writes valid ones
    expect(await readFile(errors[1].kept_as!, 'utf8')).toBe('{not json');
    await recovered.close();
    expect(logs.at(-1)).toMatchObject({ msg: 'detector state saved', reason: 'shutdown', streams: 1 });
    const reloaded = new EmbeddedAnalyzer({}, { statePath: dir });
    await reloaded.load();
    expect(reloaded.streams).toBe(1);
  });

  it('uses an injected miner and saves it', async () => {
    const dir = await tempDir();
    const miner = new TemplateMiner();
    const analyzer = new EmbeddedAnalyzer({}, { miner, statePath: dir });
    await analyzer.analyze(makeWindow(T0, ['INFO user 1 logged in', 'INFO user 2 logged in']));
    expect(miner.size).toBe(1);
    await analyzer.close();
    expect((await TemplateMiner.load(join(dir, 'templates.json'))).size).toBe(1);
  });
});

describe('DetectorConfigSchema', () => {
  it('fills every default and rejects unknown keys', () => {
    const cfg = DetectorConfigSchema.parse({});
    expect(cfg.warmup_windows).toBe(10);
    expect(cfg.gate).toEqual({ threshold: 0.4, sample_rate: 0.01 });
    expect(cfg.rate.z_threshold).toBe(4);
    expect(cfg.vocabulary.map((v) => v.name)).toContain('failed_authentication');
    expect(cfg.miner.max_templates).toBeGreaterThan(0);
    expect(DetectorConfigSchema.safeParse({ warmup: 3 }).success).toBe(false);
    expect(DetectorConfigSchema.safeParse({ rate: { z: 3 } }).success).toBe(false);
    expect(DetectorConfigSchema.parse({ rate: { min_count: 3 } }).rate).toMatchObject({ min_count: 3, z_threshold: 4 });
  });
});
