import { LlmConfigSchema } from './src/analysis/llm/config.js';
console.log(JSON.stringify(LlmConfigSchema.parse({breaker:{failures:2}}).breaker), JSON.stringify(LlmConfigSchema.parse({}).redaction));
