/**
 * logfmt lines (https://brandur.org/logfmt, as written by Go's log/slog
 * TextHandler, logrus, Heroku): `ts=2024-05-01T12:00:00Z level=error service=api msg="card \"x\" declined"`.
 * Values are bare (up to the next space), double-quoted with Go-style escapes
 * (`\"`, `\\`, `\n`, `\t`, `\r`), or empty (`key=`); a bare key without `=`
 * is `true`. A line is logfmt only if it starts with a key=value pair, has at
 * least two of them, and has a msg/message or level key — otherwise ordinary
 * prose with an `a=b` in it would be claimed. Pure.
 */

const CLAIM_KEYS = ['msg', 'message', 'level', 'lvl'];
const MIN_PAIRS = 2;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t';
}

export function parseLogfmtLine(line: string): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let pairs = 0;
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && !isSpace(line[i]) && line[i] !== '=' && line[i] !== '"') i++;
    const key = line.slice(keyStart, i);
    if (key.length === 0) return undefined;
    if (line[i] !== '=') {
      if (pairs === 0) return undefined;
      if (line[i] === '"') return undefined;
      out[key] = true;
      continue;
    }
    i++;
    let value = '';
    if (line[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = line[i];
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === '\\' && i + 1 < n) {
          const next = line[i + 1];
          value += ESCAPES[next] ?? `\\${next}`;
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      if (!closed) return undefined;
      if (i < n && !isSpace(line[i])) return undefined;
    } else {
      const valueStart = i;
      while (i < n && !isSpace(line[i])) i++;
      value = line.slice(valueStart, i);
    }
    out[key] = value;
    pairs++;
  }
  if (pairs < MIN_PAIRS || !CLAIM_KEYS.some((k) => k in out)) return undefined;
  return out;
}
