/**
 * The SMS survey, through the real service, the SMS part and an SMSC speaking SMPP: a
 * citizen never reached by the survey's calls gets the survey text, and their reply 1–5 is
 * the rating of that survey; a reply that is no rating, or from a number with no survey
 * awaiting one, changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/service-harness.js';
import { SMS_SECRETS, smsConfig } from '../sms/support/sms-harness.js';
import { SMPP_CREDENTIALS } from '../sms/support/fixtures.js';
import { startSmppPeer, type SmppPeer } from '../sms/support/smpp-peer.js';
import { useSurveyWorld } from './support/survey-world.js';

const start = useSurveyWorld();
const CITIZEN = '13912345678';
let peer: SmppPeer | undefined;
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

describe('the SMS survey', () => {
  it('after the last failed call the survey goes by SMS, and the reply is the rating', async () => {
    peer = await startSmppPeer(SMPP_CREDENTIALS);
    const w = await start((config) => {
      config.satisfactionCallback.maxAttempts = 1;
    }, { sms: { config: smsConfig(peer.port), secrets: SMS_SECRETS } });
    w.phone(CITIZEN, { kind: 'busy', afterMs: 50 });
    await w.ticketClosed('GD-SMS-1', CITIZEN);
    const job = await w.surveyOf('GD-SMS-1');
    const awaiting = await w.until(job.id, 'sms');
    expect(awaiting).toMatchObject({ smsSent: true, outcome: 'unreachable', attempts: 1, history: [expect.objectContaining({ outcome: 'busy', cause: 17 })] });
    await eventually(() => peer!.texts.some((t) => t.to === CITIZEN), 10_000, 'the survey text at the SMSC');
    expect(peer.texts.find((t) => t.to === CITIZEN)!.text).toContain('GD-SMS-1');
    await eventually(() => w.received('GD-SMS-1', 'survey.result').length === 1, 10_000, 'the unreachable result at the sink');
    expect(w.received('GD-SMS-1', 'survey.result')[0]!.data).toMatchObject({ outcome: 'unreachable', rating: null, smsSent: true });

    // Not a rating, and a number with no survey: nothing changes.
    await peer.sendFromCitizen(CITIZEN, '好的');
    await peer.sendFromCitizen('13800009999', '1');
    expect((await w.survey.store.get(job.id))!.state).toBe('sms');

    await peer.sendFromCitizen(CITIZEN, '4');
    const done = await w.untilWritten(job.id, (j) => j.state === 'done');
    expect(done).toMatchObject({ outcome: 'rated', rating: 4, channel: 'sms' });
    await eventually(() => w.received('GD-SMS-1', 'survey.result').length === 2, 10_000, 'the SMS rating at the sink');
    expect(w.received('GD-SMS-1', 'survey.result')[1]!.data).toMatchObject({ outcome: 'rated', rating: 4, channel: 'sms', dissatisfiedCount: 1, humanCallbackJobId: `cb-s-GD-SMS-1-${job.id}` });
    // A second reply finds no survey awaiting one.
    await peer.sendFromCitizen(CITIZEN, '1');
    expect((await w.survey.store.get(job.id))!.rating).toBe(4);
  });
});
