/**
 * Placeholder tokens: what a masked variable reads as in a template. A masked
 * value keeps its surrounding punctuation (`key=<num>`, `/<ip>:<num>`) so the
 * token count of a line never changes. `<*>` marks positions the miner itself
 * found to vary.
 */

export const WILDCARD = '<*>';

export const PLACEHOLDER = {
  num: '<num>',
  hex: '<hex>',
  ip: '<ip>',
  uuid: '<uuid>',
  duration: '<dur>',
  size: '<size>',
  path: '<path>',
  url: '<url>',
  email: '<email>',
  quoted: '<str>',
  date: '<date>',
  name: '<name>',
} as const;
