/**
 * TemplateMiner: streaming log-template mining after Drain (He et al.,
 * "Drain: An Online Log Parsing Approach with Fixed Depth Tree", ICWS 2017,
 * https://jiemingzhu.github.io/pub/pjhe_icws2017.pdf), as in Drain3
 * (https://github.com/logpai/Drain3).
 *
 * Per message: tokenize on whitespace, mask variables (./masks, token count
 * preserved), walk the prefix tree (./tree.ts) to a leaf, and join the most
 * similar cluster there if it reaches `similarity_threshold`; otherwise start
 * a new cluster. Matching a cluster turns the positions that differ into
 * `<*>`. When the leaf holds no match, the other clusters of the same token
 * count are searched under a stricter threshold (the leading tokens the tree
 * routes by may be an identifier that varies), and a cluster found that way
 * is filed under the message's leaf as well. A message whose length varies
 * (an optional `(1.16 KB)`) lands in a different length layer; with
 * `merge_variable_length` a new cluster whose constant tokens equal those of
 * an existing template joins that template instead of becoming a new one.
 *
 * Guarantees: at most `max_templates` templates (least recently used evicted,
 * together with their tree nodes and layer entries); at most 256 clusters
 * compared per layer search; ids are assigned once, when a template is
 * created, and survive save/load; `add` never throws on content.
 */
import { readFile } from 'node:fs/promises';
import { LRUCache } from 'lru-cache';
import { writeFileAtomically } from '../../common/atomic_write.js';
import { MinerConfigSchema, type MinerConfig } from './config.js';
import { TemplateStateError } from './errors.js';
import { maskEchoedNames } from './masks/echo.js';
import { maskTokens, type ExtraMask } from './masks/mask.js';
import { WILDCARD } from './masks/placeholders.js';
import { similarity } from './similarity.js';
import { isUnmaskedValue } from './token-shape.js';
import { CONSTANT, KEY_WILD, WILD, keyMatch, sharedKey, slotOf } from './slots.js';
import { MINER_STATE_VERSION, MinerStateSchema, type MinerState, type TemplateState } from './state.js';
import { templateId } from './template-id.js';
import { LineShape, tokenize } from './tokenize.js';
import { PrefixTree, type TreeNode } from './tree.js';

export { MinerConfigSchema, type MinerConfig } from './config.js';
export type { MinerState } from './state.js';

export interface TemplateInfo {
  id: string;
  template: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  examples: string[];
}

export interface TemplateMatch {
  id: string;
  template: string;
  /** True when this message created the template. */
  isNew: boolean;
  /** The message's tokens as written, before masking and before any cut at `max_tokens` (values are read from them). */
  tokens: readonly string[];
}

/** One token-count variant of a template, living in one tree leaf. */
interface Cluster {
  tokens: string[];
  /** Slot code per position (./slots.ts). */
  variable: Uint8Array;
  text: string;
  path: string[];
  leaf: TreeNode<Cluster>;
  /** Further leaves the cluster was reached from across its layer (./tree.ts routes by leading tokens). */
  aliases: TreeNode<Cluster>[];
  template: Template;
}

interface Template {
  id: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  examples: string[];
  clusters: Cluster[];
  /** Constant-token keys this template is indexed under for the variable-length merge. */
  keys: string[];
}

/** A template collects at most this many token-count variants; more means the lines are not one event. */
const MAX_CLUSTERS_PER_TEMPLATE = 16;
/** The variable-length merge needs this much constant text to be sure two shapes are one event. */
const MIN_KEY_CONSTANTS = 2;
const MAX_ID_SALT = 64;

/**
 * A template that has taken this many lines is settled: a word that held its
 * place through all of them is the event's text, and a line with another plain
 * word there (`initialized by client SPP` after hundreds of `… client
 * WindowsUpdateAgent`) starts its own template instead of turning that word
 * into `<*>`. Below it, a differing word is still read as a value (user names).
 */
