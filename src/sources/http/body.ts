/**
 * Reads a request body into memory with a hard byte limit: the declared
 * Content-Length is checked first, and reading stops the moment the received
 * bytes pass the limit (chunked uploads included), so an oversized request
 * never occupies more than max_body_bytes.
 */
import type { IncomingMessage } from 'node:http';
import { PayloadTooLargeError } from './errors.js';

export class ClientAbortedError extends Error {
  constructor() {
    super('client closed the connection before the body was complete');
    this.name = 'ClientAbortedError';
  }
}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    return Promise.reject(new PayloadTooLargeError('max_body_bytes', maxBytes, `Content-Length ${declared} is too large`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (err?: Error) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks, total));
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        chunks.length = 0;
        // Keep discarding what is still in flight so the 413 can be written.
        req.resume();
        finish(new PayloadTooLargeError('max_body_bytes', maxBytes, `body is larger than ${maxBytes} bytes`));
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => finish();
    const onAbort = () => finish(new ClientAbortedError());
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onAbort);
  });
}
