/**
 * Rules: what an operator decided about findings, applied to every anomaly
 * record after analysis and before any sink sees it, in the main thread, so
 * they hold wherever analysis runs. A rule matches on service, type,
 * template (an id such as `t3f9a1c27b0de`, or words of the template text) and
 * free text (a case-insensitive regex over summary and evidence), and then
 * mutes the finding or lowers its severity, optionally until `expires_at`.
 * Modelled on Elastic ML detector custom rules (skip_result / skip_model_update,
 * https://www.elastic.co/guide/en/machine-learning/current/ml-ad-run-jobs.html#ml-ad-rules)
 * and New Relic drop rules.
 *
 * The rules file (`analysis.rules`, JSON or YAML: `{rules: [...]}`) holds
 * hand-written rules and the ones feedback adds (feedback.ts); it is read at
 * start and rewritten atomically (temp file + rename) on every change, so a
 * finding marked as noise stays quiet across restarts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { writeFileAtomically } from '../../common/atomic_write.js';
import { regexString } from '../../common/regex_string.js';
import { SEVERITIES, SeveritySchema, type Severity } from '../anomaly.js';
import { withSeverity, type AnomalyRecord } from '../../sinks/record.js';


export const RuleSchema = z
  .object({
    /** Stable name, shown in logs and `config check`; generated for feedback rules. */
    id: z.string().min(1).max(120).optional(),
    match: z
      .object({
        service: z.string().min(1).optional(),
        type: z.string().min(1).optional(),
        /** A template id, or text the finding's summary quotes from its template. */
        template: z.string().min(1).optional(),
        /** Case-insensitive regex over summary and evidence. */
        text: regexString().optional(),
      })
      .strict()
      .refine((m) => Object.keys(m).length > 0, { message: 'a rule must match on at least one of service, type, template, text' }),
    /** `mute`: drop the finding; `lower`: send it at `severity` (one step lower when absent). */
    action: z.enum(['mute', 'lower']),
    severity: SeveritySchema.optional(),
    /** RFC 3339; the rule stops applying after it. */
    expires_at: z.iso.datetime({ offset: true }).optional(),
    note: z.string().max(1000).optional(),
    /** When feedback created it, RFC 3339. */
    created_at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type Rule = z.infer<typeof RuleSchema>;

/** The rules file in use: `analysis.rules`, else rules.json in the state directory, else none (rules live in memory). */
export function rulesPath(analysis: { rules?: string; state_path?: string }): string | undefined {
  return analysis.rules ?? (analysis.state_path ? join(analysis.state_path, 'rules.json') : undefined);
}

export const RulesFileSchema = z.object({ rules: z.array(RuleSchema).default([]) }).strict();

export class RulesFileError extends Error {
  override name = 'RulesFileError';
  constructor(
    readonly path: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`rules file ${path}: ${detail}`, options);
  }
}

interface CompiledRule {
  rule: Rule;
  text?: RegExp;
  expires: number;
}

function compile(rule: Rule): CompiledRule {
  return { rule, text: rule.match.text ? new RegExp(rule.match.text, 'i') : undefined, expires: rule.expires_at ? Date.parse(rule.expires_at) : Infinity };
}

function oneStepDown(s: Severity): Severity {
  return SEVERITIES[Math.max(0, SEVERITIES.indexOf(s) - 1)];
}

export interface RuleOutcome {
  records: AnomalyRecord[];
  muted: number;
  lowered: number;
}

export class RuleBook {
  private compiled: CompiledRule[];

  constructor(
    rules: Rule[] = [],
    private readonly path?: string,
    private readonly now: () => number = Date.now,
  ) {
    this.compiled = rules.map(compile);
  }

  /** Reads the rules file; a missing file is an empty book (it is created on the first feedback). */
  static async load(path: string | undefined, now: () => number = Date.now): Promise<RuleBook> {
    if (!path) return new RuleBook([], undefined, now);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new RuleBook([], path, now);
      throw new RulesFileError(path, `cannot read: ${(err as Error).message}`, { cause: err });
    }
    let data: unknown;
    try {
      data = text.trim() === '' ? {} : parseYaml(text);
    } catch (err) {
      throw new RulesFileError(path, `not JSON or YAML: ${(err as Error).message}`, { cause: err });
    }
    const parsed = RulesFileSchema.safeParse(data ?? {});
    if (!parsed.success) {
      throw new RulesFileError(path, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    }
    return new RuleBook(parsed.data.rules, path, now);
  }

  get rules(): Rule[] {
    return this.compiled.map((c) => c.rule);
  }

  get persistent(): boolean {
    return this.path !== undefined;
  }

  /** Applies the first live rule that matches each record. */
  apply(records: AnomalyRecord[]): RuleOutcome {
    if (this.compiled.length === 0) return { records, muted: 0, lowered: 0 };
    const t = this.now();
    const out: AnomalyRecord[] = [];
    let muted = 0;
    let lowered = 0;
    for (const r of records) {
      const hit = this.compiled.find((c) => c.expires > t && matches(c, r));
      if (!hit) out.push(r);
      else if (hit.rule.action === 'mute') muted++;
      else {
        lowered++;
        out.push(withSeverity(r, hit.rule.severity ?? oneStepDown(r.anomaly.severity)));
      }
    }
    return { records: out, muted, lowered };
  }

  /** Adds a rule and rewrites the file (when there is one); returns the rule as stored. */
  async add(rule: Rule): Promise<Rule> {
    const parsed = RuleSchema.parse(rule);
    this.compiled.push(compile(parsed));
    await this.save();
    return parsed;
  }

  private async save(): Promise<void> {
    if (!this.path) return;
    await writeFileAtomically(this.path, `${JSON.stringify({ rules: this.rules }, null, 2)}\n`);
  }
}

function matches(c: CompiledRule, r: AnomalyRecord): boolean {
  const m = c.rule.match;
  if (m.service !== undefined && m.service !== r.service.name) return false;
  if (m.type !== undefined && m.type !== r.anomaly.type) return false;
  if (m.template !== undefined && !r.anomaly.templates.includes(m.template) && !r.anomaly.summary.includes(m.template)) return false;
  if (c.text && !c.text.test(r.anomaly.summary) && !r.anomaly.evidence.some((e) => c.text!.test(e))) return false;
  return true;
}
