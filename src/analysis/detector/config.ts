/**
 * Embedded detector options: warm-up, per-signal thresholds, the security /
 * reliability vocabulary, silence, the LLM gate and state bounds.
 *
 * Defaults are chosen so a steady production stream stays quiet after its
 * warm-up: every signal needs both a statistical surprise and a minimum count,
 * so a handful of lines never alarms on its own.
 */
import { z } from 'zod';
import { regexString } from '../../common/regex_string.js';
import { MinerConfigSchema } from '../templates/miner.js';
import { SeveritySchema } from '../anomaly.js';


export const VocabularyEntrySchema = z
  .object({
    /** Also the anomaly `type`. */
    name: z.string().min(1).max(80).regex(/^[a-z0-9_]+$/),
    /** Case-insensitive JavaScript regular expression matched against each message. */
    pattern: regexString(),
    severity: SeveritySchema.default('medium'),
    /** Matches needed within `span_minutes` (counted across windows) to raise an anomaly. */
    threshold: z.number().int().min(1).default(1),
    span_minutes: z.number().positive().default(60),
    /**
     * Also count matches per actor (the IP, user or host a line names) and alarm when one actor reaches this many
     * within the span, well above how actors usually behave here; the stream-wide count then takes each actor once.
     */
    actor_threshold: z.number().int().min(1).optional(),
    /** Recommended action; `{service}`, `{host}` and `{stream}` are filled in. */
    action: z.string().min(1).max(1000).default('Look at the lines of {service} on {host} that matched this pattern.'),
  })
  .strict();
export type VocabularyEntry = z.infer<typeof VocabularyEntrySchema>;

export const DEFAULT_VOCABULARY: VocabularyEntry[] = [
  {
    name: 'failed_authentication',
    // Words may be joined by a space, `_` or `-`: `login failed`, an event name `login_failed`, `reason=bad_password`.
    pattern: String.raw`authentication[ _-]fail|failed[ _-]password|log-?in[ _-](?:attempt[ _-])?(?:failed|failure|denied|rejected)|failed[ _-]log-?in|auth(?:entication)?[ _-](?:failed|failure|error)|invalid[ _-](?:credentials|password)|bad[ _-]password|wrong[ _-]password|unauthori[sz]ed`,
    severity: 'medium',
    threshold: 5,
    span_minutes: 60,
    actor_threshold: 5,
    action: 'Check where the failed logins on {host} come from and block or rate-limit the source if it is not expected.',
  },
  {
    name: 'invalid_user',
    pattern: String.raw`invalid[ _-]user|unknown[ _-]user|user[ _-]unknown|no[ _-]such[ _-]user|user[ _-](?:not[ _-]found|does[ _-]not[ _-]exist)|unknown[ _-]account|no[ _-]such[ _-]account|account[ _-](?:not[ _-]found|does[ _-]not[ _-]exist)`,
    severity: 'medium',
    threshold: 5,
    span_minutes: 60,
    actor_threshold: 5,
    action: 'Review the login attempts for non-existent users on {host}; this often is credential scanning, so consider fail2ban or a firewall rule.',
  },
  {
    name: 'permission_denied',
    pattern: String.raw`permission denied|access denied|operation not permitted|\bEACCES\b|\bEPERM\b|forbidden`,
    severity: 'medium',
    threshold: 5,
    span_minutes: 30,
    actor_threshold: 5,
    action: 'Check file ownership, service account roles and recent policy changes for {service} on {host}.',
  },
  {
    name: 'out_of_memory',
    pattern: String.raw`out of memory|OutOfMemoryError|oom-killer|OOMKilled|cannot allocate memory|\bENOMEM\b`,
    severity: 'critical',
    threshold: 1,
    span_minutes: 60,
    action: 'Check memory limits and usage of {service} on {host}, look for a leak or an oversized request, and raise the limit if the load is legitimate.',
  },
  {
    name: 'segfault',
    pattern: String.raw`segfault|segmentation fault|\bSIGSEGV\b|core dumped|general protection fault`,
    severity: 'critical',
    threshold: 1,
    span_minutes: 60,
    action: 'Collect the core dump of {service} on {host}, check the binary and native library versions, and roll back a recent upgrade if the crash is new.',
  },
  {
    name: 'connection_pool_exhausted',
    pattern: String.raw`(?:connection|conn|db|database) pool (?:is )?(?:exhausted|full|timeout)|too many connections|unable to acquire (?:a )?(?:jdbc )?connection|remaining connection slots are reserved`,
    severity: 'high',
    threshold: 1,
    span_minutes: 15,
    action: 'Check the connection pool size, slow queries and connection leaks in {service}, and the connection limit of its database.',
  },
  {
    name: 'timeout',
    pattern: String.raw`timed out|timeout|deadline exceeded|\bETIMEDOUT\b`,
    severity: 'medium',
    threshold: 10,
    span_minutes: 10,
    action: 'Check the latency and health of the upstream services {service} calls from {host}, and whether the timeouts follow a deploy or load increase.',
  },
  {
    name: 'certificate_error',
    pattern: String.raw`certificate (?:has )?expired|certificate verify failed|x509:|unable to get local issuer certificate|self[- ]signed certificate|ssl handshake fail|tls handshake (?:error|fail)|bad certificate`,
    severity: 'high',
    threshold: 1,
    span_minutes: 60,
    action: 'Check the certificate chain and expiry dates used by {service} on {host} (openssl s_client), and renew or redeploy the certificate.',
  },
];