const SETTLED_LINES = 50;
/**
 * In a line this short every word is a large part of the event: a different
 * plain word makes a different event (`… - Begin` / `… - End`, `Ending
 * TrustedInstaller initialization.` / `… finalization.`), never a value.
 */
const SHORT_LINE_TOKENS = 4;
/** The search across a token-count layer asks for this much similarity at least: the leading tokens already differ. */
const LAYER_THRESHOLD = 0.8;
/** Clusters compared per search at most, so a layer crowded with distinct shapes stays cheap per line. */
const MAX_LAYER_SEARCH = 256;

export class TemplateMiner {
  readonly config: MinerConfig;
  private readonly tree: PrefixTree<Cluster>;
  private readonly lru: LRUCache<string, Template>;
  private readonly byKey = new Map<string, Template>();
  /** Clusters per token count, for the search across a layer when the tree's leaf has no match. */
  private readonly byLength = new Map<number, Cluster[]>();
  private readonly extraMasks: ExtraMask[];
  /** Scratch mask flags, reused across calls. */
  private scratch: Uint8Array;
  /** Scratch masked tokens, reused across calls: a line's masked tokens are kept (copied) only when they start a template. */
  private readonly maskedTokens: string[] = [];
  /** Scratch token shapes of the line being added. */
  private readonly shape: LineShape;
  /** The template whose recency was refreshed last: a run of its lines needs no further LRU bookkeeping. */
  private lastUsed?: Template;

  constructor(cfg: Partial<MinerConfig> = {}) {
    this.config = MinerConfigSchema.parse(cfg);
    this.tree = new PrefixTree<Cluster>(this.config.depth - 2, this.config.max_children);
    this.lru = new LRUCache<string, Template>({
      max: this.config.max_templates,
      dispose: (template) => this.forget(template),
    });
    this.extraMasks = this.config.extra_masks.map((m) => ({ name: m.name, pattern: new RegExp(m.pattern, 'g') }));
    this.scratch = new Uint8Array(this.config.max_tokens);
    this.shape = new LineShape(this.config.max_tokens);
  }

  get size(): number {
    return this.lru.size;
  }

  /** Learns from one message and returns its template. */
  add(message: string, timestamp: number = Date.now()): TemplateMatch {
    const raw = tokenize(message, this.shape);
    const tokens = this.prepare(raw, message);
    const masked = this.scratch;
    const leaf = this.tree.find(tokens, masked);
    let cluster = leaf ? this.best(leaf.clusters, tokens, masked, this.config.similarity_threshold) : undefined;
    if (!cluster) {
      cluster = this.acrossLayer(tokens, masked);
      if (cluster) this.alias(cluster, tokens);
    }
    if (cluster) {
      this.generalize(cluster, tokens);
      const template = cluster.template;
      this.use(template);
      this.touch(template, message, timestamp);
      return { id: template.id, template: template.clusters[0].text, isNew: false, tokens: raw };
    }
    return this.create(tokens, raw, message, timestamp);
  }

  /** The template `message` would join, without learning from it or refreshing recency. */
  match(message: string): TemplateMatch | undefined {
    const raw = tokenize(message, this.shape);
    const tokens = this.prepare(raw, message);
    const leaf = this.tree.find(tokens, this.scratch);
    const cluster =
      (leaf ? this.best(leaf.clusters, tokens, this.scratch, this.config.similarity_threshold) : undefined) ??
      this.acrossLayer(tokens, this.scratch);
    if (!cluster) return undefined;
    return { id: cluster.template.id, template: cluster.template.clusters[0].text, isNew: false, tokens: raw };
  }

  get(id: string): TemplateInfo | undefined {
    const template = this.lru.peek(id);
    return template ? info(template) : undefined;
  }

  /** Every live template, most recently used first. */
  templates(): TemplateInfo[] {
    return [...this.lru.values()].map(info);
  }

