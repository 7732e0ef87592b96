/**
 * What follows a rating, through the real service: a dissatisfied citizen (4, 5) gets a
 * human callback — the ACD's callback job of kind `satisfaction` in queue `callback`, an
 * agent reserved and connected first, then the citizen called from 12345; the ticket's
 * second dissatisfied result asks the ticket backend for supervision; a supervised ticket
 * gets a human callback too. During the survey the agent key and the emergency key work.
 */
import { describe, expect, it } from 'vitest';
import { hear } from '../ivr/support/sim-call.js';
import { agentProfile, eventsOf, talkBridge, untilAgent } from '../acd/support/acd-calls.js';
import { eventually } from '../support/service-harness.js';
import { sendTicketEvent } from '../../sim/ticket-backend/server.js';
import { SECRETS } from '../crm-bridge/harness.js';
import { useSurveyWorld, type SurveyWorld } from './support/survey-world.js';

const start = useSurveyWorld();
const CITIZEN = '13912345678';
const legOf = (surveyId: string, attempt = 1): string => `svy-${surveyId}-${attempt}`;

/** A close of the ticket, answered and rated `digit`; the survey once done. */
async function surveyRated(w: SurveyWorld, ticket: string, digit: string, closedAt: string) {
  await w.ticketClosed(ticket, CITIZEN, { closedAt });
  const id = `sv-${ticket}-${Date.parse(closedAt)}`;
  const job = await w.untilWritten(id, () => true);
  await w.survey.dialer.tick();
  await hear(w.h, legOf(job.id), 'survey-question');
  w.h.sim.pressDigits(legOf(job.id), digit);
  return w.until(job.id, 'done');
}

describe('after a rating', () => {
  it('dissatisfied: a human callback with an agent connected first; the second dissatisfied result asks for supervision', async () => {
    const w = await start();
    const acd = w.h.service.acd!;
    w.phone(CITIZEN, { kind: 'answer', afterMs: 200 });
    const first = await surveyRated(w, 'GD-UNHAPPY-1', '4', new Date(Date.now() - 60_000).toISOString());
    expect(first).toMatchObject({ outcome: 'rated', rating: 4 });
    const jobId = `cb-s-GD-UNHAPPY-1-${first.id}`;
    await eventually(() => w.received('GD-UNHAPPY-1', 'survey.result').length === 1, 10_000, 'first survey.result');
    expect(w.received('GD-UNHAPPY-1', 'survey.result')[0]!.data).toMatchObject({ rating: 4, dissatisfiedCount: 1, humanCallbackJobId: jobId });
    // The ACD's own dialer may have claimed it already (its calling hours are open all day here).
    expect(await acd.callbacks.get(jobId)).toMatchObject({ kind: 'satisfaction', queue: 'callback', number: CITIZEN, ticketNumber: 'GD-UNHAPPY-1', outcome: null });
    expect(w.received('GD-UNHAPPY-1', 'ticket.supervision-requested')).toHaveLength(0);

    // An agent comes: reserved and answering first, then the citizen is called from 12345.
    w.h.sim.registerEndpoint('1001', { phone: { kind: 'answer', afterMs: 200 } });
    await acd.desk.login({ id: 'a1001', ...agentProfile('1001') });
    await acd.engine.placeCallbacks();
    await untilAgent(w.h, 'a1001', 'on-call');
    await eventually(() => (talkBridge(w.h, jobId)?.channels.length ?? 0) === 2, 10_000, 'agent and citizen bridged');
    const citizenLeg = talkBridge(w.h, jobId)!.channels.find((c) => c.startsWith('cbc-'))!;
    const agentOffered = w.h.sim.events().findIndex((e) => e.event.type === 'StasisStart' && (e.event.args as string[])[0] === 'role:agent');
    const citizenCalled = w.h.sim.events().findIndex((e) => e.event.type === 'StasisStart' && (e.event.channel as { id: string }).id === citizenLeg);
    expect(agentOffered).toBeGreaterThanOrEqual(0);
    expect(agentOffered).toBeLessThan(citizenCalled);
    w.h.sim.hangupFromCaller(citizenLeg);
    await eventually(() => eventsOf(w.h, 'ticket:GD-UNHAPPY-1', 'call.callback').length > 0, 10_000, 'call.callback on the ticket stream');
    expect(eventsOf(w.h, 'ticket:GD-UNHAPPY-1', 'call.callback')[0]!.data).toMatchObject({ jobId, kind: 'satisfaction', outcome: 'connected', agentId: 'a1001' });
    await untilAgent(w.h, 'a1001', 'wrap-up');

    // Handled again and closed again: dissatisfied once more → supervision.
    const second = await surveyRated(w, 'GD-UNHAPPY-1', '5', new Date().toISOString());
    expect(second).toMatchObject({ outcome: 'rated', rating: 5 });
    await eventually(() => w.received('GD-UNHAPPY-1', 'ticket.supervision-requested').length === 1, 10_000, 'supervision requested at the sink');
    expect(w.received('GD-UNHAPPY-1', 'ticket.supervision-requested')[0]!.data).toEqual({ ticketNumber: 'GD-UNHAPPY-1', reason: 'dissatisfied-twice', surveyIds: [first.id, second.id], ratings: [4, 5] });
    expect(w.received('GD-UNHAPPY-1', 'survey.result')[1]!.data).toMatchObject({ rating: 5, dissatisfiedCount: 2 });
  });

  it('satisfied: no human callback and no supervision', async () => {
    const w = await start();
    w.phone(CITIZEN, { kind: 'answer', afterMs: 200 });
    const done = await surveyRated(w, 'GD-HAPPY-1', '3', new Date().toISOString());
    await eventually(() => w.received('GD-HAPPY-1', 'survey.result').length === 1, 10_000, 'survey.result');
    expect(w.received('GD-HAPPY-1', 'survey.result')[0]!.data).toMatchObject({ rating: 3, dissatisfiedCount: 0, humanCallbackJobId: null });
    expect(await w.h.service.acd!.callbacks.get(`cb-s-GD-HAPPY-1-${done.id}`)).toBeNull();
  });

  it('a supervised ticket gets a human callback, once per event', async () => {
    const w = await start();
    const since = new Date().toISOString();
    const post = () =>
      sendTicketEvent(`${w.h.service.url}/webhooks/ticket-events`, SECRETS.CRM_INBOUND_SECRET, {
        schema: 'hotline.ticket-event/v1',
        eventId: 'evt-supervised-1',
        type: 'ticket.supervised',
        occurredAt: since,
        data: { ticketNumber: 'GD-SUPERVISED-1', callerNumber: CITIZEN, reason: 'overdue', since },
      });
    expect((await post()).status).toBe(202);
    expect((await post()).status).toBe(200);
    const acd = w.h.service.acd!;
    const jobId = 'cb-s-GD-SUPERVISED-1-evt-supervised-1';
    await expect.poll(() => acd.callbacks.get(jobId), { timeout: 5000 }).toMatchObject({ kind: 'satisfaction', queue: 'callback', ticketNumber: 'GD-SUPERVISED-1' });
    expect((await acd.callbacks.pending()).jobs.filter((j) => j.kind === 'satisfaction')).toHaveLength(1);
  });
});

