/**
 * The survey call as a citizen meets it, through the real service, the ARI simulator and
 * Redis, the ticket.closed posted to the signed webhook: called from 12345, the ticket
 * number read, a key 1–5 taken as the rating and read back; a wrong key or none asked once
 * more; a hang-up is an outcome, not a rating; busy is called again later. Results reach
 * the ticket backend as survey.result on the ticket's stream.
 */
import { describe, expect, it } from 'vitest';
import { hear } from '../ivr/support/sim-call.js';
import { eventually } from '../support/service-harness.js';
import { useSurveyWorld } from './support/survey-world.js';

const start = useSurveyWorld();
const CITIZEN = '13912345678';
const legOf = (surveyId: string, attempt = 1): string => `svy-${surveyId}-${attempt}`;

describe('a survey call', () => {
  it('takes each rating 1–5 by key, reads it back, and tells the ticket backend', { timeout: 40_000 }, async () => {
    const w = await start();
    for (const digit of ['1', '2', '3', '4', '5']) {
      const ticket = `GD-2026-00${digit}`;
      const number = `1391234567${digit}`;
      w.phone(number, { kind: 'answer', afterMs: 200 });
      expect((await w.ticketClosed(ticket, number)).status).toBe(202);
      const job = await w.surveyOf(ticket);
      await w.survey.dialer.tick();
      await hear(w.h, legOf(job.id), 'survey-question');
      w.h.sim.pressDigits(legOf(job.id), digit);
      const done = await w.until(job.id, 'done');
      expect(done).toMatchObject({ outcome: 'rated', rating: Number(digit), channel: 'voice', attempts: 1 });
      // The rating read back: "您的评价是" and the level's own prompt.
      const heard = w.h.sim.soundsPlayed(legOf(job.id)).map((s) => s.media);
      expect(heard).toEqual(expect.arrayContaining(['sound:hotline/zh/survey-you-rated', `sound:hotline/zh/survey-rating-${digit}`, 'sound:hotline/zh/survey-thanks']));
      await eventually(() => w.received(ticket, 'survey.result').length === 1, 10_000, `survey.result of ${ticket} at the sink`);
      expect(w.received(ticket, 'survey.result')[0]!.data).toMatchObject({
        ticketNumber: ticket,
        surveyId: job.id,
        outcome: 'rated',
        rating: Number(digit),
        channel: 'voice',
        attempts: [{ outcome: 'answered', cause: null }],
        surveyCallId: done.surveyCallId,
      });
    }
  });

  it('calls from 12345, reads the ticket number, and the answered leg is a call with its record', async () => {
    const w = await start();
    w.phone(CITIZEN, { kind: 'answer', afterMs: 200 });
    await w.ticketClosed('GD-20261202-0042', CITIZEN);
    const job = await w.surveyOf('GD-20261202-0042');
    await w.survey.dialer.tick();
    const leg = legOf(job.id);
    await hear(w.h, leg, 'survey-question');
    const started = w.h.events.find((e) => e.type === 'call.started' && e.data.channelId === leg);
    expect(started?.data).toMatchObject({ caller: CITIZEN, dialled: '12345', line: 'satisfaction-survey' });
    const channel = w.h.sim.channels().find((c) => c.id === leg) as { caller: { number: string } } | undefined;
    expect(channel?.caller.number).toBe('12345');
    expect(w.h.sim.soundsPlayed(leg).some((s) => s.media === 'digits:202612020042')).toBe(true);
    w.h.sim.pressDigits(leg, '2');
    const done = await w.until(job.id, 'done');
    expect(done).toMatchObject({ outcome: 'rated', rating: 2, surveyCallId: started!.callId });
    const ended = await w.h.ended(leg);
    expect(ended.data.outcome).toBe('completed');
    expect(w.h.record(started!.callId)!.path).toEqual([expect.objectContaining({ node: 'survey', input: '2', outcome: 'rated:2' })]);
  });

  it('an invalid key is told so and asked once more; the valid key that follows is the rating', async () => {
    const w = await start();
    w.phone(CITIZEN, { kind: 'answer', afterMs: 200 });
    await w.ticketClosed('GD-INVALID-1', CITIZEN);
    const job = await w.surveyOf('GD-INVALID-1');
    await w.survey.dialer.tick();
    const leg = legOf(job.id);
    await hear(w.h, leg, 'survey-question');
    w.h.sim.pressDigits(leg, '8');
    await hear(w.h, leg, 'survey-invalid');
    w.h.sim.pressDigits(leg, '3');
    expect(await w.until(job.id, 'done')).toMatchObject({ outcome: 'rated', rating: 3 });
  });

  it('no key twice: asked again once, then thanked and ended without a rating', async () => {
    const w = await start();
    w.phone(CITIZEN, { kind: 'answer', afterMs: 200 });
    await w.ticketClosed('GD-SILENT-1', CITIZEN);
    const job = await w.surveyOf('GD-SILENT-1');
    const done = await w.until(job.id, 'done');
    expect(done).toMatchObject({ outcome: 'no-rating', rating: null, attempts: 1 });
    const heard = w.h.sim.soundsPlayed(legOf(job.id)).map((s) => s.media);
    expect(heard.filter((m) => m === 'sound:hotline/zh/survey-no-input')).toHaveLength(1);
    expect(heard.filter((m) => m === 'sound:hotline/zh/survey-question')).toHaveLength(2);
    await eventually(() => w.received('GD-SILENT-1', 'survey.result').length === 1, 10_000, 'survey.result at the sink');
    expect(w.received('GD-SILENT-1', 'survey.result')[0]!.data).toMatchObject({ outcome: 'no-rating', rating: null });
  });

  it('a hang-up mid-survey is an outcome, not a rating, and is not called again', async () => {
    const w = await start();
    w.phone(CITIZEN, { kind: 'answer', afterMs: 200 });
    await w.ticketClosed('GD-HANGUP-1', CITIZEN);
    const job = await w.surveyOf('GD-HANGUP-1');
    await w.survey.dialer.tick();
    await hear(w.h, legOf(job.id), 'survey-question');
    w.h.sim.hangupFromCaller(legOf(job.id));
    expect(await w.until(job.id, 'done')).toMatchObject({ outcome: 'hung-up', rating: null, attempts: 1 });
    expect((await w.h.ended(legOf(job.id))).data.outcome).toBe('abandoned');
  });

  it('busy, then answered on the retry half an hour later; every attempt with its cause', async () => {
    const w = await start();
    w.phone(CITIZEN, { kind: 'busy', afterMs: 50 });
    await w.ticketClosed('GD-BUSY-1', CITIZEN);
    const job = await w.surveyOf('GD-BUSY-1');
    const before = Date.now();
    await w.survey.dialer.tick();
    // Busy (486 → cause 17): written back as pending, due half an hour on.
    const retried = await w.untilWritten(job.id, (j) => j.history.length === 1);
    expect(retried.history).toEqual([expect.objectContaining({ outcome: 'busy', cause: 17 })]);
    expect(retried.dueAt).toBeGreaterThanOrEqual(before + 30 * 60_000);
    // Not due yet: a tick now calls nobody.
    await w.survey.dialer.tick();
    expect((await w.survey.store.get(job.id))!.state).toBe('pending');

    w.phone(CITIZEN, { kind: 'answer', afterMs: 200 });
    await w.survey.dialer.tick(Date.now() + 31 * 60_000);
    await hear(w.h, legOf(job.id, 2), 'survey-question');
    w.h.sim.pressDigits(legOf(job.id, 2), '1');
    const done = await w.until(job.id, 'done');
    expect(done).toMatchObject({ outcome: 'rated', rating: 1, attempts: 2 });
    await eventually(() => w.received('GD-BUSY-1', 'survey.result').length === 1, 10_000, 'survey.result at the sink');
    expect(w.received('GD-BUSY-1', 'survey.result')[0]!.data.attempts).toEqual([
      { at: expect.any(String), outcome: 'busy', cause: 17 },
      { at: expect.any(String), outcome: 'answered', cause: null },
    ]);
  });
});