  toJSON(): MinerState {
    const templates: TemplateState[] = [];
    for (const t of this.lru.rvalues()) {
      if (!t) continue;
      templates.push({
        id: t.id,
        count: t.count,
        firstSeen: t.firstSeen,
        lastSeen: t.lastSeen,
        examples: [...t.examples],
        clusters: t.clusters.map((c) => ({
          path: [...c.path],
          tokens: [...c.tokens],
          variables: positions(c.variable),
        })),
      });
    }
    return { version: MINER_STATE_VERSION, templates };
  }

  static fromJSON(state: unknown, cfg: Partial<MinerConfig> = {}, source?: string): TemplateMiner {
    const parsed = MinerStateSchema.safeParse(state);
    if (!parsed.success) throw new TemplateStateError(source, parsed.error.issues.map(issueText).join('; '));
    const miner = new TemplateMiner(cfg);
    for (const saved of parsed.data.templates) miner.restore(saved, source);
    return miner;
  }

  /** Writes the state atomically (src/common/atomic_write.ts), so a crash mid-save keeps the previous file. */
  async save(path: string): Promise<void> {
    await writeFileAtomically(path, JSON.stringify(this.toJSON()));
  }

  static async load(path: string, cfg: Partial<MinerConfig> = {}): Promise<TemplateMiner> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new TemplateStateError(path, `cannot read: ${(err as Error).message}`, { cause: err });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new TemplateStateError(path, `not JSON: ${(err as Error).message}`, { cause: err });
    }
    return TemplateMiner.fromJSON(json, cfg, path);
  }

  /**
   * A masked copy of `raw` (tokenized into `this.shape`) in `this.maskedTokens` (flags in `this.scratch`),
   * valid until the next call; lines longer than `max_tokens` keep their head and end in `<*>`.
   */
  private prepare(raw: readonly string[], message: string): string[] {
    const max = this.config.max_tokens;
    const n = Math.min(raw.length, max);
    const tokens = this.maskedTokens;
    tokens.length = n;
    for (let i = 0; i < n; i++) tokens[i] = raw[i];
    if (raw.length > max) {
      tokens[max - 1] = WILDCARD;
      this.shape.flags[max - 1] = 0;
    }
    const masked = this.scratch;
    // A loop, not fill(): for a line's few flags the builtin's call costs more than the stores.
    for (let i = 0; i < n; i++) masked[i] = 0;
    // Names are looked for only in lines with a quoted value, where they echo (./masks/echo.ts): a cost other lines never pay.
    if (maskTokens(tokens, masked, this.extraMasks, this.shape)) maskEchoedNames(tokens, masked, message);
    if (tokens.length === max && tokens[max - 1] === WILDCARD) masked[max - 1] = 1;
    return tokens;
  }

  private best(
    clusters: readonly Cluster[],
    tokens: readonly string[],
    masked: Uint8Array,
    threshold: number,
    strictWords = false,
    limit = clusters.length,
  ): Cluster | undefined {
    let best: Cluster | undefined;
    let bestScore = -1;
    let bestWildcards = -1;
    const n = Math.min(clusters.length, limit);
    const strictLine = strictWords || tokens.length <= SHORT_LINE_TOKENS;
    for (let i = 0; i < n; i++) {
      const c = clusters[i];
      const strict = strictLine || c.template.count >= SETTLED_LINES;
      const { score, wildcards } = similarity(c.tokens, c.variable, tokens, masked, strict, bestScore > threshold ? bestScore : threshold);
      if (score > bestScore || (score === bestScore && wildcards > bestWildcards)) {
        best = c;
        bestScore = score;
        bestWildcards = wildcards;
      }
    }
    return best && bestScore >= threshold ? best : undefined;
  }

  /**
   * Drain routes by the leading tokens, so one event whose first words vary
   * (`com.apple.x.daily: … told me to run this job`) would split at the root.
   * When the leaf has no match, the message is compared with the other
   * clusters of its token count, under a stricter threshold and with any two
   * differing plain words vetoing (`boot (command 7)` / `halt (command 7)`
   * differ in their leading word because they are different events).
   */
  private acrossLayer(tokens: readonly string[], masked: Uint8Array): Cluster | undefined {
    const layer = this.byLength.get(tokens.length);
    return layer ? this.best(layer, tokens, masked, Math.max(this.config.similarity_threshold, LAYER_THRESHOLD), true, MAX_LAYER_SEARCH) : undefined;
  }

  /** Files a cluster found across its layer under this message's leaf too, so the next such line finds it by the tree. */
  private alias(cluster: Cluster, tokens: readonly string[]): void {
    const leaf = this.tree.place(tokens, this.scratch, []);
    if (leaf === cluster.leaf || cluster.aliases.includes(leaf)) return;
    leaf.clusters.push(cluster);
    cluster.aliases.push(leaf);
  }

  private generalize(cluster: Cluster, tokens: readonly string[]): void {
    let changed = false;
    const t = cluster.tokens;
    const slots = cluster.variable;
    for (let i = 0; i < t.length; i++) {
      const slot = slots[i];
      if (slot === WILD || t[i] === tokens[i] || (slot === KEY_WILD && keyMatch(t[i], tokens[i]) === 1)) continue;
      const key = slot === KEY_WILD ? undefined : sharedKey(t[i], tokens[i]);
      t[i] = key === undefined ? WILDCARD : key + WILDCARD;
      slots[i] = key === undefined ? WILD : KEY_WILD;
      changed = true;
    }
    if (!changed) return;
    cluster.text = t.join(' ');
    this.index(cluster);
  }

  private create(scratchTokens: readonly string[], raw: readonly string[], message: string, timestamp: number): TemplateMatch {
    const tokens = scratchTokens.slice();
    const masked = this.scratch;
    const path: string[] = [];
    const leaf = this.tree.place(tokens, masked, path);
    const variable = masked.slice(0, tokens.length);
    let template = this.config.merge_variable_length ? this.sameConstants(tokens, variable) : undefined;
    const isNew = template === undefined;
    if (!template) {
      template = { id: this.freshId(tokens), count: 0, firstSeen: timestamp, lastSeen: timestamp, examples: [], clusters: [], keys: [] };
    }
    const cluster: Cluster = { tokens, variable, text: tokens.join(' '), path, leaf, aliases: [], template };
    this.file(cluster);
    template.clusters.push(cluster);
    if (isNew) {
      this.lru.set(template.id, template);
      this.lastUsed = template;
    } else this.use(template);
    this.index(cluster);
    this.touch(template, message, timestamp);
    return { id: template.id, template: template.clusters[0].text, isNew, tokens: raw };
  }

  /** A live template whose constant tokens equal this message's, in another token-count layer. */
  private sameConstants(tokens: readonly string[], variable: Uint8Array): Template | undefined {
    const key = constantKey(tokens, variable);
    if (key === undefined) return undefined;
    const template = this.byKey.get(key);
    if (!template || template.clusters.length >= MAX_CLUSTERS_PER_TEMPLATE) return undefined;
    return template.clusters.some((c) => c.tokens.length === tokens.length) ? undefined : template;
  }

  private index(cluster: Cluster): void {
    if (!this.config.merge_variable_length) return;
    const key = constantKey(cluster.tokens, cluster.variable);
    if (key === undefined || this.byKey.has(key)) return;
    this.byKey.set(key, cluster.template);
    cluster.template.keys.push(key);
  }

  /** Makes `template` the most recently used. */
  private use(template: Template): void {
    if (template === this.lastUsed) return;
    this.lru.get(template.id);
    this.lastUsed = template;
  }

  private touch(template: Template, message: string, timestamp: number): void {
    template.count++;
    if (timestamp > template.lastSeen) template.lastSeen = timestamp;
    if (timestamp < template.firstSeen) template.firstSeen = timestamp;
    if (template.examples.length < this.config.max_examples) {
      const example = message.length > this.config.max_example_chars ? message.slice(0, this.config.max_example_chars) : message;
      if (!template.examples.includes(example)) template.examples.push(example);
    }
  }

  private freshId(tokens: readonly string[]): string {
    for (let salt = 0; salt < MAX_ID_SALT; salt++) {
      const id = templateId(tokens, salt);
      if (!this.lru.has(id)) return id;
    }
    throw new Error('template id space exhausted');
  }

  private file(cluster: Cluster): void {
    cluster.leaf.clusters.push(cluster);
    const layer = this.byLength.get(cluster.tokens.length);
    if (layer) layer.push(cluster);
    else this.byLength.set(cluster.tokens.length, [cluster]);
  }

  /** Eviction: drop the template's clusters from the tree, their layer and the merge keys. */
  private forget(template: Template): void {
    for (const c of template.clusters) {
      this.tree.remove(c.leaf, c);
      for (const a of c.aliases) this.tree.remove(a, c);
      const layer = this.byLength.get(c.tokens.length);
      const i = layer ? layer.indexOf(c) : -1;
      if (i >= 0) layer!.splice(i, 1);
      if (layer?.length === 0) this.byLength.delete(c.tokens.length);
    }
    for (const key of template.keys) if (this.byKey.get(key) === template) this.byKey.delete(key);
  }

  private restore(saved: TemplateState, source: string | undefined): void {
    if (this.lru.has(saved.id)) throw new TemplateStateError(source, `duplicate template id ${saved.id}`);
    const template: Template = {
      id: saved.id,
      count: saved.count,
      firstSeen: saved.firstSeen,
      lastSeen: saved.lastSeen,
      examples: saved.examples.slice(0, this.config.max_examples),
      clusters: [],
      keys: [],
    };
    for (const c of saved.clusters) {
      if (c.path[0] !== String(c.tokens.length) || c.variables.some((v) => v >= c.tokens.length)) {
        throw new TemplateStateError(source, `template ${saved.id}: path or variables do not fit its ${c.tokens.length} tokens`);
      }
      const variable = new Uint8Array(c.tokens.length);
      for (const v of c.variables) variable[v] = slotOf(c.tokens[v], true);
      const leaf = this.tree.at(c.path);
      const cluster: Cluster = { tokens: [...c.tokens], variable, text: c.tokens.join(' '), path: [...c.path], leaf, aliases: [], template };
      this.file(cluster);
      template.clusters.push(cluster);
    }
    this.lru.set(template.id, template);
    this.lastUsed = template;
    for (const c of template.clusters) this.index(c);
  }
}

