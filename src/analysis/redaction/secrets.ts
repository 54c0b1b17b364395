/**
 * Secret patterns: credentials that must never reach a model endpoint.
 * Covers private-key blocks (PEM, RFC 7468), JWTs (RFC 7519), bearer/basic
 * authorization values (RFC 6750 / 7617), well-known cloud and SaaS key
 * formats (AWS, Google, GitHub, Slack, Stripe, OpenAI), passwords in URL
 * userinfo (RFC 3986 §3.2.1, i.e. connection strings like
 * `postgres://user:pw@host`), and `key=value` / `key: value` / JSON pairs whose
 * key names a credential (covers ADO.NET / Azure `Password=…;AccountKey=…`).
 * Order matters: whole blocks first, then specific formats, then generic pairs.
 */
import type { RedactionRule } from './rule.js';

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
];
