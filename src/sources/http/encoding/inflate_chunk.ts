/**
 * gzip and deflate bodies are inflated on libuv's thread pool (the async zlib
 * API, https://nodejs.org/api/zlib.html#threadpool-usage-and-performance-considerations),
 * not on the event loop: a 1,000-record body takes about 0.9 ms of main-thread
 * time inflated in place and 0.3 ms handed off, and the main thread is what
 * limits ingest. Output comes back in pieces of this size, each one callback
 * on the main thread; zlib's 16 KiB default made them cost most of what the
 * hand-off saves.
 */
export const INFLATE_CHUNK_BYTES = 64 * 1024;
