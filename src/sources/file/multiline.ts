/**
 * Turns lines into records: parses each line with the chosen format, falls
 * back to raw for a line the format does not recognise (no line is dropped),
 * and joins lines that belong to one event:
 * - line formats with a header (plain, syslog, log4j, …; JOINING_FORMATS in
 *   ./formats.ts): continuation lines of a stack trace (indented, `at …`,
 *   `Caused by: …`, `... 3 more`, a Python `Traceback …` header or a final
 *   `SomeError: …` line) are appended to the previous record's message;
 * - CRI: `P` (partial) lines are concatenated per stream until the `F` line.
 * A joined message is bounded (`maxMessageChars`, 64 Ki by default); text past
 * the bound is discarded and the record gets `truncated: true`, so one
 * runaway trace cannot grow memory. Whitespace-only lines carry nothing and
 * are skipped. Records come out in input order, except that a CRI record
 * completed by its `F` line comes out at that line. A line the format does
 * not read, and that is not a continuation, is counted in `unparsed`.
 */
import { isCriPartial } from './cri.js';
import { JOINING_FORMATS, type LineFormat, type LineParser } from './formats.js';
import { parseRawLine } from './raw.js';

export const DEFAULT_MAX_MESSAGE_CHARS = 64 * 1024;


const CONTINUATION =
  /^(?:\s|at\s|Caused by:|\.\.\. \d+ (?:more|common frames omitted)|Traceback \(most recent call last\):|[\w$.]+(?:Error|Exception)(?::|$))/;
const BLANK = /^\s*$/;

function isContinuationLine(line: string): boolean {
  return CONTINUATION.test(line);
}

interface Pending {
  raw: Record<string, unknown>;
  length: number;
  /** 1-based line the record started on. */
  line: number;
}

/** A record still held at end of input, with the line it started on. */
export interface HeldRecord {
  fields: Record<string, unknown>;
  line: number;
}

export class RecordAssembler {
  private readonly joinsContinuations: boolean;
  private pending: Pending | undefined;
  /** CRI partials by stream (stdout / stderr interleave). */
  private readonly partials = new Map<string, Pending>();
  /** Lines the format did not read that became raw records. */
  unparsed = 0;
  /** The line the record push() last returned started on (push's `lineNo` of that line). */
  recordLine = 0;

  constructor(
    private readonly format: LineFormat,
    private readonly parse: LineParser,
    private readonly maxMessageChars: number = DEFAULT_MAX_MESSAGE_CHARS,
  ) {
    this.joinsContinuations = JOINING_FORMATS.has(format);
  }

  /** Feeds one line (its 1-based number `lineNo`); returns a record completed by it, if any, and sets recordLine. */
  push(line: string, lineNo = 0): Record<string, unknown> | undefined {
    if (BLANK.test(line)) return undefined;
    let parsed = this.parse(line);
    if (!parsed) {
      if (this.joinsContinuations && this.pending && isContinuationLine(line)) {
        this.append(this.pending, `\n${line}`);
        return undefined;
      }
      this.unparsed++;
      parsed = parseRawLine(line);
    } else if (this.format === 'cri') {
      return this.pushCri(parsed, lineNo);
    }
    if (!this.joinsContinuations) {
      this.recordLine = lineNo;
      return parsed;
    }
    const done = this.pending;
    this.pending = { raw: parsed, length: String(parsed.message ?? '').length, line: lineNo };
    if (!done) return undefined;
    this.recordLine = done.line;
    return done.raw;
  }

  /** Records still held at end of input. */
  flush(): HeldRecord[] {
    const out: HeldRecord[] = [];
    if (this.pending) out.push({ fields: this.pending.raw, line: this.pending.line });
    this.pending = undefined;
    for (const partial of this.partials.values()) out.push({ fields: partial.raw, line: partial.line });
    this.partials.clear();
    return out;
  }

  private pushCri(parsed: Record<string, unknown>, lineNo: number): Record<string, unknown> | undefined {
    const stream = String(parsed.stream);
    const partial = this.partials.get(stream);
    if (partial) {
      this.append(partial, String(parsed.message));
      if (isCriPartial(parsed)) return undefined;
      this.partials.delete(stream);
      partial.raw.logtag = parsed.logtag;
      this.recordLine = partial.line;
      return partial.raw;
    }
    if (isCriPartial(parsed)) {
      this.partials.set(stream, { raw: parsed, length: String(parsed.message).length, line: lineNo });
      return undefined;
    }
    this.recordLine = lineNo;
    return parsed;
  }

  private append(target: Pending, text: string): void {
    if (target.raw.truncated === true) return;
    const room = this.maxMessageChars - target.length;
    const piece = text.length > room ? text.slice(0, Math.max(0, room)) : text;
    target.raw.message = String(target.raw.message ?? '') + piece;
    target.length += piece.length;
    if (piece.length < text.length) target.raw.truncated = true;
  }
}
