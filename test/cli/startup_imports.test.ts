/**
 * What each command loads before it runs. Every module is compiled at start-up,
 * so a static import of the HTTP framework or the OpenAI SDK costs
 * `lookout --version` and every `lookout analyze` a tenth of a second or more
 * each, whether or not the run uses them. This follows the static imports of
 * the sources (type-only imports are erased by the compiler; `import()` is
 * lazy) and names the packages each entry point reaches.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const STATIC_IMPORT = /^(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** Packages reached from `entry` (a path under src/) by static, value imports, each with the chain that reaches it. */
function packagesReached(entry: string): Map<string, string[]> {
  const packages = new Map<string, string[]>();
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(STATIC_IMPORT)) {
      const [, , typeOnly, spec] = m;
      if (typeOnly) continue;
      const here = [...chain, file.slice(SRC.length + 1)];
      if (spec.startsWith('.')) walk(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), here);
      else if (!spec.startsWith('node:')) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!packages.has(name)) packages.set(name, here);
      }
    }
  };
  walk(join(SRC, entry), []);
  return packages;
}

describe('start-up imports', () => {
  it('the walker sees the packages a module imports, and the chain to them', () => {
    const serve = packagesReached('commands/serve.ts');
    expect(serve.get('express')).toContain('topology/index.ts');
    expect([...serve.keys()]).toEqual(expect.arrayContaining(['express', 'zod', '@fluent-org/logger', 'prom-client']));
  });

  it('`lookout --version` and `--help` load no command: commander, and zod for the flags, only', () => {
    expect([...packagesReached('cli.ts').keys()].sort()).toEqual(['commander', 'zod']);
  });

  it('`lookout analyze` loads neither the HTTP framework, the OpenAI SDK nor the Forward client unless a run needs them', () => {
    const reached = packagesReached('commands/analyze.ts');
    for (const pkg of ['express', 'openai', '@fluent-org/logger']) expect(reached.get(pkg), `${pkg} via`).toBeUndefined();
  });

  it('a shard worker loads no HTTP, LLM or sink code', () => {
    const reached = packagesReached('topology/shards/worker.ts');
    for (const pkg of ['express', 'openai', '@fluent-org/logger', 'prom-client']) expect(reached.get(pkg), `${pkg} via`).toBeUndefined();
  });
});
