/**
 * The service's own channels and the ends they missed while the event socket was down
 * (src/calls/own-channels.ts): pure, from what was heard and Asterisk's channel list.
 */
import { describe, expect, it } from 'vitest';
import type { AriEvent, Channel } from '../../src/ari/index.js';
import { missedEvents, OwnChannels } from '../../src/calls/own-channels.js';

const AT = '2026-12-03T09:00:00.000Z';

function channel(id: string, state = 'Ringing'): Channel {
  return {
    id,
    name: `PJSIP/1001-${id}`,
    state,
    caller: { name: '', number: '13900000001' },
    connected: { name: '', number: '' },
    accountcode: '',
    dialplan: { context: 'agents', exten: 's', priority: 1, app_name: 'AppDial2', app_data: '(Outgoing Line)' },
    creationtime: AT,
    language: 'en',
  } as Channel;
}

const event = (type: string, ch: Channel, extra: Record<string, unknown> = {}): AriEvent =>
  ({ type, timestamp: AT, application: 'hotline', ...(type === 'Dial' ? { peer: ch, dialstatus: 'RINGING' } : { channel: ch }), ...extra }) as AriEvent;

describe('missedEvents', () => {
  it('a channel gone after entering the app missed its StasisEnd; one gone while ringing its ChannelDestroyed, cause unknown; one still there nothing', () => {
    const own = new OwnChannels();
    own.entered(channel('talking', 'Up'));
    own.heard(event('Dial', channel('ringing')), 'ringing');
    own.heard(event('ChannelStateChange', channel('still-ringing')), 'still-ringing');
    const missed = missedEvents(own.snapshot(), new Set(['still-ringing']), 'hotline', AT);
    expect(missed).toEqual([
      { type: 'StasisEnd', timestamp: AT, application: 'hotline', channel: channel('talking', 'Up') },
      { type: 'ChannelDestroyed', timestamp: AT, application: 'hotline', cause: 0, cause_txt: 'Unknown', channel: channel('ringing') },
    ]);
  });

  it('forgets a channel once its end is heard, and passes a missed end once', () => {
    const own = new OwnChannels();
    own.entered(channel('a', 'Up'));
    own.heard(event('ChannelStateChange', channel('b')), 'b');
    own.heard(event('StasisEnd', channel('a', 'Up')), 'a');
    const snapshot = own.snapshot();
    expect([...snapshot.keys()]).toEqual(['b']);
    const [destroyed] = missedEvents(snapshot, new Set(), 'hotline', AT);
    expect(own.take(destroyed!)).toBe(true);
    expect(own.take(destroyed!)).toBe(false);
  });

  it('a channel a call session took over (an answered survey leg) is heard by the session, not missed here', () => {
    const own = new OwnChannels();
    own.heard(event('Dial', channel('survey')), 'survey');
    own.entered(channel('survey', 'Up'));
    own.handedToSession('survey');
    expect(missedEvents(own.snapshot(), new Set(), 'hotline', AT)).toEqual([]);
  });

  it('a missed end whose real event arrived after the snapshot (the socket back) is not passed', () => {
    const own = new OwnChannels();
    own.heard(event('Dial', channel('c')), 'c');
    const [destroyed] = missedEvents(own.snapshot(), new Set(), 'hotline', AT);
    own.heard(event('ChannelDestroyed', channel('c'), { cause: 19, cause_txt: 'User alerting, no answer' }), 'c');
    expect(own.take(destroyed!)).toBe(false);
  });
});
