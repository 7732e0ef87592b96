/** Hand-off ports and a ticket backend that only write down what they were asked. */
import type { FlowResult } from '../../../src/calls/ports/call-flow.js';
import type { IvrPorts } from '../../../src/ivr/ports/handoff.js';
import type { TicketStatus, TicketStatusLookup } from '../../../src/ivr/ports/ticket-status.js';

export interface PortCall {
  port: keyof IvrPorts;
  request: Record<string, unknown>;
}

export function recordingPorts(options: { failEmergency?: number } = {}): IvrPorts & { calls: PortCall[] } {
  const calls: PortCall[] = [];
  let emergencyFailures = options.failEmergency ?? 0;
  const handedOff: FlowResult = { then: 'handed-off', outcome: 'transferred' };
  return {
    calls,
    // The emergency hook a queued caller keeps is a function: recorded as its key only.
    queue: { enqueue: async (_call, { emergency, ...request }) => (calls.push({ port: 'queue', request: { ...request, ...(emergency ? {} : { emergency: 'missing' }) } }), handedOff) },
    emergency: {
      transfer: async (_call, request) => {
        calls.push({ port: 'emergency', request: { ...request } });
        if (emergencyFailures-- > 0) throw new Error('trunk down');
        return handedOff;
      },
    },
    callbackRequest: { request: async (_call, request) => (calls.push({ port: 'callbackRequest', request: { ...request } }), handedOff) },
    numberTransfer: { transfer: async (_call, request) => (calls.push({ port: 'numberTransfer', request: { ...request } }), handedOff) },
  };
}

/** The ticket backend: known tickets answer, others are null; `hang` never answers (a slow backend). */
export class TicketBackendDouble implements TicketStatusLookup {
  readonly asked: string[] = [];
  hang = false;
  fail = false;
  sawAbort = false;

  constructor(private readonly tickets: Record<string, Omit<TicketStatus, 'ticketNumber'>> = {}) {}

  statusOf(ticketNumber: string, signal: AbortSignal): Promise<TicketStatus | null> {
    this.asked.push(ticketNumber);
    if (this.fail) return Promise.reject(new Error('backend 503'));
    if (this.hang) {
      return new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          this.sawAbort = true;
          reject(signal.reason as Error);
        });
      });
    }
    const found = this.tickets[ticketNumber];
    return Promise.resolve(found ? { ticketNumber, ...found } : null);
  }
}
