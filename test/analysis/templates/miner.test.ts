import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TemplateStateError } from '../../../src/analysis/templates/errors.js';
import { MinerConfigSchema, TemplateMiner } from '../../../src/analysis/templates/miner.js';
import { similarity } from '../../../src/analysis/templates/similarity.js';
import { WILD } from '../../../src/analysis/templates/slots.js';

describe('TemplateMiner matching', () => {
  it('groups lines that differ only in variables and generalises the template', () => {
    const miner = new TemplateMiner();
    const a = miner.add('PacketResponder 1 for block blk_38865049064139660 terminating', 1000);
    const b = miner.add('PacketResponder 0 for block blk_-6952295868487656571 terminating', 2000);
    expect(a.isNew).toBe(true);
    // The line's own tokens come back unmasked: the detector reads its values from them.
    expect(b).toEqual({
      id: a.id,
      template: 'PacketResponder <num> for block blk_<num> terminating',
      isNew: false,
      tokens: ['PacketResponder', '0', 'for', 'block', 'blk_-6952295868487656571', 'terminating'],
    });
    const c = miner.add('Invalid user webmaster from 173.234.31.186', 3000);
    miner.add('Invalid user admin from 10.0.0.1', 4000);
    expect(c.id).not.toBe(a.id);
    expect(miner.get(c.id)?.template).toBe('Invalid user <*> from <ip>');
    expect(miner.get(a.id)).toMatchObject({ count: 2, firstSeen: 1000, lastSeen: 2000 });
    expect(miner.size).toBe(2);
  });

  it('routes by token count: a longer line never joins a shorter template', () => {
    const miner = new TemplateMiner({ merge_variable_length: false });
    const a = miner.add('connection closed by peer');
    const b = miner.add('connection closed by remote peer');
    expect(b.id).not.toBe(a.id);
  });

  it('routes by leading tokens: different first words start different templates', () => {
    const miner = new TemplateMiner();
    const a = miner.add('cupsd startup succeeded');
    const b = miner.add('hcid startup succeeded');
    expect(b.id).not.toBe(a.id);
    expect(miner.add('cupsd startup succeeded').id).toBe(a.id);
  });

  it('joins an event whose leading identifier varies, found across its token-count layer', () => {
    const miner = new TemplateMiner();
    const line = (job: string, n: number) => `org.acme.${job}: planner says the slot for this job opens in ${n} seconds, skipping run`;
    const a = miner.add(line('mail.fetch', 120));
    const b = miner.add(line('backup.nightly', 9000));
    const c = miner.add(line('index.rebuild.weekly', 42));
    expect(b.id).toBe(a.id);
    expect(c.id).toBe(a.id);
    expect(miner.size).toBe(1);
    expect(miner.get(a.id)?.template).toBe('<*> planner says the slot for this job opens in <num> <dur>, skipping run');
    expect(miner.match(line('cache.gc', 5))?.id).toBe(a.id);
  });

  it('keeps events apart across the layer when a plain word differs or too much differs', () => {
    const miner = new TemplateMiner();
    const boot = miner.add('boot  (command 311)');
    const halt = miner.add('halt  (command 312)');
    expect(halt.id).not.toBe(boot.id);
    const up = miner.add('disk0: controller reports link state up after reset');
    const other = miner.add('eth3: driver reports queue state full after reset');
    expect(other.id).not.toBe(up.id);
    const inode = miner.add('Inode-table slots reserved: 4096 (order: 2, 16384 bytes)');
    const mount = miner.add('Mount-table slots reserved: 256 (order: 0, 2048 bytes)');
    expect(mount.id).not.toBe(inode.id);
  });

  it('the layer search survives eviction and save/load', () => {
    const miner = new TemplateMiner({ max_templates: 2 });
    const line = (job: string) => `org.acme.${job}: planner says the slot for this job opens later, skipping run now`;
    const a = miner.add(line('mail.fetch'));
    miner.add(line('backup.nightly'));
    const restored = TemplateMiner.fromJSON(JSON.parse(JSON.stringify(miner.toJSON())), { max_templates: 2 });
    expect(restored.add(line('index.rebuild')).id).toBe(a.id);
    restored.add('unrelated one two three');
    restored.add('unrelated four five six seven');
    expect(restored.get(a.id)).toBeUndefined();
    expect(restored.add(line('mail.fetch')).isNew).toBe(true);
  });

  it('merges token-count variants whose key=value values differ (a multi-word quoted value)', () => {
    const miner = new TemplateMiner();
    const a = miner.add('grab handle=41, label="Screen Dim Guard", owner=ui.shell, uid=1000');
    const b = miner.add('grab handle=42, label="radio", owner=telephony.core, uid=1001');
    expect(b.id).toBe(a.id);
    expect(miner.size).toBe(1);
  });

  it('reads compact JSON by its members: one template per event, whoever the user', () => {
    const miner = new TemplateMiner();
    const ok = miner.add('{"level":"info","event":"login_ok","user":"dilan8535","ip":"10.0.0.1"}');
    expect(miner.add('{"level":"info","event":"login_ok","user":"bjorn5991","ip":"10.0.0.2"}').id).toBe(ok.id);
    expect(miner.add('{"level":"warn","event":"login_failed","user":"bjorn5991","ip":"10.0.0.2"}').id).not.toBe(ok.id);
  });

  it('keeps logfmt events apart by their msg text', () => {
    const miner = new TemplateMiner();
    const served = miner.add('level=info msg="query served" latency_ms=84 user=u1');
    const login = miner.add('level=info msg="login ok" latency_ms=12 user=u2');
    expect(login.id).not.toBe(served.id);
    expect(miner.add('level=info msg="query served" latency_ms=91 user=u3').id).toBe(served.id);
  });

  it('joins only when the similarity reaches the threshold', () => {
    const spread = ['alpha beta one gamma two', 'alpha beta six gamma ten'];
    const at = new TemplateMiner({ similarity_threshold: 0.6 });
    expect(at.add(spread[0]).id).toBe(at.add(spread[1]).id); // 3 of 5 tokens agree: 0.6
    const above = new TemplateMiner({ similarity_threshold: 0.61 });
    expect(above.add(spread[0]).id).not.toBe(above.add(spread[1]).id);
  });

  it('splits lines whose adjacent differing tokens are words: a different phrase, not a value', () => {
    const miner = new TemplateMiner({ similarity_threshold: 0.1 });
    const a = miner.add('Received disconnect from 1.2.3.4: 11: Bye Bye [preauth]');
    expect(miner.add('Received disconnect from 1.2.3.5: 11: disconnected by user').id).not.toBe(a.id);
    expect(miner.add('Received disconnect from 1.2.3.6: 12: Bye Bye [preauth]').id).toBe(a.id);
  });

  it('keeps a word a settled template held through many lines, but reads a differing word on a young template as a value', () => {
    const miner = new TemplateMiner();
    const agent = miner.add('Session: 30546173_4261722401 initialized by client WindowsUpdateAgent.');
    for (let i = 0; i < 60; i++) miner.add(`Session: ${30546174 + i}_${4261722402 + i} initialized by client WindowsUpdateAgent.`);
    const spp = miner.add('Session: 11152_142416105 initialized by client SPP.');
    expect(spp.id).not.toBe(agent.id);
    expect(miner.get(agent.id)?.template).toBe('Session: <num>_<num> initialized by client WindowsUpdateAgent.');
    const root = miner.add('Failed password for root from 10.0.0.1 port 22 ssh2');
    expect(miner.add('Failed password for admin from 10.0.0.2 port 2222 ssh2').id).toBe(root.id);
    expect(miner.get(root.id)?.template).toBe('Failed password for <*> from <ip> port <num> ssh2');
  });

  it('splits short lines (4 tokens or fewer) on a differing plain word, and longer young ones only on values', () => {
    const miner = new TemplateMiner();
    const init = miner.add('Ending TrustedInstaller initialization.');
    expect(miner.add('Ending TrustedInstaller finalization.').id).not.toBe(init.id);
    const begin = miner.add('00000008@2016/9/28:16:00:46.635 PopulateComponentFamiliesKey - Begin');
    expect(miner.add('00000009@2016/9/28:16:01:03.072 PopulateComponentFamiliesKey - End').id).not.toBe(begin.id);
    expect(miner.add('00000010@2016/9/28:16:01:04.001 PopulateComponentFamiliesKey - Begin').id).toBe(begin.id);
    const opened = miner.add('session opened for user alice by sshd');
    expect(miner.add('session opened for user bob by sshd').id).toBe(opened.id);
  });

  it('joins lists of unmasked values of any length into one template', () => {
    const miner = new TemplateMiner();
    const names = (prefix: string, from: number, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${from + i}`).join(' ');
    const first = miner.add(`Warning: we failed to resolve data source name ${names('an', 14, 128)}`);
    for (const line of [names('an', 142, 128), names('bn', 14, 128), names('dn', 910, 115), 'dadmin2 dadmin3 dadmin4']) {
      expect(miner.add(`Warning: we failed to resolve data source name ${line}`).id).toBe(first.id);
    }
    expect(miner.add(`Warning: quota exceeded on ${names('an', 14, 4)}`).id).not.toBe(first.id);
  });

  it('joins lines naming a different upper-case thing they echo in a quoted path, but not different states', () => {
    const miner = new TemplateMiner();
    const hive = (name: string) => `Loading offline registry hive: ${name}, into registry key '{bf1a281b}GLOBALROOT/Windows/System32/config/${name}' from path '\\\\?\\GLOBALROOT\\config\\${name}'.`;
    const first = miner.add(hive('SOFTWARE'));
    for (const name of ['SYSTEM', 'SECURITY', 'SAM', 'COMPONENTS', 'DEFAULT']) expect(miner.add(hive(name)).id).toBe(first.id);
    const running = miner.add("container 'web' state: RUNNING, exit code 0");
    expect(miner.add("container 'web' state: FAILED, exit code 0").id).not.toBe(running.id);
  });

  it('does not merge lines whose differing tokens are enum-like constants', () => {
    const miner = new TemplateMiner();
    const a = miner.add('host:80 open through proxy p:5070 HTTPS');
    const b = miner.add('host:80 open through proxy p:5070 SOCKS5');
    expect(b.id).not.toBe(a.id);
  });

  it('keeps the key of key=value tokens and splits an empty value off', () => {
    const miner = new TemplateMiner();
    const a = miner.add('auth failure; tty=ssh rhost=10.0.0.1 euid=0');
    miner.add('auth failure; tty=ssh rhost=host.example.net euid=0');
    expect(miner.get(a.id)?.template).toBe('auth failure; tty=ssh rhost=<*> euid=<num>');
    expect(miner.add('auth failure; tty=ssh rhost= euid=0').id).not.toBe(a.id);
  });

  it('merges a variant whose extra tokens are all variables into the same template', () => {
    const miner = new TemplateMiner();
    const a = miner.add('proxy.example.com:5070 close, 403 bytes sent, 426 bytes received, lifetime <1 sec');
    const b = miner.add('proxy.example.com:5070 close, 1190 bytes (1.16 KB) sent, 1671 bytes (1.63 KB) received, lifetime 00:02');
    expect(b.id).toBe(a.id);
    expect(miner.size).toBe(1);
    expect(miner.get(a.id)?.count).toBe(2);
    const off = new TemplateMiner({ merge_variable_length: false });
    expect(off.add('x close, 403 bytes sent').id).not.toBe(off.add('x close, 1190 bytes (1.16 KB) sent').id);
  });

  it('match() looks up without learning', () => {
    const miner = new TemplateMiner();
    const a = miner.add('worker 1 started');
    expect(miner.match('worker 22 started')).toEqual({ id: a.id, template: 'worker <num> started', isNew: false, tokens: ['worker', '22', 'started'] });
    expect(miner.match('something else entirely here')).toBeUndefined();
    expect(miner.size).toBe(1);
    expect(miner.get(a.id)?.count).toBe(1);
  });

  it('keeps at most max_examples distinct, truncated examples', () => {
    const miner = new TemplateMiner({ max_examples: 2, max_example_chars: 16 });
    const { id } = miner.add('job 1 finished ok');
    miner.add('job 1 finished ok');
    miner.add('job 2 finished ok');
    miner.add('job 3 finished ok');
    expect(miner.get(id)?.examples).toEqual(['job 1 finished o', 'job 2 finished o']);
  });

  it('caps very long lines at max_tokens', () => {
    const miner = new TemplateMiner({ max_tokens: 8 });
    const words = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${'abcdefghij'[i % 10]}`).join(' ');
    const a = miner.add(words(50, 'x'));
    expect(a.template.split(' ')).toHaveLength(8);
    expect(a.template.endsWith('<*>')).toBe(true);
  });
});

