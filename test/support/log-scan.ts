/**
 * After the whole run: every log line the tests made (test/support/test-logger.ts) is read
 * back, and the run fails if one holds a whole phone number or writes a key twice (a JSON
 * reader would keep one of the two at random).
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_LOG_DIR } from './test-logger.js';

/** A whole Chinese mobile number, standing alone. */
const WHOLE_MOBILE = /(?<![\d*])1[3-9]\d{9}(?![\d*])/;
/** A UUID's hex may hold 11 digits that read like a mobile (`…-d17267684095`): not a number. */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export function holdsWholeMobile(line: string): boolean {
  return WHOLE_MOBILE.test(line.replace(UUID, '<uuid>'));
}

export interface LogFault {
  file: string;
  line: string;
  why: string;
}

export function clearTestLogs(): void {
  rmSync(TEST_LOG_DIR, { recursive: true, force: true });
}

export function scanTestLogs(): { lines: number; faults: LogFault[] } {
  let files: string[];
  try {
    files = readdirSync(TEST_LOG_DIR).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return { lines: 0, faults: [] };
  }
  let lines = 0;
  const faults: LogFault[] = [];
  for (const file of files) {
    for (const line of readFileSync(join(TEST_LOG_DIR, file), 'utf8').split('\n')) {
      if (!line) continue;
      lines++;
      if (holdsWholeMobile(line)) faults.push({ file, line, why: 'a whole phone number' });
      const repeated = repeatedKey(line);
      if (repeated) faults.push({ file, line, why: `the key "${repeated}" twice` });
    }
  }
  return { lines, faults };
}

/** The first key that appears twice in one object of the line, if any. */
export function repeatedKey(line: string): string | undefined {
  let found: string | undefined;
  const seen: Array<Set<string>> = [];
  // JSON.parse hides repeats (the last one wins), so tokenise: a key is a string followed by
  // a colon, counted per object.
  let depth = 0;
  const token = /"((?:[^"\\]|\\.)*)"\s*(:)?|[{}[\]]/g;
  for (const m of line.matchAll(token)) {
    const t = m[0];
    if (t === '{') seen[++depth] = new Set();
    else if (t === '}') depth--;
    else if (t === '[' || t === ']') continue;
    else if (m[2] === ':') {
      const keys = seen[depth] ?? (seen[depth] = new Set());
      if (keys.has(m[1]!)) return (found ??= m[1]);
      keys.add(m[1]!);
    }
  }
  return found;
}
