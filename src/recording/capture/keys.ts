/** Every Redis key the call recorder owns, named once, under `<prefix>recording:capture:`. */
import { keyspace } from '../../redis/connection.js';

export interface CaptureKeys {
  /**
   * Hash: call id → JSON of a recording not yet handed over (its manifest fields and how far
   * the hand-over got). Written when the recording starts, removed once Asterisk's copy is
   * deleted after the archive confirmed: a restarted service finds here what to finish.
   */
  pending(): string;
}

export function captureKeys(prefix: string): CaptureKeys {
  const k = keyspace(`${prefix}recording:capture:`);
  return { pending: () => k('pending') };
}
