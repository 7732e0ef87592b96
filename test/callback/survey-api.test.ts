/**
 * The supervisors' routes over real HTTP, and scheduling's idempotency: a ticket.closed
 * delivered twice (or sent twice with two event ids) writes one survey; a survey can be
 * listed, inspected, moved and cancelled; a ticket's outcomes read back; bad requests get
 * 400 with reasons, unknown surveys 404, a survey in the wrong state 409.
 */
import { describe, expect, it } from 'vitest';
import { sendTicketEvent } from '../../sim/ticket-backend/server.js';
import { SECRETS } from '../crm-bridge/harness.js';
import { useSurveyWorld } from './support/survey-world.js';

const start = useSurveyWorld();
const CITIZEN = '13912345678';
const HOUR = 3600_000;

describe('scheduling', () => {
  it('the same close twice (a repeat, or a second event id) is one survey; a close while one is open is refused', async () => {
    const w = await start();
    const closedAt = new Date().toISOString();
    expect((await w.ticketClosed('GD-TWICE-1', CITIZEN, { eventId: 'evt-twice', closedAt })).status).toBe(202);
    expect((await w.ticketClosed('GD-TWICE-1', CITIZEN, { eventId: 'evt-twice', closedAt })).status).toBe(200);
    expect((await w.ticketClosed('GD-TWICE-1', CITIZEN, { eventId: 'evt-twice-again', closedAt })).status).toBe(202);
    await expect.poll(async () => (await w.h.service.metrics.getSingleMetric('hotline_surveys_scheduled_total')!.get()).values.find((v) => v.labels.result === 'exists')?.value, { timeout: 5000 }).toBe(1);
    expect(await w.survey.store.ofTicket('GD-TWICE-1')).toHaveLength(1);
    // Closed again (another time) while the first survey waits: still one open survey.
    await w.ticketClosed('GD-TWICE-1', CITIZEN, { closedAt: new Date(Date.now() + 1000).toISOString() });
    await expect.poll(async () => (await w.h.service.metrics.getSingleMetric('hotline_surveys_scheduled_total')!.get()).values.find((v) => v.labels.result === 'pending')?.value, { timeout: 5000 }).toBe(1);
    expect(await w.survey.store.ofTicket('GD-TWICE-1')).toHaveLength(1);
  });

  it('a close with satisfactionCallback false, or an undialable number, writes no survey', async () => {
    const w = await start();
    const sent = await sendTicketEvent(`${w.h.service.url}/webhooks/ticket-events`, SECRETS.CRM_INBOUND_SECRET, {
      schema: 'hotline.ticket-event/v1',
      eventId: 'evt-no-survey',
      type: 'ticket.closed',
      occurredAt: new Date().toISOString(),
      data: { ticketNumber: 'GD-NO-SURVEY', callerNumber: CITIZEN, closedAt: new Date().toISOString(), satisfactionCallback: false },
    });
    expect(sent.status).toBe(202);
    await w.ticketClosed('GD-SHORT-NUMBER', '110');
    const results = async () => (await w.h.service.metrics.getSingleMetric('hotline_surveys_scheduled_total')!.get()).values.map((v) => v.labels.result).sort();
    await expect.poll(results, { timeout: 5000 }).toEqual(['disabled', 'not-dialable']);
    expect(await w.survey.store.ofTicket('GD-NO-SURVEY')).toHaveLength(0);
    expect(await w.survey.store.ofTicket('GD-SHORT-NUMBER')).toHaveLength(0);
  });
});

describe('the supervisors\' routes', () => {
  it('list, inspect, reschedule and cancel a pending survey; read a ticket\'s outcomes', async () => {
    const w = await start();
    await w.ticketClosed('GD-API-1', CITIZEN);
    const job = await w.surveyOf('GD-API-1');

    const list = await w.api('GET', '/satisfaction-callbacks');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ waiting: 1, calling: 0, surveys: [{ id: job.id, ticketNumber: 'GD-API-1', state: 'pending', number: expect.not.stringContaining(CITIZEN) }] });
    expect(JSON.stringify(list.body)).not.toContain(CITIZEN);

    const one = await w.api('GET', `/satisfaction-callbacks/${job.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: job.id, state: 'pending', attempts: 0, plannedAttempts: expect.any(Array) });
    expect(one.body.plannedAttempts).toHaveLength(3);

    // Tomorrow at noon: the calling hours are open all day in this world, so exactly then.
    const at = new Date(Date.now() + 24 * HOUR);
    const moved = await w.api('POST', `/satisfaction-callbacks/${job.id}/reschedule`, { at: at.toISOString() });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ state: 'pending', dueAt: at.toISOString() });
    // Not due now: a tick calls nobody.
    await w.survey.dialer.tick();
    expect((await w.survey.store.get(job.id))!.state).toBe('pending');
    expect(w.h.sim.outboundPeak('carrier')).toBe(0);

    const cancelled = await w.api('POST', `/satisfaction-callbacks/${job.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ state: 'done', outcome: 'cancelled' });
    expect((await w.api('POST', `/satisfaction-callbacks/${job.id}/cancel`)).body).toMatchObject({ error_id: 'conflict', details: { code: 'survey:ended' } });
    expect((await w.api('POST', `/satisfaction-callbacks/${job.id}/reschedule`, { at: at.toISOString() })).status).toBe(409);
    await w.survey.dialer.tick(at.getTime() + 1000);
    expect(w.h.sim.outboundPeak('carrier')).toBe(0);

    const outcomes = await w.api('GET', '/tickets/GD-API-1/satisfaction-callbacks');
    expect(outcomes.status).toBe(200);
    expect(outcomes.body).toMatchObject({ ticketNumber: 'GD-API-1', surveys: [{ id: job.id, outcome: 'cancelled', rating: null }] });
    // A new close after the cancel is surveyed again.
    await w.ticketClosed('GD-API-1', CITIZEN, { closedAt: new Date(Date.now() + 1000).toISOString() });
    await expect.poll(async () => (await w.survey.store.ofTicket('GD-API-1')).length, { timeout: 5000 }).toBe(2);
  });

  it('refuses bad input with 400 and its reasons, unknown surveys with 404, and callers without the supervisor role', async () => {
    const w = await start();
    await w.ticketClosed('GD-API-2', CITIZEN);
    const job = await w.surveyOf('GD-API-2');
    expect((await w.api('GET', '/satisfaction-callbacks/not-a-survey')).status).toBe(400);
    expect((await w.api('GET', '/satisfaction-callbacks?limit=0')).status).toBe(400);
    expect((await w.api('GET', '/satisfaction-callbacks/sv-GD-NONE-1')).status).toBe(404);
    expect((await w.api('POST', `/satisfaction-callbacks/${job.id}/reschedule`, { at: 'tomorrow' })).status).toBe(400);
    expect((await w.api('POST', `/satisfaction-callbacks/${job.id}/reschedule`, { at: new Date().toISOString(), extra: 1 })).status).toBe(400);
    const anonymous = await fetch(`${w.h.service.url}/satisfaction-callbacks`);
    expect(anonymous.status).toBe(401);
  });
});
