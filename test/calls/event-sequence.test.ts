/**
 * A call numbers its own domain events, 1, 2, 3 …, keeps the last number in its record
 * (stored before the event leaves), and a re-adopted call goes on after it.
 */
import { describe, expect, it } from 'vitest';
import type { AriPort } from '../../src/ari/port.js';
import { CallSession } from '../../src/calls/call-session.js';
import { DomainEventBus, PromptCatalog, type CallRecord, type DomainEvent } from '../../src/calls/index.js';
import { createTestLogger } from '../support/test-logger.js';

const log = createTestLogger();
// Answer and hangup are all these calls ask of Asterisk.
const ari = { answer: async () => undefined, hangup: async () => undefined } as unknown as AriPort;

function session(adopted?: CallRecord) {
  const bus = new DomainEventBus(log);
  const events: DomainEvent[] = [];
  bus.onAny((e) => void events.push(e));
  const saved: number[] = [];
  const call = new CallSession(
    {
      ari,
      bus,
      log,
      prompts: new PromptCatalog({} as never),
      maxPromptMs: 1000,
      // What the record holds when each change is stored.
      onRecordChange: (record) => void saved.push(record.lastEventSequence),
    },
    {
      channelId: 'ch-1',
      caller: { number: '13812345678', name: '' },
      dialled: '12345',
      line: 'main',
      ...(adopted ? { adopted: { record: adopted, channelUp: true } } : {}),
    },
  );
  // Every event leaves with its number already in the record the store was given.
  const storedBehind: number[] = [];
  bus.onAny((e) => void (saved.at(-1) !== e.sequence && storedBehind.push(e.sequence)));
  return { call, events, storedBehind };
}

describe('domain event sequence', () => {
  it('numbers a call’s events from 1 and keeps the last number in its record', async () => {
    const { call, events, storedBehind } = session();
    await call.run({
      run: async (ctx) => {
        ctx.recordStep({ node: 'main', input: '1', outcome: 'option-1' });
        ctx.publish('call.transferred', { target: '12315', kind: 'number', by: 'ivr' });
        return { then: 'handed-off', outcome: 'transferred' };
      },
    });
    call.end('StasisEnd');
    expect(events.map((e) => [e.type, e.sequence])).toEqual([
      ['call.started', 1],
      ['call.answered', 2],
      ['call.ivr-choice', 3],
      ['call.transferred', 4],
      ['call.ended', 5],
    ]);
    expect(call.record.lastEventSequence).toBe(5);
    expect(storedBehind).toEqual([]);
  });

  it('goes on after the stored number when a restarted service adopts the call', async () => {
    const first = session();
    await first.call.run({ run: async () => ({ then: 'handed-off', outcome: 'transferred' }) });
    const stored = JSON.parse(JSON.stringify(first.call.record)) as CallRecord;

    const { call, events } = session(stored);
    await call.run({
      run: async (ctx) => {
        ctx.publish('call.transferred', { target: '12315', kind: 'number', by: 'ivr' });
        return { then: 'handed-off', outcome: 'transferred' };
      },
    });
    call.end('StasisEnd');
    expect(call.callId).toBe(first.call.callId);
    expect(events.map((e) => [e.type, e.sequence])).toEqual([
      ['call.transferred', 3],
      ['call.ended', 4],
    ]);
  });
});
