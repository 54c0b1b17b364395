/**
 * Java logging lines in the shapes log4j / logback layouts produce
 * (https://logging.apache.org/log4j/2.x/manual/pattern-layout.html), as written
 * by Hadoop, HDFS, Spark, Zookeeper, Kafka and most JVM services:
 * - `2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster`
 *   (`%d %p [%t] %c: %m`);
 * - `2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0.0.0.0:2181:FastLeaderElection@774] - Notification time out: 3200`
 *   (Zookeeper: `%d - %-5p [%t:%C{1}@%L] - %m`);
 * - `2024-05-01 12:00:00,123 [main] INFO  com.example.App - Started` (`%d [%t] %-5p %c - %m`);
 * - `17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers` (Spark, `%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m`);
 * - `081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating` (HDFS: `yyMMdd HHmmss`, then a thread id).
 * Fields: timestamp (two-digit years are 20yy; no zone is UTC), level,
 * `thread`, `component` (the logger / class; Zookeeper's `Class@line` keeps
 * the class) and the message. The logger must look like a Java name (a dot,
 * or a capital first letter) so `2024-… ERROR payments: …` stays `plain`. Pure.
 */
import { levelFromValue } from '../normalize.js';
import { utcMillis, zoneOffsetMinutes } from './calendar.js';

const ISO_STAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?\s+/;
const SLASH_STAMP = /^(\d{2})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s+/;
const COMPACT_STAMP = /^(\d{2})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2}) (\d+)\s+/;
const LEVEL = /^(?:-\s+)?([A-Za-z]+)\s+/;
const LOGGER = /^([A-Za-z_$][\w$]*(?:\.[\w$]+)*)(?::\s|\s+-\s)/;
const JAVA_NAME = /\.|^[A-Z]/;
const ZK_THREAD = /^(.*):([\w$]+(?:\.[\w$]+)*)@\d+$/;

/** The bracketed thread name at the start of `text` (brackets may nest); its end offset, or -1. */
function bracketEnd(text: string): number {
  if (text[0] !== '[') return -1;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']' && --depth === 0) return i + 1;
  }
  return -1;
}

function readStamp(line: string): { timestamp: number; rest: string; pid?: string } | undefined {
  let m = ISO_STAMP.exec(line);
  if (m) {
    const t = utcMillis(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7], m[8] ? zoneOffsetMinutes(m[8]) : 0);
    return t === undefined ? undefined : { timestamp: t, rest: line.slice(m[0].length) };
  }
  m = SLASH_STAMP.exec(line) ?? COMPACT_STAMP.exec(line);
  if (!m) return undefined;
  const compact = m[0].includes('/') === false;
  const t = utcMillis(2000 + +m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], compact ? '' : m[7]);
  if (t === undefined) return undefined;
  return { timestamp: t, rest: line.slice(m[0].length), pid: compact ? m[7] : undefined };
}

export function parseLog4jLine(line: string): Record<string, unknown> | undefined {
  const stamp = readStamp(line);
  if (!stamp) return undefined;
  const out: Record<string, unknown> = { timestamp: stamp.timestamp };
  if (stamp.pid !== undefined) out.thread = stamp.pid;
  let rest = stamp.rest;

  const takeThread = (): void => {
    const end = bracketEnd(rest);
    if (end < 0) return;
    out.thread = rest.slice(1, end - 1);
    rest = rest.slice(end).trimStart();
  };
  takeThread();
  const level = LEVEL.exec(rest);
  if (!level || levelFromValue(level[1]) === undefined) return undefined;
  out.level = level[1];
  rest = rest.slice(level[0].length);
  if (out.thread === undefined) takeThread();

  const zk = typeof out.thread === 'string' ? ZK_THREAD.exec(out.thread) : null;
  if (zk && rest.startsWith('- ')) {
    out.thread = zk[1];
    out.component = zk[2];
    out.message = rest.slice(2);
    return out;
  }
  const logger = LOGGER.exec(rest);
  if (!logger || !JAVA_NAME.test(logger[1])) return undefined;
  out.component = logger[1];
  out.message = rest.slice(logger[0].length).trimStart();
  return out;
}
