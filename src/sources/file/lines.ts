/**
 * Splits a byte stream into lines, one array of lines per chunk read, so the
 * caller parses a chunk's lines in a tight synchronous loop instead of paying
 * an await per line. UTF-8 is decoded across chunk boundaries; `\n` and `\r\n`
 * end lines; a final line without a newline is still yielded; a UTF-8 BOM at
 * the start is dropped. Memory is bounded by the chunk size plus one line of
 * at most `maxLineChars`: the rest of a longer line is discarded (the line
 * is kept, truncated). Pulling from the stream only as the consumer iterates
 * gives back-pressure on multi-GB files.
 */
import { StringDecoder } from 'node:string_decoder';

export const DEFAULT_MAX_LINE_CHARS = 1024 * 1024;

export async function* splitLines(
  stream: AsyncIterable<Buffer | string>,
  onBytes: (bytes: number) => void = () => {},
  maxLineChars: number = DEFAULT_MAX_LINE_CHARS,
): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  /** True while skipping the tail of a line that outgrew maxLineChars. */
  let skipping = false;
  let first = true;

  const finish = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line);

  for await (const chunk of stream) {
    onBytes(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const parts = text.split('\n');
    const lines: string[] = [];
    for (let i = 0; i < parts.length - 1; i++) {
      if (i === 0) {
        lines.push(finish(skipping ? carry : (carry + parts[0]).slice(0, maxLineChars)));
        carry = '';
        skipping = false;
      } else {
        const part = parts[i];
        lines.push(finish(part.length > maxLineChars ? part.slice(0, maxLineChars) : part));
      }
    }
    const tail = parts[parts.length - 1];
    if (parts.length > 1) {
      carry = tail.length > maxLineChars ? tail.slice(0, maxLineChars) : tail;
      skipping = tail.length > maxLineChars;
    } else if (!skipping) {
      carry += tail;
      if (carry.length > maxLineChars) {
        carry = carry.slice(0, maxLineChars);
        skipping = true;
      }
    }
    if (lines.length > 0) yield lines;
  }
  const rest = skipping ? carry : carry + decoder.end();
  if (rest.length > 0) yield [finish(rest)];
}
