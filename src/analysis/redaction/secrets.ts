/**
 * Secret patterns: credentials that must never reach a model endpoint.
 * Covers private-key blocks (PEM, RFC 7468), JWTs (RFC 7519), bearer/basic
 * authorization values (RFC 6750 / 7617), well-known cloud and SaaS key
 * formats (AWS, Google, GitHub, Slack, Stripe, OpenAI), passwords in URL
 * userinfo (RFC 3986 §3.2.1, i.e. connection strings like
 * `postgres://user:pw@host`), and `key=value` / `key: value` / JSON pairs whose
 * key names a credential (covers ADO.NET / Azure `Password=…;AccountKey=…`),
 * Slack incoming-webhook URLs, lines that are nothing but PEM body (a key
 * logged one line per record), and bare 40-character AWS secret access keys.
 * Order matters: whole blocks first, then specific formats, then generic pairs,
 * then the bare-key heuristic.
 */
import type { RedactionRule } from './rule.js';

/** A PEM body line (RFC 7468 §2: 64 characters, up to 76 from MIME encoders) standing alone. */
const PEM_BODY_LINE = /^[A-Za-z0-9+/]{60,76}={0,2}$/gm;

/**
 * A bare AWS secret access key: 40 characters of base64 alphabet. Random keys
 * mix cases and digits throughout; a hex digest (no upper case), a path
 * (leading slash) or a CamelCase identifier (mostly lower-case runs of four or
 * more letters, which random text rarely has) is left alone. A key next to its
 * name is caught by the credential-pair rule whatever it looks like.
 */
function looksLikeAwsSecret(value: string): boolean {
  if (value.startsWith('/')) return false;
  const count = (re: RegExp) => value.match(re)?.length ?? 0;
  const inWords = (value.match(/[a-z]{4,}/g) ?? []).reduce((n, w) => n + w.length, 0);
  return count(/[A-Z]/g) >= 2 && count(/[a-z]/g) >= 2 && count(/[0-9]/g) >= 1 && inWords <= value.length * 0.4;
}

const CREDENTIAL_KEY =
  String.raw`[A-Za-z0-9_.-]*(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|accountkey|sharedaccesskey|client[_-]?secret|credentials?|signature|sig)`;

export const SECRET_RULES: readonly RedactionRule[] = [
  {
    kind: 'PRIVATE_KEY',
    // The END line may be missing when a log line was truncated: then everything after BEGIN goes.
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|[\s\S]*$)/g,
  },
  { kind: 'JWT', pattern: /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g },
  { kind: 'TOKEN', pattern: /\b(?:Bearer|Basic|Token)\s+([A-Za-z0-9._~+/=-]{8,})/gi, secretGroups: [1] },
  { kind: 'ACCESS_KEY', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g },
  { kind: 'ACCESS_KEY', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: 'TOKEN', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/g },
  { kind: 'TOKEN', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { kind: 'TOKEN', pattern: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/g },
  { kind: 'TOKEN', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}/g },
  { kind: 'WEBHOOK', pattern: /\bhttps?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9_/-]+)/gi, secretGroups: [1] },
  { kind: 'PRIVATE_KEY', pattern: PEM_BODY_LINE },
  { kind: 'PASSWORD', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:([^\s@/]+)@/gi, secretGroups: [1] },
  {
    kind: 'SECRET',
    pattern: new RegExp(
      String.raw`(?<![A-Za-z0-9])["']?${CREDENTIAL_KEY}["']?\s*[:=]\s*(?:"([^"]+)"|'([^']+)'|([^\s"',;&}\]]+))`,
      'gi',
    ),
    // Double-quoted, single-quoted or bare value: whichever alternative matched holds the secret.
    secretGroups: [1, 2, 3],
  },
  { kind: 'SECRET', pattern: /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, accept: looksLikeAwsSecret },
];

/** Start and end lines of a PEM private key block, for keys whose lines arrive as separate texts. */
export const PRIVATE_KEY_BEGIN = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g;
export const PRIVATE_KEY_END = /-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----/;
