/**
 * What one sink received, as a ticket backend would keep it: each event once, by its
 * idempotency key (X-Hotline-Event-Id), in arrival order; repeats are counted, not stored.
 */
export interface ReceivedMessage {
  eventId: string;
  callId: string;
  sequence: number;
  type: string;
  receivedAt: number;
  body: Record<string, unknown>;
}

export class SinkRecorder {
  readonly messages: ReceivedMessage[] = [];
  private readonly seen = new Set<string>();
  /** Requests carrying an idempotency key already recorded. */
  duplicates = 0;
  /** Requests refused (bad signature, stale, bad body), with the reason. */
  readonly refused: string[] = [];

  /** Records a message; false when its key was seen before. */
  record(message: ReceivedMessage): boolean {
    if (this.seen.has(message.eventId)) {
      this.duplicates++;
      return false;
    }
    this.seen.add(message.eventId);
    this.messages.push(message);
    return true;
  }

  has(eventId: string): boolean {
    return this.seen.has(eventId);
  }

  ofCall(callId: string): ReceivedMessage[] {
    return this.messages.filter((m) => m.callId === callId);
  }
}
