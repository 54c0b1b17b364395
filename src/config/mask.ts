/** Masks secret values before the effective configuration is printed. */
const SECRET_KEY = /(password|passwd|secret|token|api_key|apikey|shared_key|routing_key|authorization|webhook_url)$/i;

export function maskSecrets(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v, k)]));
  }
  if (SECRET_KEY.test(key) && value !== undefined && value !== null && value !== '') return '********';
  return value;
}
