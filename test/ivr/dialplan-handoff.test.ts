/** The default hand-off: channel variables first, then back to the dialplan; nothing pretends. */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDialplanHandoff, findMissingSounds } from '../../src/ivr/index.js';
import { FakeCall } from './support/fake-call.js';

describe('dialplan hand-off', () => {
  const ports = createDialplanHandoff({ context: 'hotline-ivr-handoff' });

  it('queue: sets queue, skill and priority (QUEUE_PRIO for app_queue), then continues in the dialplan', async () => {
    const call = new FakeCall();
    const result = await ports.queue.enqueue(call, { queue: 'general', skill: 'general', priority: 9, line: 'main', reason: 'priority-caller' });
    expect(result).toEqual({ then: 'handed-off', outcome: 'transferred' });
    const vars = call.ariCalls.filter((c) => c.method === 'setVariable').map((c) => [c.args[1], c.args[2]]);
    expect(Object.fromEntries(vars)).toEqual({
      HOTLINE_CALL_ID: call.callId,
      HOTLINE_LINE: 'main',
      HOTLINE_QUEUE: 'general',
      HOTLINE_SKILL: 'general',
      HOTLINE_PRIORITY: '9',
      QUEUE_PRIO: '9',
    });
    expect(call.ariCalls.at(-1)).toEqual({ method: 'continueInDialplan', args: ['chan-1', { context: 'hotline-ivr-handoff', extension: 'queue', priority: 1 }] });
    expect(call.published).toEqual([{ type: 'call.transferred', data: { target: 'queue:general', kind: 'queue', by: 'ivr' } }]);
  });

  it('emergency and transfer go to their own extensions with the route / number', async () => {
    const call = new FakeCall();
    await ports.emergency.transfer(call, { route: 'emergency-linkage' });
    await ports.numberTransfer.transfer(call, { number: '96345' });
    const continued = call.ariCalls.filter((c) => c.method === 'continueInDialplan').map((c) => (c.args[1] as { extension: string }).extension);
    expect(continued).toEqual(['emergency', 'transfer']);
    expect(call.ariCalls.some((c) => c.method === 'setVariable' && c.args[1] === 'HOTLINE_ROUTE' && c.args[2] === 'emergency-linkage')).toBe(true);
    expect(call.ariCalls.some((c) => c.method === 'setVariable' && c.args[1] === 'HOTLINE_TRANSFER_NUMBER' && c.args[2] === '96345')).toBe(true);
  });

  it('a failing ARI request rejects, so the action can tell the caller', async () => {
    const call = new FakeCall();
    (call as { ari: unknown }).ari = { setVariable: async () => {}, continueInDialplan: async () => Promise.reject(new Error('channel gone')) };
    await expect(ports.callbackRequest.request(call, { reason: 'x', line: 'main' })).rejects.toThrow('channel gone');
  });
});

describe('missing sound files', () => {
  it('reports each configured sound with no file in any format Asterisk plays', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sounds-'));
    await mkdir(join(dir, 'hotline/zh'), { recursive: true });
    await writeFile(join(dir, 'hotline/zh/welcome.wav'), '');
    await writeFile(join(dir, 'hotline/zh/goodbye.gsm'), '');
    const missing = await findMissingSounds(
      { defaultLanguage: 'zh', sounds: { welcome: { zh: 'hotline/zh/welcome' }, goodbye: { zh: 'hotline/zh/goodbye' }, 'main-menu': { zh: 'hotline/zh/main-menu', en: 'hotline/en/main-menu' } } },
      dir,
      ['zh'],
    );
    expect(missing).toEqual([{ promptId: 'main-menu', language: 'zh', sound: 'hotline/zh/main-menu' }]);
  });
});
