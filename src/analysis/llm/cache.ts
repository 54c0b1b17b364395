/**
 * Answer cache: validated model answers keyed by the SHA-256 of what the model
 * was shown (model, service context and the redacted window view), in an LRU
 * of `cache_size` entries (lru-cache, https://github.com/isaacs/node-lru-cache).
 * A repeated window (a crash loop logging the same lines) is asked once.
 * Cached answers are grounded again against each new window, so a hit can
 * never bring in evidence the new window does not contain.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { LlmAnswer } from './schema.js';

export class AnswerCache {
  private readonly lru: LRUCache<string, LlmAnswer> | undefined;

  constructor(maxEntries: number) {
    this.lru = maxEntries > 0 ? new LRUCache({ max: maxEntries }) : undefined;
  }

  static key(parts: readonly string[]): string {
    const h = createHash('sha256');
    for (const part of parts) h.update(part).update('\u0000');
    return h.digest('hex');
  }

  get(key: string): LlmAnswer | undefined {
    return this.lru?.get(key);
  }

  set(key: string, answer: LlmAnswer): void {
    this.lru?.set(key, answer);
  }
}