/**
 * The constant tokens of a template, in order, `key=value` tokens by their key
 * alone (a value seen once is no part of the event) and unmasked values
 * (`an142`) left out, so a list of names of any length keys the same;
 * undefined when too few to identify an event.
 */
function constantKey(tokens: readonly string[], variable: Uint8Array): string | undefined {
  let key = '';
  let constants = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (variable[i] !== CONSTANT && variable[i] !== KEY_WILD) continue;
    const t = keyOf(tokens[i]);
    if (isUnmaskedValue(t)) continue;
    key += constants === 0 ? t : ' ' + t;
    constants++;
  }
  return constants >= MIN_KEY_CONSTANTS ? key : undefined;
}

/** `key=` of a `key=value` token (values vary between lines of one event), else the token. */
function keyOf(t: string): string {
  const eq = t.indexOf('=');
  return eq > 0 && eq < t.length - 1 ? t.slice(0, eq + 1) : t;
}

function positions(flags: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i] !== CONSTANT) out.push(i);
  return out;
}

function info(t: Template): TemplateInfo {
  return { id: t.id, template: t.clusters[0].text, count: t.count, firstSeen: t.firstSeen, lastSeen: t.lastSeen, examples: [...t.examples] };
}

function issueText(issue: { path: PropertyKey[]; message: string }): string {
  return `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`;
}
