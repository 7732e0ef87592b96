/**
 * The trunk's cap: a hundred tickets closing at once on two service instances sharing one
 * Redis and one Asterisk. Every survey is called, and the simulator — the carrier's side —
 * never sees more survey channels at once than `maxConcurrentCalls`.
 */
import { describe, expect, it } from 'vitest';
import { SECRETS } from '../crm-bridge/harness.js';
import { startHarness } from '../support/service-harness.js';
import { answersWith, useSurveyWorld } from './support/survey-world.js';

const start = useSurveyWorld();
const CAP = 10;
const TICKETS = 100;
const numberOf = (i: number): string => `1380000${String(i).padStart(4, '0')}`;

describe('the trunk cap', () => {
  it(`100 tickets closed at once: never more than ${CAP} survey calls at once across two instances`, { timeout: 90_000 }, async () => {
    const w = await start((config) => {
      config.satisfactionCallback.maxConcurrentCalls = CAP;
    });
    const b = await startHarness({ simulator: w.h.sim, keyPrefix: w.h.keyPrefix, config: w.h.config, app: 'hotline-b', crmSecrets: SECRETS });
    try {
      await b.service.started;
      w.h.sim.setEndpointBehaviour(/^PJSIP\/1380000\d{4}@carrier$/, answersWith('2'));
      const posted = await Promise.all(Array.from({ length: TICKETS }, (_, i) => w.ticketClosed(`GD-CAP-${i}`, numberOf(i))));
      expect(posted.every((p) => p.status === 202)).toBe(true);
      const store = w.survey.store;
      const surveys = () => Promise.all(Array.from({ length: TICKETS }, async (_, i) => (await store.ofTicket(`GD-CAP-${i}`))[0]));
      // Each instance ticks as fast as it can (their timers tick too): the cap alone holds them back.
      const deadline = Date.now() + 60_000;
      for (let round = 1; ; round++) {
        await Promise.all([w.survey.dialer.tick(), b.service.survey!.dialer.tick()]);
        await new Promise((r) => setTimeout(r, 20));
        if (round % 10 !== 0) continue;
        const all = await surveys();
        if (all.every((s) => s?.state === 'done')) break;
        if (Date.now() > deadline) throw new Error(`${all.filter((s) => s?.state !== 'done').length} surveys not done after 60 s`);
      }
      const peak = w.h.sim.outboundPeak('carrier');
      expect(peak).toBeLessThanOrEqual(CAP);
      // Calls overlapped: the cap was what held them back, not calling one at a time.
      expect(peak).toBeGreaterThanOrEqual(CAP / 2);
      const done = await surveys();
      expect(done.every((s) => s!.attempts === 1 && s!.outcome === 'rated' && s!.rating === 2)).toBe(true);
    } finally {
      await b.close();
    }
  });
});
