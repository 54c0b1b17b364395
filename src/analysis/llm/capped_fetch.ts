/**
 * fetch for the model endpoint that reads at most `maxBytes` of a response
 * body (llm.max_response_bytes): refused at once by a larger Content-Length,
 * otherwise counted as it streams; past the cap the body errors with
 * ResponseTooLargeError and the read is cancelled, which drops the connection.
 * Used by every client of the endpoint (analysis requests and the start-up
 * probe), so a runaway or hostile server cannot fill the heap.
 */
import { ResponseTooLargeError } from './errors.js';

export function cappedFetch(maxBytes: number): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    if (!res.body) return res;
    if (Number(res.headers.get('content-length')) > maxBytes) {
      await res.body.cancel();
      return new Response(erroring(new ResponseTooLargeError(maxBytes)), res);
    }
    let seen = 0;
    const capped = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > maxBytes) controller.error(new ResponseTooLargeError(maxBytes));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(capped, res);
  };
}

function erroring(err: Error): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (controller) => controller.error(err) });
}
