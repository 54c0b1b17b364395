import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvField, runTemplates } from '../../../src/commands/templates.js';
import { parseCsv } from '../../bench/parsing.js';

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('lookout templates', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lookout-templates-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints record number, template id and template as quoted CSV, and a summary by count on stderr', async () => {
    const file = join(dir, 'app.log');
    await writeFile(
      file,
      ['worker 1 started', 'worker 2 started', '', 'bulkSave() size = 3,totalTime = 12', 'said "hi, there" to 7', 'worker 3 started'].join('\n'),
    );
    const out = sink();
    const err = sink();
    const code = await runTemplates({ file, stdout: out.stream, stderr: err.stream });
    expect(code).toBe(0);
    const rows = parseCsv(out.text()).filter((r) => r.length > 1);
    expect(rows[0]).toEqual(['record', 'template_id', 'template']);
    // Records, as analyze reads them: the blank line is none.
    expect(rows.slice(1).map((r) => r[0])).toEqual(['1', '2', '3', '4', '5']);
    expect(rows[1][1]).toMatch(/^t[0-9a-f]{12}$/);
    expect(rows[2][1]).toBe(rows[1][1]);
    expect(rows[5][1]).toBe(rows[1][1]);
    expect(rows[1][2]).toBe('worker <num> started');
    expect(rows[3][2]).toBe('bulkSave() size = <num>,totalTime = <num>');
    expect(rows[4][2]).toBe('said "hi, there" to <num>');
    const summary = err.text().split('\n');
    expect(summary[0]).toBe('5 records, 3 templates');
    expect(summary[1]).toMatch(new RegExp(`^3  ${rows[1][1]}  worker <num> started$`));
  });

  it('reads stdin for -', async () => {
    const out = sink();
    const err = sink();
    const code = await runTemplates({ file: '-', stdin: Readable.from(['a 1\na 2\n']), stdout: out.stream, stderr: err.stream });
    expect(code).toBe(0);
    expect(parseCsv(out.text()).filter((r) => r.length > 1)).toHaveLength(3);
  });

  it('exits 2 with a clear message for a missing file', async () => {
    const out = sink();
    const err = sink();
    const missing = join(dir, 'nope.log');
    expect(await runTemplates({ file: missing, stdout: out.stream, stderr: err.stream })).toBe(2);
    expect(err.text()).toBe(`lookout templates: cannot read ${missing}: no such file\n`);
    expect(out.text()).toBe('');
  });

  it('exits 2 when the path is a directory', async () => {
    const err = sink();
    expect(await runTemplates({ file: dir, stdout: sink().stream, stderr: err.stream })).toBe(2);
    expect(err.text()).toMatch(/^lookout templates: cannot read .*: it is a directory\n$/);
  });

  it('quotes CSV fields per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
  });
});
