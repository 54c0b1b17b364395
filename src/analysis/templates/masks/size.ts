/**
 * Sizes: a number with a byte/count unit (`64KB`, `1.16 KB`, `12 bytes`,
 * `4MiB`), either glued to the number or as the next token.
 */
import { WordList } from './chars.js';

const UNITS = new WordList([
  'b', 'byte', 'bytes', 'k', 'kb', 'kib', 'm', 'mb', 'mib', 'g', 'gb', 'gib', 't', 'tb', 'tib', 'pb', 'pib',
  'kbps', 'mbps', 'gbps',
]);

export function isSizeUnit(s: string, start: number, end: number): boolean {
  return UNITS.has(s, start, end);
}
