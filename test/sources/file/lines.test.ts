import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { splitLines } from '../../../src/sources/file/lines.js';

async function collect(chunks: (Buffer | string)[], max?: number): Promise<{ lines: string[]; bytes: number }> {
  let bytes = 0;
  const lines: string[] = [];
  for await (const group of splitLines(Readable.from(chunks, { objectMode: true }), (n) => (bytes += n), max)) lines.push(...group);
  return { lines, bytes };
}

describe('splitLines', () => {
  it('splits across chunk boundaries, handles CRLF and a final unterminated line', async () => {
    const { lines, bytes } = await collect([Buffer.from('one\r\ntw'), Buffer.from('o\nthree\n\nfo'), Buffer.from('ur')]);
    expect(lines).toEqual(['one', 'two', 'three', '', 'four']);
    expect(bytes).toBe(Buffer.byteLength('one\r\ntwo\nthree\n\nfour'));
  });

  it('decodes UTF-8 split inside a character and drops a leading BOM', async () => {
    const all = Buffer.from('\uFEFFcafé ☕\nnext\n');
    const { lines } = await collect([all.subarray(0, 5), all.subarray(5, 9), all.subarray(9)]);
    expect(lines).toEqual(['café ☕', 'next']);
  });

  it('truncates lines longer than the bound, inside one chunk and across chunks', async () => {
    const { lines } = await collect([`${'a'.repeat(30)}\nshort\n${'b'.repeat(8)}`, 'b'.repeat(8), `${'b'.repeat(8)}\nafter`], 10);
    expect(lines).toEqual(['a'.repeat(10), 'short', 'b'.repeat(10), 'after']);
    const tail = await collect(['c'.repeat(7), 'c'.repeat(7)], 10);
    expect(tail.lines).toEqual(['c'.repeat(10)]);
  });
});
