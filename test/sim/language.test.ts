/**
 * Channel language in the simulator, as in Asterisk: a call from the shipped carrier
 * endpoint is `zh`, so `digits:` and `number:` read the zh set in Chinese number mode; a
 * channel left at `en` reads the same media in English, or fails on a prompt that exists
 * only in Chinese. `lang` on the play request wins over the channel's language.
 */
import { describe, expect, it } from 'vitest';
import type { AriSimulator, SoundPlayed } from '../../sim/index.js';
import type { EventsClient } from './support/events-client.js';
import { ari, useMediaSim } from './support/media-sim.js';

const start = useMediaSim();

/** Plays `media` on the channel and resolves with the playback's final state. */
async function play(s: AriSimulator, e: EventsClient, channelId: string, media: string[], lang?: string): Promise<string> {
  const id = `pb-${channelId}-${e.frames.length}`;
  const query = new URLSearchParams({ media: media.join(','), playbackId: id, ...(lang ? { lang } : {}) });
  const res = await ari(s, 'POST', `/channels/${channelId}/play?${query}`);
  expect(res.status).toBe(201);
  const finished = await e.next('PlaybackFinished', (f) => (f.playback as { id: string }).id === id);
  return (finished.playback as { state: string }).state;
}

const TICKET_AND_DUE_DATE = ['digits:2026111800123', 'number:11', 'number:28'];
const files = (sounds: SoundPlayed[]) => sounds.map((s) => s.file ?? `missing:${s.missing}`);
const zh = (...n: Array<string | number>) => n.map((x) => `zh/digits/${x}`);
const en = (...n: Array<string | number>) => n.map((x) => `en/digits/${x}`);

describe('a call from the carrier endpoint of the shipped pjsip.conf', () => {
  it('is a zh channel, and reads a ticket number and a due date with the zh digits/ files', async () => {
    const { s, e } = await start();
    const call = s.placeCall({ from: '13800138000', dialled: '12345' });
    expect(call).toMatchObject({ name: expect.stringMatching(/^PJSIP\/carrier-/), language: 'zh' });

    expect(await play(s, e, call.id, TICKET_AND_DUE_DATE)).toBe('done');

    expect(files(s.soundsPlayed(call.id))).toEqual([
      ...zh(2, 0, 2, 6, 1, 1, 1, 8, 0, 0, 1, 2, 3),
      // Chinese number mode: 11 is 十一 (10, 1), 28 is 二十八 (20, 8).
      ...zh(10, 1),
      ...zh(20, 8),
    ]);
    const started = e.frames.find((f) => f.type === 'PlaybackStarted')!.playback as { language: string };
    expect(started.language).toBe('zh');
  });
});

describe('an en channel reading Chinese is caught', () => {
  it('the carrier without `language` reads the ticket in English files and English grammar', async () => {
    const { s, e } = await start({ endpoints: { carrier: { language: 'en' } } });
    const call = s.placeCall({ from: '13800138000', dialled: '12345' });
    expect(call.language).toBe('en');

    expect(await play(s, e, call.id, TICKET_AND_DUE_DATE)).toBe('done');

    const heard = files(s.soundsPlayed(call.id));
    expect(heard.filter((f) => !f.startsWith('zh/'))).toHaveLength(heard.length);
    // English number mode: 11 is one file, 28 is "twenty" "eight" from the English set.
    expect(heard.slice(-3)).toEqual([...en(11), ...en(20, 8)]);
  });

  it('a prompt that exists only in zh/ fails on an en channel, as a missing file does in Asterisk', async () => {
    const { s, e, lines } = await start({
      soundFiles: ['zh/hotline/ticket-intro.wav'],
      openSoundDirs: [],
      endpoints: { 'carrier-en': { language: 'en', allow: ['alaw'] } },
    });
    const zhCall = s.placeCall({ from: '13800138000', dialled: '12345' });
    const enCall = s.placeCall({ from: '13900139000', dialled: '12345', endpoint: 'carrier-en' });

    expect(await play(s, e, zhCall.id, ['sound:hotline/ticket-intro'])).toBe('done');
    expect(await play(s, e, enCall.id, ['sound:hotline/ticket-intro'])).toBe('failed');

    expect(s.soundsPlayed(zhCall.id)).toEqual([expect.objectContaining({ file: 'zh/hotline/ticket-intro', language: 'zh' })]);
    expect(s.soundsPlayed(enCall.id)).toEqual([expect.objectContaining({ missing: 'hotline/ticket-intro', language: 'en' })]);
    expect(lines).toContainEqual(expect.stringMatching(/WARNING file\.c: Unable to open hotline\/ticket-intro \(language en\)/));
  });

  it('number: on an en channel with no English set is silent: done, every file missing', async () => {
    const { s, e } = await start({ soundFiles: ['zh/digits/20.wav', 'zh/digits/8.wav'], openSoundDirs: [], endpoints: { carrier: { language: 'en' } } });
    const call = s.placeCall({ from: '13800138000', dialled: '12345' });

    // say.c ignores files it cannot open: Asterisk reports `done` although the caller heard nothing.
    expect(await play(s, e, call.id, ['number:28'])).toBe('done');
    expect(files(s.soundsPlayed(call.id))).toEqual(['missing:digits/20', 'missing:digits/8']);
  });
});

describe('lang on the play request', () => {
  it('wins over the channel language, so the service reads Chinese whatever the endpoint says', async () => {
    const { s, e } = await start({ endpoints: { carrier: { language: 'en' } } });
    const call = s.placeCall({ from: '13800138000', dialled: '12345' });

    expect(await play(s, e, call.id, ['number:28'], 'zh')).toBe('done');

    expect(files(s.soundsPlayed(call.id))).toEqual(zh(20, 8));
  });

  it('falls back as Asterisk does: zh_TW, then zh, then no language, then en', async () => {
    const { s, e } = await start({ soundFiles: ['zh/digits/20.wav', 'digits/8.wav', 'en/beep.gsm'], openSoundDirs: [] });
    const call = s.placeCall({ from: '13800138000', dialled: '12345' });

    expect(await play(s, e, call.id, ['number:28', 'sound:beep'], 'zh_TW')).toBe('done');

    expect(files(s.soundsPlayed(call.id))).toEqual(['zh/digits/20', 'digits/8', 'en/beep']);
  });
});

describe('CHANNEL(language) over ARI', () => {
  it('answers the channel language, as func_channel does', async () => {
    const { s } = await start();
    const call = s.placeCall({ from: '13800138000', dialled: '12345' });
    const res = await ari(s, 'GET', `/channels/${call.id}/variable?variable=${encodeURIComponent('CHANNEL(language)')}`);
    expect(await res.json()).toEqual({ value: 'zh' });
  });
});