describe('keys beside the rating', () => {
  it('0 puts the citizen through to an agent: the survey ends transferred, the call queued', async () => {
    const w = await start();
    w.phone(CITIZEN, { kind: 'answer', afterMs: 200 });
    await w.ticketClosed('GD-AGENT-1', CITIZEN);
    const job = await w.surveyOf('GD-AGENT-1');
    await w.survey.dialer.tick();
    await hear(w.h, legOf(job.id), 'survey-question');
    w.h.sim.pressDigits(legOf(job.id), '0');
    const started = w.h.events.find((e) => e.type === 'call.started' && e.data.channelId === legOf(job.id))!;
    await eventually(() => eventsOf(w.h, started.callId, 'call.queued').length === 1, 10_000, 'survey call queued');
    expect(eventsOf(w.h, started.callId, 'call.queued')[0]!.data).toMatchObject({ queue: 'general' });
    w.h.sim.hangupFromCaller(legOf(job.id));
    expect(await w.until(job.id, 'done')).toMatchObject({ outcome: 'transferred', rating: null });
  });

  it('the emergency key puts the citizen through to the emergency linkage', async () => {
    const w = await start();
    w.phone(CITIZEN, { kind: 'answer', afterMs: 200 });
    w.h.sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'answer', afterMs: 100 });
    await w.ticketClosed('GD-EMERGENCY-1', CITIZEN);
    const job = await w.surveyOf('GD-EMERGENCY-1');
    await w.survey.dialer.tick();
    await hear(w.h, legOf(job.id), 'survey-question');
    w.h.sim.pressDigits(legOf(job.id), w.h.config.ivr!.emergency.key);
    const started = w.h.events.find((e) => e.type === 'call.started' && e.data.channelId === legOf(job.id))!;
    await eventually(() => eventsOf(w.h, started.callId, 'call.emergency').length === 1, 10_000, 'emergency receipt');
    expect(eventsOf(w.h, started.callId, 'call.emergency')[0]!.data).toMatchObject({ route: 'emergency-linkage', outcome: 'answered', entry: 'menu' });
    w.h.sim.hangupFromCaller(legOf(job.id));
    expect(await w.until(job.id, 'done')).toMatchObject({ outcome: 'transferred' });
  });
});