describe('TemplateMiner bounds', () => {
  it('evicts the least recently used template beyond max_templates', () => {
    const miner = new TemplateMiner({ max_templates: 3 });
    const ids = ['alpha starts now', 'beta stops later', 'gamma waits here'].map((l) => miner.add(l).id);
    miner.add('alpha starts now');
    const d = miner.add('delta runs fast');
    expect(miner.size).toBe(3);
    expect(miner.get(ids[1])).toBeUndefined();
    expect(miner.get(ids[0])).toBeDefined();
    expect(miner.get(d.id)).toBeDefined();
    // The evicted shape comes back as new, under the same content-derived id.
    const again = miner.add('beta stops later');
    expect(again).toMatchObject({ id: ids[1], isNew: true });
    expect(miner.size).toBe(3);
  });

  it('stays bounded under a stream of distinct shapes', () => {
    const miner = new TemplateMiner({ max_templates: 50 });
    for (let i = 0; i < 5000; i++) miner.add(`${'w'.repeat(1 + (i % 7))}${String.fromCharCode(97 + (i % 26))} event kind${i.toString(36).replace(/\d/g, 'q')} tag${i % 13 === 0 ? ' extra' : ''}`);
    expect(miner.size).toBeLessThanOrEqual(50);
    expect(miner.templates().length).toBe(miner.size);
  });
});

