/**
 * File paths and URLs: absolute or relative Unix paths with at least two
 * separators (`/etc/httpd/conf/x.properties`, `./a/b`, `~/a/b`), Windows
 * paths (`C:\Windows\x.dll`), and `scheme://…` URLs. A single slash (`4G/4G`,
 * `/10.0.0.1:80`) is not a path: those keep their inner values masked one by one.
 */
import { isAlpha } from './chars.js';

export type PathKind = 'path' | 'url' | undefined;

export function pathKind(s: string, start: number, end: number): PathKind {
  if (end - start < 3) return undefined;
  const c0 = s.charCodeAt(start);
  if (isAlpha(c0)) {
    const colon = s.indexOf('://', start);
    if (colon > start && colon + 3 < end) {
      for (let i = start; i < colon; i++) {
        const c = s.charCodeAt(i);
        if (!isAlpha(c) && c !== 43 && c !== 45 && c !== 46) return undefined;
      }
      return 'url';
    }
    if (s.charCodeAt(start + 1) === 58 && s.charCodeAt(start + 2) === 92 /* \ */) return 'path';
    return undefined;
  }
  let i = start;
  if (c0 === 126 /* ~ */ || c0 === 46 /* . */) {
    while (i < end && s.charCodeAt(i) === 46) i++;
    if (c0 === 126) i++;
  }
  if (i >= end || s.charCodeAt(i) !== 47 /* / */) return undefined;
  let slashes = 0;
  let letters = 0;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 47) slashes++;
    else if (isAlpha(c)) letters++;
  }
  return slashes >= 2 && letters > 0 ? 'path' : undefined;
}
