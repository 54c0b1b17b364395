/**
 * Drain's fixed-depth prefix tree (He et al., ICWS 2017, §3.2–3.3): the first
 * layer is keyed by token count, the next `depth - 2` layers by the leading
 * tokens, and leaves hold the clusters to compare a message against. Tokens
 * holding a variable (a placeholder or a digit) route to the `<*>` child, as
 * does any token once a node has `maxChildren` children, so the tree stays
 * bounded whatever the input.
 */
import { WILDCARD } from './masks/placeholders.js';

export class TreeNode<C> {
  readonly children = new Map<string, TreeNode<C>>();
  readonly clusters: C[] = [];
  constructor(
    readonly key: string,
    readonly parent: TreeNode<C> | undefined,
  ) {}
}

const hasDigit = (t: string): boolean => {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
};

/** The first layer's keys, token counts as text: made once each rather than converted for every line. */
const COUNT_KEYS = Array.from({ length: 256 }, (_, n) => String(n));
const countKey = (n: number): string => (n < COUNT_KEYS.length ? COUNT_KEYS[n] : String(n));

export class PrefixTree<C> {
  private readonly root = new TreeNode<C>('', undefined);

  constructor(
    private readonly routingTokens: number,
    private readonly maxChildren: number,
  ) {}

  /** The leaf a message's clusters live in, or undefined when no cluster could match it. */
  find(tokens: readonly string[], masked: Uint8Array): TreeNode<C> | undefined {
    let node = this.root.children.get(countKey(tokens.length));
    const levels = Math.min(this.routingTokens, tokens.length);
    for (let i = 0; i < levels && node; i++) {
      const t = tokens[i];
      node = (masked[i] === 0 ? node.children.get(t) : undefined) ?? node.children.get(WILDCARD);
    }
    return node;
  }

  /** The leaf a new cluster for this message goes to, creating nodes on the way; `path` receives the keys taken. */
  place(tokens: readonly string[], masked: Uint8Array, path: string[]): TreeNode<C> {
    const levels = Math.min(this.routingTokens, tokens.length);
    let node = this.child(this.root, countKey(tokens.length), path);
    for (let i = 0; i < levels; i++) {
      const t = tokens[i];
      if (masked[i] === 0 && node.children.has(t)) node = this.child(node, t, path);
      else if (masked[i] === 1 || hasDigit(t)) node = this.child(node, WILDCARD, path);
      else {
        const hasWildcard = node.children.has(WILDCARD);
        const room = this.maxChildren - node.children.size - (hasWildcard ? 0 : 1);
        node = this.child(node, room > 0 ? t : WILDCARD, path);
      }
    }
    return node;
  }

  /** The leaf at a saved path, creating nodes as needed. */
  at(path: readonly string[]): TreeNode<C> {
    let node = this.root;
    for (const key of path) node = this.child(node, key, undefined);
    return node;
  }

  /** Removes a cluster from its leaf and prunes nodes left empty, so eviction frees the tree too. */
  remove(leaf: TreeNode<C>, cluster: C): void {
    const i = leaf.clusters.indexOf(cluster);
    if (i >= 0) leaf.clusters.splice(i, 1);
    let node: TreeNode<C> | undefined = leaf;
    while (node?.parent && node.clusters.length === 0 && node.children.size === 0) {
      node.parent.children.delete(node.key);
      node = node.parent;
    }
  }

  private child(node: TreeNode<C>, key: string, path: string[] | undefined): TreeNode<C> {
    let next = node.children.get(key);
    if (!next) {
      next = new TreeNode<C>(key, node);
      node.children.set(key, next);
    }
    path?.push(key);
    return next;
  }
}