describe('TemplateMiner state', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lookout-miner-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const LINES = [
    '',
    'Received block blk_1 of size 67108864 from /10.250.19.102',
    'Received block blk_-2 of size 3 from /10.250.10.6',
    'Verification succeeded for blk_7',
    'session opened for user root by (uid=0)',
    'rhost=10.0.0.1 user=bob login failed',
    'rhost=host.example user=ann login failed',
    'x close, 403 bytes sent, lifetime <1 sec',
    'x close, 1190 bytes (1.16 KB) sent, lifetime 00:02',
  ];

  it('round-trips through save/load with stable ids, counts and matching', async () => {
    const miner = new TemplateMiner({ max_templates: 100 });
    LINES.forEach((l, i) => miner.add(l, 1000 + i));
    const path = join(dir, 'nested', 'templates.json');
    await miner.save(path);
    const loaded = await TemplateMiner.load(path, { max_templates: 100 });
    expect(loaded.templates()).toEqual(miner.templates());
    for (const l of LINES) expect(loaded.match(l)?.id).toBe(miner.match(l)?.id);
    const next = 'Received block blk_9 of size 5 from /10.0.0.9';
    expect(loaded.add(next, 5000)).toEqual(miner.add(next, 5000));
    expect(JSON.parse(await readFile(path, 'utf8')).version).toBe(1);
  });

  it('keeps the recency order across save/load', () => {
    const miner = new TemplateMiner();
    const ids = ['one alpha here', 'two beta there', 'three gamma now'].map((l) => miner.add(l).id);
    miner.add('one alpha here');
    const loaded = TemplateMiner.fromJSON(JSON.parse(JSON.stringify(miner.toJSON())), { max_templates: 2 });
    expect(loaded.size).toBe(2);
    expect(loaded.get(ids[1])).toBeUndefined();
    expect(loaded.get(ids[0])).toBeDefined();
  });

  it('rejects invalid or foreign state with a TemplateStateError', async () => {
    expect(() => TemplateMiner.fromJSON({ version: 2, templates: [] })).toThrow(TemplateStateError);
    expect(() => TemplateMiner.fromJSON({ version: 1, templates: [{ id: 'nope' }] })).toThrow(/templates\.0/);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{not json');
    await expect(TemplateMiner.load(bad)).rejects.toThrow(/not JSON/);
    await expect(TemplateMiner.load(join(dir, 'missing.json'))).rejects.toThrow(TemplateStateError);
    const state = new TemplateMiner().toJSON();
    const m = new TemplateMiner();
    m.add('a b c');
    const s = m.toJSON();
    s.templates[0].clusters[0].path[0] = '7';
    expect(() => TemplateMiner.fromJSON(s)).toThrow(/do not fit/);
    expect(TemplateMiner.fromJSON(state).size).toBe(0);
  });
});

