/** `lookout config check`: validates the configuration and prints the effective one, secrets masked. */
import { stringify } from 'yaml';
import { loadConfig, type LoadOptions } from '../config/load.js';
import { maskSecrets } from '../config/mask.js';

export async function runConfigCheck(opts: LoadOptions, stdout: NodeJS.WritableStream): Promise<number> {
  const config = await loadConfig(opts);
  stdout.write(stringify(maskSecrets(config)));
  return 0;
}
