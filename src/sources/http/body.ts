/**
 * Reads a request body into memory with a hard byte limit: the declared
 * Content-Length is checked first, and reading stops the moment the received
 * bytes pass the limit (chunked uploads included), so an oversized request
 * never occupies more than max_body_bytes. Every chunk kept is also taken
 * from the source's InflightBytes, shared by all connections; when that is
 * full the request is refused (503) instead of buffered. On success the
 * caller owns the body's bytes and gives them back when done with it.
 */
import type { IncomingMessage } from 'node:http';
import type { InflightBytes } from '../inflight.js';
import { OverloadedError, PayloadTooLargeError } from './errors.js';

/** Retry-After when the in-flight cap is reached: bodies drain within seconds, or time out. */
const OVERLOADED_RETRY_AFTER_SECONDS = 5;

export class ClientAbortedError extends Error {
  constructor() {
    super('client closed the connection before the body was complete');
    this.name = 'ClientAbortedError';
  }
}

export function readBody(req: IncomingMessage, maxBytes: number, inflight: InflightBytes): Promise<Buffer> {
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
      if (err) {
        inflight.release(total);
        reject(err);
      } else resolve(Buffer.concat(chunks, total));
    };
    const refuse = (err: Error) => {
      chunks.length = 0;
      // Keep discarding what is still in flight so the refusal can be written.
      req.resume();
      finish(err);
    };
    const onData = (chunk: Buffer) => {
      if (total + chunk.length > maxBytes) {
        refuse(new PayloadTooLargeError('max_body_bytes', maxBytes, `body is larger than ${maxBytes} bytes`));
      } else if (!inflight.tryAcquire(chunk.length)) {
        refuse(new OverloadedError(inflight.limit, OVERLOADED_RETRY_AFTER_SECONDS));
      } else {
        total += chunk.length;
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
