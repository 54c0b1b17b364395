/**
 * How surprising a template's count in a window is, given how often the
 * stream produced it before: the chance that a line shape the stream always
 * had, at a steady (unknown) share, would put at least `count` of its
 * `earlier + count` lines into this window of `windowLines`, after
 * `earlierLines` lines of history. Conditioned on the total, the lines fall
 * into the window as a binomial draw with p = windowLines / (earlierLines +
 * windowLines), so the chance is a binomial upper tail.
 *
 * For a never-seen shape (earlier = 0) it is p^count: one new line in a
 * window after a thousand quiet lines is a 2% chance (plausibly a rare but
 * normal line the short history missed), after a hundred thousand 0.02%.
 * For a shape that recurs at its usual rate the chance is large, however low
 * its share; only a burst or a return after a long absence makes it small.
 *
 * The rate signal asks a simpler question of a line shape it has a baseline
 * for: the chance of a count at least this far from the moving mean if the
 * count were Poisson with that mean (`poissonUpperTail`, `poissonLowerTail`).
 *
 * Pure. Exact where it matters (small chances); on the near side of the mean,
 * where the tail is about one half or more and no threshold cares, it is 1.
 */

/** Terms this small against the running sum no longer change the tail. */
const NEGLIGIBLE = 1e-12;

export function steadyRateChance(earlier: number, count: number, windowLines: number, earlierLines: number): number {
  if (count <= 0) return 1;
  const p = windowLines / (earlierLines + windowLines);
  return binomialTail(earlier + count, count, p);
}

/** P(X >= k) for X ~ Binomial(n, p); 1 when k is at or below the mean n·p. */
export function binomialTail(n: number, k: number, p: number): number {
  if (k <= 0 || p >= 1) return 1;
  if (k > n || p <= 0) return 0;
  if (k <= n * p) return 1;
  // Past the mean the terms only fall, so summing from k until they vanish is exact to NEGLIGIBLE.
  let term = Math.exp(lnChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
  let sum = term;
  const odds = p / (1 - p);
  for (let i = k; i < n && term > sum * NEGLIGIBLE; i++) {
    term *= ((n - i) / (i + 1)) * odds;
    sum += term;
  }
  return Math.min(1, sum);
}

/** P(X >= k) for X ~ Poisson(mean); 1 when k is at or below the mean. */
export function poissonUpperTail(mean: number, k: number): number {
  if (k <= 0) return 1;
  if (mean <= 0) return 0;
  if (k <= mean) return 1;
  // Past the mean the terms only fall, so summing from k until they vanish is exact to NEGLIGIBLE.
  let term = Math.exp(lnPoissonTerm(mean, k));
  let sum = term;
  for (let i = k + 1; term > sum * NEGLIGIBLE; i++) {
    term *= mean / i;
    sum += term;
  }
  return Math.min(1, sum);
}

/** P(X <= k) for X ~ Poisson(mean); 1 when k is at or above the mean. */
export function poissonLowerTail(mean: number, k: number): number {
  if (k < 0) return 0;
  if (k >= mean) return 1;
  // Below the mean the terms fall towards 0, so summing down from k is exact to NEGLIGIBLE.
  let term = Math.exp(lnPoissonTerm(mean, k));
  let sum = term;
  for (let i = k; i > 0 && term > sum * NEGLIGIBLE; i--) {
    term *= i / mean;
    sum += term;
  }
  return Math.min(1, sum);
}

/** ln P(X = k) for X ~ Poisson(mean), mean > 0. */
function lnPoissonTerm(mean: number, k: number): number {
  let lnFactorial = 0;
  for (let j = 2; j <= k; j++) lnFactorial += Math.log(j);
  return -mean + k * Math.log(mean) - lnFactorial;
}

function lnChoose(n: number, k: number): number {
  const m = Math.min(k, n - k);
  let s = 0;
  for (let j = 1; j <= m; j++) s += Math.log((n - m + j) / j);
  return s;
}
