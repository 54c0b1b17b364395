/**
 * Kubernetes CRI container log lines (what kubelet writes under
 * /var/log/containers/*.log):
 * `<RFC 3339 nano timestamp> <stdout|stderr> <tag> <message>`, e.g.
 * `2024-05-01T12:00:00.123456789Z stdout F connection reset`.
 * The tag is `F` (full line) or `P` (partial: the runtime split a long line and
 * the rest follows in later lines of the same stream); further `:`-separated
 * tags may follow. Spec: https://github.com/kubernetes/design-proposals-archive/blob/main/node/kubelet-cri-logging.md
 * This parser decodes one line; ./multiline.ts joins partials. Pure.
 */
import { parseIsoMillis } from '../timestamp.js';

const CRI = /^(\S+) (stdout|stderr) ([PF])(?::\S*)?(?: (.*))?$/;

export function parseCriLine(line: string): Record<string, unknown> | undefined {
  const m = CRI.exec(line);
  if (!m) return undefined;
  const timestamp = parseIsoMillis(m[1]);
  if (timestamp === undefined) return undefined;
  return { timestamp, stream: m[2], logtag: m[3], message: m[4] ?? '' };
}

/** True when a parsed CRI line is a partial that continues on a later line of its stream. */
export function isCriPartial(fields: Record<string, unknown>): boolean {
  return fields.logtag === 'P';
}