describe('MinerConfigSchema', () => {
  it('fills defaults and rejects unknown keys and bad masks', () => {
    const cfg = MinerConfigSchema.parse({});
    expect(cfg).toMatchObject({ similarity_threshold: 0.4, depth: 4, max_children: 100, max_templates: 5000, max_examples: 3 });
    expect(() => MinerConfigSchema.parse({ simThreshold: 0.4 })).toThrow();
    expect(() => MinerConfigSchema.parse({ extra_masks: [{ name: 'x', pattern: '(' }] })).toThrow();
    expect(() => new TemplateMiner({ max_examples: 4 })).toThrow();
  });
});

describe('similarity', () => {
  const slots = (n: number) => new Uint8Array(n);
  const template = 'aa bb cc dd ee ff gg hh ii jj'.split(' ');
  const late = 'aa bb cc dd ee ff gg xx ii yy'.split(' ');
  const early = 'xx bb yy dd zz ff ww hh ii jj'.split(' ');

  it('scores the share of equal positions', () => {
    expect(similarity(template, slots(10), late, slots(10)).score).toBeCloseTo(0.8);
    expect(similarity(template, slots(10), early, slots(10)).score).toBeCloseTo(0.6);
  });

  it('stops as soon as the score cannot reach the floor, and only then', () => {
    expect(similarity(template, slots(10), late, slots(10), false, 0.8).score).toBeCloseTo(0.8);
    expect(similarity(template, slots(10), late, slots(10), false, 0.81).score).toBe(-1);
    expect(similarity(template, slots(10), early, slots(10), false, 0.7).score).toBe(-1);
  });

  it('counts values no mask names (tokens with digits) as similar to each other and to <*>, but not enum-like constants', () => {
    const t = 'failed to resolve an14 an15 an16'.split(' ');
    expect(similarity(t, slots(6), 'failed to resolve bn142 bn143 dadmin2'.split(' '), slots(6)).score).toBe(1);
    const generalised = Uint8Array.from([0, 0, 0, WILD, WILD, WILD]);
    const wild = 'failed to resolve <*> <*> <*>'.split(' ');
    expect(similarity(wild, generalised, 'failed to resolve cn9 cn10 cn11'.split(' '), slots(6)).score).toBe(1);
    expect(similarity(wild, generalised, 'failed to resolve alpha beta gamma'.split(' '), slots(6)).score).toBe(0.5);
    expect(similarity('MDNS: IPV6 Addr: <ip>'.split(' '), slots(4), 'MDNS: IPV4 Addr: <ip>'.split(' '), slots(4)).score).toBe(-1);
  });

  it('with strictWords, two differing plain words veto', () => {
    const t = 'link state up on port 7'.split(' ');
    const m = 'link state down on port 7'.split(' ');
    expect(similarity(t, slots(6), m, slots(6)).score).toBeCloseTo(5 / 6);
    expect(similarity(t, slots(6), m, slots(6), true).score).toBe(-1);
  });
});
