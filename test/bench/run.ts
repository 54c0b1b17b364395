/**
 * `npm run bench [name…]`: runs the benchmarks and prints their figures.
 * Benchmarks that read the Loghub samples in ../shared/datasets say so and
 * skip them when ../shared is absent (a fresh clone); the datasets are never
 * copied into this repository (their licence is research-only).
 */
const BENCHES: Record<string, () => Promise<void>> = {
  serve: async () => (await import('./serve.js')).benchServe(),
  ingest: async () => (await import('./ingest.js')).benchIngest(),
  decode: async () => (await import('./decode.js')).benchDecode(),
  parsing: async () => (await import('./parsing.js')).benchParsing(),
  tokens: async () => (await import('./tokens.js')).benchTokens(),
  file: async () => (await import('./file_read.js')).benchFileRead(),
  quality: async () => (await import('./quality.js')).benchQuality(),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in BENCHES));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}\n`);
  process.exit(2);
}
process.env.LOOKOUT_LOG_LEVEL ??= 'silent';
for (const name of wanted.length > 0 ? wanted : Object.keys(BENCHES)) {
  process.stdout.write(`\n=== ${name} ===\n`);
  await BENCHES[name]();
}
