/** Configuration errors name the bad key and where the value came from (file, env variable, flag). */
import type { z } from 'zod';

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length > 0 ? `${message}\n${problems.map((p) => `  - ${p}`).join('\n')}` : message);
    this.name = 'ConfigError';
  }
}

export function describeIssues(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    // One line per unknown key, so each can name the environment variable or flag it came from.
    if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => `${path === '(root)' ? '' : `${path}.`}${k}: unknown key`);
    return [`${path}: ${issue.message}`];
  });
}
