/**
 * A callback to a citizen through the carrier (trace s16): the trunk's static contact needs
 * no registration, the channel is named after the endpoint, the caller id keeps the
 * endpoint's name, and digits arrive with their own durations (SIP INFO 160 ms, RFC 4733 280 ms).
 */
import { expect, it } from 'vitest';
import { useSimWithEvents } from './support/sim-with-events.js';
import { ARI_AUTH } from './support/ari-http.js';

const t = useSimWithEvents();

it('a callback through callback-trunk is answered and hears the citizen\'s keys', async () => {
  t.sim.setEndpointBehaviour('PJSIP/0612345678@callback-trunk', { kind: 'answer', ringingAfterMs: 3, afterMs: 200 });
  const res = await fetch(`${t.sim.url}/ari/channels?endpoint=PJSIP%2F0612345678%40callback-trunk&app=hotline&appArgs=callback,cb-1&callerId=12345&channelId=cb1`, {
    method: 'POST', headers: ARI_AUTH,
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ name: expect.stringMatching(/^PJSIP\/callback-trunk-[0-9a-f]{8}$/), caller: { name: 'Hotline', number: '12345' } });
  expect((await t.ev.next('StasisStart')).args).toEqual(['callback', 'cb-1']);
  expect(t.ev.frames.filter((f) => f.type === 'Dial').map((f) => [f.dialstatus, f.dialstring])).toEqual([
    ['', '0612345678@callback-trunk'], ['RINGING', '0612345678@callback-trunk'], ['ANSWER', '0612345678@callback-trunk'],
  ]);
  t.sim.pressDigits('cb1', '4', { durationMs: 160 });
  await t.ev.next('ChannelDtmfReceived', (e) => e.digit === '4');
  t.sim.pressDigits('cb1', '7');
  await t.ev.next('ChannelDtmfReceived', (e) => e.digit === '7');
  expect(t.ev.frames.filter((f) => f.type === 'ChannelDtmfReceived').map((f) => [f.digit, f.duration_ms])).toEqual([['4', 160], ['7', 280]]);
});