/**
 * `extend`: the built-in entries plus the configured ones, a configured entry replacing the built-in one of the
 * same name. Idempotent, so a parsed configuration can be parsed again.
 */
function extendVocabulary(configured: VocabularyEntry[]): VocabularyEntry[] {
  const names = new Set(configured.map((v) => v.name));
  return [...DEFAULT_VOCABULARY.filter((v) => !names.has(v.name)).map((v) => ({ ...v })), ...configured];
}

export const DetectorConfigSchema = z
  .object({
    /** Windows a stream must have had before baseline signals (new, rare, rate, silence) may fire. */
    warmup_windows: z.number().int().min(0).default(10),
    /** EWMA smoothing factor for per-window counts (higher follows change faster). */
    ewma_alpha: z.number().gt(0).lt(1).default(0.1),
    new_template: z
      .object({
        enabled: z.boolean().default(true),
        /**
         * A new shape milder than ERROR is reported only when the chance that it was always there at a steady share,
         * and the stream's history so far merely missed it, is at most this (see chance.ts). ERROR-or-worse shapes are
         * always reported after warm-up.
         */
        max_chance: z.number().gt(0).max(1).default(0.01),
      })
      .strict()
      .prefault({}),
    rare: z
      .object({
        enabled: z.boolean().default(true),
        /** A known template is rare when its long-run share of the stream's lines is below this. */
        max_share: z.number().gt(0).lt(1).default(0.001),
        /** Minimum stream lines seen before shares are trusted. */
        min_stream_lines: z.number().int().min(1).default(1000),
        /**
         * …and its return is reported only when the chance that a steady share would bring this many of its lines
         * into this window is at most this (see chance.ts): a low-share line that recurs at its usual pace is not rare.
         * Stricter than `new_template.max_chance` because a shape is new once but can come back in every window.
         */
        max_chance: z.number().gt(0).max(1).default(0.001),
      })
      .strict()
      .prefault({}),
    rate: z
      .object({
        enabled: z.boolean().default(true),
        /** |z| at or above which a count is far from its moving baseline. */
        z_threshold: z.number().positive().default(4),
        /** Floor of the standard deviation used in z, so tiny or constant counts do not alarm. */
        z_floor: z.number().positive().default(2),
        /** A spike needs at least this many lines in the window. */
        min_count: z.number().int().min(1).default(10),
        /** …and at least this multiple of the baseline mean. */
        min_ratio: z.number().min(1).default(3),
        /**
         * …and a spike or drop must be improbable under the baseline: the chance of a count at least this far from the
         * EWMA mean, were the count Poisson with that mean, at most this. z alone is too loose for small means (4 → 12
         * is z = 4 yet a 1-in-1,000 event), and a stream of 100 templates in 5-minute windows makes ~30,000 such tests
         * a day, so the default keeps pure chance to about one false alarm a month per stream, with room for the
         * extra spread of real traffic (daily ramps the EWMA lags behind).
         */
        max_chance: z.number().gt(0).max(1).default(1e-6),
        /** A drop needs a baseline mean of at least this many lines per window… */
        drop_min_baseline: z.number().positive().default(20),
        /** …and the window's count at or below this fraction of it. */
        drop_ratio: z.number().min(0).lt(1).default(0.1),
      })
      .strict()
      .prefault({}),
    surge: z
      .object({
        enabled: z.boolean().default(true),
        /** Error-or-worse lines needed in a window. */
        min_count: z.number().int().min(1).default(10),
        /** …making up at least this fraction of the window… */
        min_fraction: z.number().gt(0).max(1).default(0.3),
        /** …and, after warm-up, at least this multiple of the stream's usual error fraction. */
        baseline_ratio: z.number().min(1).default(3),
        /** FATAL / CRITICAL lines that alone make a surge. */
        min_fatal: z.number().int().min(1).default(3),
      })
      .strict()
      .prefault({}),
    vocabulary: z.array(VocabularyEntrySchema).default(() => DEFAULT_VOCABULARY.map((v) => ({ ...v }))),
    /** Whether a configured `vocabulary` replaces the built-in entries (`replace`) or adds to them (`extend`, same name overrides). */
    vocabulary_mode: z.enum(['replace', 'extend']).default('replace'),
    /**
     * After warm-up, a vocabulary entry needs at least this multiple of the stream's usual matches per span (besides
     * its `threshold`), so a stream where the phrase is everyday background (an SSH server under constant scanning)
     * does not alarm all day.
     */
    vocabulary_baseline_ratio: z.number().min(1).default(3),
    /**
     * …and, after warm-up, a count that would happen by chance at most this often were the stream's matches Poisson
     * at their usual rate per span (see chance.ts); a stream with no matches so far keeps the plain `threshold`. At
     * 0.001 a stream with one chance match an hour needs 6 in an hour, not 5 (a 1-in-270 hour, several times a year
     * per sliding hour), while 5 still alarms below 0.5 an hour. An entry is tested only in windows that bring a
     * match, a few dozen spans a day, so this sits far looser than `rate.max_chance`. 1 turns the test off.
     */
    vocabulary_max_chance: z.number().gt(0).max(1).default(0.001),
    actors: z
      .object({
        /** Actors tracked per vocabulary entry and stream (those with the fewest recent matches make room). */
        top_k: z.number().int().min(1).max(100_000).default(200),
        /**
         * An actor's count must also be at most this likely were its matches Poisson at the usual count per actor
         * (the population's, or its own if higher). Looser than `vocabulary_max_chance`: an actor is tested only
         * when it matches, and the actor threshold already carries most of the weight.
         */
        max_chance: z.number().gt(0).max(1).default(0.01),
      })
      .strict()
      .prefault({}),
    numeric: z
      .object({
        enabled: z.boolean().default(true),
        /** Values a window needs for its median to be compared. */
        min_values: z.number().int().min(1).default(5),
        /** Values the baseline sketch needs before it is trusted. */
        min_baseline: z.number().int().min(1).default(50),
        /** A window is shifted when its median is above this quantile of the baseline… */
        above_quantile: z.number().gt(0).lt(1).default(0.95),
        /** …and at least this multiple of the baseline median. */
        min_ratio: z.number().gt(1).default(2),
        /** Shifted windows in a row that make one anomaly. */
        sustain_windows: z.number().int().min(1).default(3),
        /** Shifted windows in a row after which the new level becomes the baseline. */
        adopt_windows: z.number().int().min(2).default(24),
        /** At this multiple of the baseline median the anomaly is high rather than medium. */
        high_ratio: z.number().gt(1).default(10),
        /** Measurement series (template × numeric slot) kept per stream; the longest unseen makes room. */
        max_series: z.number().int().min(1).max(10_000).default(64),
      })
      .strict()
      .prefault({}),
    fold: z
      .object({
        /**
         * A finding that repeats an incident the stream reported — same kind, same actor or same line shapes — within
         * this many minutes of the incident's latest sign is folded into it, not emitted again (0 = never fold).
         */
        minutes: z.number().min(0).max(24 * 60).default(60),
        /** …until this many hours after it was reported: the next repeat is then emitted as a reminder. */
        max_hours: z.number().gt(0).max(24 * 7).default(4),
      })
      .strict()
      .prefault({}),
    silence: z
      .object({
        enabled: z.boolean().default(true),
        /**
         * A stream is silent after this many of its usual intervals between windows (mean plus one standard deviation)
         * without a window: 4 catches a heartbeat that stops for 25 minutes in 5-minute windows.
         */
        after_windows: z.number().positive().default(4),
        /** Only streams averaging at least this many lines per window (half as many if their windows are regular) can fall silent. */
        min_baseline: z.number().positive().default(5),
        /** Never call a stream silent sooner than this. */
        min_seconds: z.number().min(0).default(120),
      })
      .strict()
      .prefault({}),
    gate: z
      .object({
        /** Windows scoring at or above this go to the LLM. */
        threshold: z.number().min(0).max(1).default(0.4),
        /** Fraction of the other windows sent anyway, to watch for drift. */
        sample_rate: z.number().min(0).max(1).default(0.01),
      })
      .strict()
      .prefault({}),
    view: z
      .object({
        /** Example lines per template in the compressed view (1–3). */
        examples: z.number().int().min(1).max(3).default(1),
      })
      .strict()
      .prefault({}),
    /** Streams whose baselines are kept (least recently seen are evicted). */
    max_streams: z.number().int().min(1).default(10_000),
    /** Template baselines kept per stream (least used are evicted). */
    max_templates_per_stream: z.number().int().min(1).default(1000),
    /** Template miner settings, passed through (see templates/miner.ts). */
    miner: MinerConfigSchema.prefault({}),
  })
  .strict()
  .transform((cfg) => (cfg.vocabulary_mode === 'extend' ? { ...cfg, vocabulary: extendVocabulary(cfg.vocabulary) } : cfg));
export type DetectorConfig = z.infer<typeof DetectorConfigSchema>;
export type DetectorConfigInput = z.input<typeof DetectorConfigSchema>;
