/**
 * Holds the simulator to the recordings of a real Asterisk 22: for each scenario, the same
 * requests must produce the same events in the same order, with the same values in the
 * fields the service reads. Each replay runs on the simulator's own clock, moved from one
 * recorded request to the next (see support/replay.ts), so timeouts a few milliseconds
 * apart keep their recorded order on any machine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, startAriSimulator, type AriSimulator, type EndpointBehaviour } from '../../sim/index.js';
import { replay, type ControlStep } from './support/replay.js';
import { loadTrace, project } from './support/trace.js';

let sim: AriSimulator | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

type Trace = ReturnType<typeof loadTrace>;

function seqOf(trace: Trace, pred: (e: Trace[number]) => boolean): number {
  const hit = trace.find(pred);
  if (!hit) throw new Error('trace entry not found');
  return hit.seq;
}

interface ConformOptions {
  controls?: (t: Trace) => ControlStep[];
  untilSeq?: (t: Trace) => number;
  setup?: (s: AriSimulator) => void;
  /**
   * Recorded events (by seq) whose place Asterisk does not fix, because two threads race
   * (a Local channel's Dial and its ;2 half's first dialplan step, a snoop's StasisStart and
   * the BRIDGEPEER its audiohook triggers). `[moved, anchor]`: the recording is read with
   * event `moved` right after event `anchor`, where the simulator, being deterministic,
   * always puts it.
   */
  races?: (t: Trace) => Array<[moved: number, anchor: number]>;
}

async function conform(file: string, o: ConformOptions = {}) {
  const trace = loadTrace(file);
  for (const [moved, anchor] of o.races?.(trace) ?? []) {
    const i = trace.findIndex((e) => e.seq === moved);
    if (i < 0 || trace[i]!.kind !== 'ws_event') throw new Error(`race: seq ${moved} is not an event`);
    const [entry] = trace.splice(i, 1);
    const j = trace.findIndex((e) => e.seq === anchor);
    if (j < 0 || trace[j]!.kind !== 'ws_event') throw new Error(`race: seq ${anchor} is not an event`);
    trace.splice(j + 1, 0, entry!);
  }
  const clock = new ManualClock();
  sim = await startAriSimulator({ username: 'ari', password: 'ari', clock });
  o.setup?.(sim);
  const { expected, actual, id } = await replay(sim, trace, {
    clock, user: 'ari', pass: 'ari', controls: o.controls?.(trace), untilSeq: o.untilSeq?.(trace),
  });
  expect(actual.map((e) => e.type)).toEqual(expected.map((e) => e.type));
  expect(actual.map((e) => project(e, (s) => s))).toEqual(expected.map((e) => project(e, id)));
}

const isEvent = (type: string, extra: (e: Record<string, unknown>) => boolean = () => true) =>
  (x: Trace[number]) => x.kind === 'ws_event' && x.event?.type === type && extra(x.event);

const sipCall: ControlStep['run'] = (s) => s.placeCall({ from: '3000', fromName: 'SIPp', dialled: '12345', context: 'incoming', args: [], endpoint: 'sipp' });

describe('trace conformance', () => {
  it('s1 inbound call, answer, playback, hangup', () => conform('s1-inbound-answer-playback.jsonl'));
  it('s2 DTMF during playback, sendDTMF between channels', () => conform('s2-dtmf-during-playback.jsonl'));
  it('s3 mixing bridge, far end hangs up', () => conform('s3-mixing-bridge-hangup.jsonl'));
  it('s4 channel, bridge and snoop recordings', () => conform('s4-recordings.jsonl'));
  // Two timeouts in s5 end 150 ms apart (a 3 s dial and a 30 s originate).
  // agent1 still had a contact where nothing answered (a registration left from an earlier run).
  it('s5 originate failures', () => conform('s5-originate-failures.jsonl', {
    setup: (s) => {
      s.setEndpointBehaviour(/sip:busy@/, { kind: 'busy', afterMs: 2 });
      s.registerEndpoint('agent1');
    },
  }));
  it('s6 caller hangs up mid-playback', () => conform('s6-caller-hangup-mid-playback.jsonl'));
  it('s7 continue, redirect, move', () => conform('s7-continue-redirect-move.jsonl'));
  it('s8a Asterisk restart while a call is in the app', () => conform('s8-ws-reconnect.jsonl', {
    untilSeq: (t) => seqOf(t, (e) => e.kind === 'note' && (e.text ?? '').startsWith('S8b')),
    controls: (t) => [{ beforeSeq: seqOf(t, isEvent('ChannelHangupRequest', (e) => e.cause === 4)), run: (s) => s.outage(700) }],
  }));
  it('s9 SIP call, caller sends BYE', () => conform('s9-sipp-uac-inbound.jsonl', {
    controls: (t) => [
      { beforeSeq: seqOf(t, isEvent('StasisStart')), run: sipCall },
      { beforeSeq: seqOf(t, isEvent('ChannelVarset')), run: (s, id) => s.hangupFromCaller(id('1795289013.0')) },
    ],
  }));
  it('s10 SIP call with RFC 4733 DTMF', () => conform('s10-sipp-rfc2833-dtmf.jsonl', {
    controls: (t) => [
      { beforeSeq: seqOf(t, isEvent('StasisStart')), run: sipCall },
      { beforeSeq: seqOf(t, isEvent('ChannelDtmfReceived', (e) => e.digit === '1')), run: (s, id) => s.pressDigits(id('1795289019.1'), '1') },
      { beforeSeq: seqOf(t, isEvent('ChannelDtmfReceived', (e) => e.digit === '5')), run: (s, id) => s.pressDigits(id('1795289019.1'), '5') },
    ],
  }));
  it('s11 agent registers, is offered a call, answers, hangs up, logs out', () => conform('s11-agent-offer-answer.jsonl', {
    controls: (t) => [
      { beforeSeq: seqOf(t, isEvent('EndpointStateChange')), run: (s) => s.registerEndpoint('agent1', { phone: { kind: 'answer', ringingAfterMs: 11, afterMs: 2030 } }) },
      { beforeSeq: seqOf(t, isEvent('ChannelVarset', (e) => e.variable === 'RTPAUDIOQOS')), run: (s, id) => s.hangupFromCaller(id(AGENT_S11)) },
      { beforeSeq: seqOf(t, isEvent('EndpointStateChange', (e) => (e.endpoint as { state: string }).state === 'offline')), run: (s) => s.unregisterEndpoint('agent1') },
    ],
  }));
  it('s12 offers to an agent that rings out, rejects, or is not registered', () => conform('s12-agent-offer-failures.jsonl', {
    controls: (t) => {
      const offer = (callId: string) => seqOf(t, (e) => e.kind === 'http_request' && (e.path ?? '').includes(`agent%2C${callId}`));
      const phone = (seq: number, b: EndpointBehaviour) => ({ beforeSeq: seq, run: (s: AriSimulator) => s.setEndpointBehaviour('PJSIP/agent1', b) });
      return [
        { beforeSeq: offer('c-a744c79c'), run: (s) => s.registerEndpoint('agent1', { phone: { kind: 'ring' } }) },
        phone(offer('c-65a0cad3'), { kind: 'reject', status: 486, afterMs: 15 }),
        phone(offer('c-e979aa2c'), { kind: 'reject', status: 603, afterMs: 15 }),
        phone(offer('c-1305b946'), { kind: 'reject', status: 480, afterMs: 15 }),
        phone(offer('c-f7475002'), { kind: 'reject', status: 486, afterMs: 15 }),
        { beforeSeq: seqOf(t, isEvent('EndpointStateChange', (e) => (e.endpoint as { state: string }).state === 'offline')), run: (s) => s.unregisterEndpoint('agent1') },
      ];
    },
  }));
  it('s13 music on hold on channels and a holding bridge, its announcer slot, bridge moves', () => conform('s13-moh-holding-bridge.jsonl', {
    // The second announcer's ;2 started its dialplan before its ;1 reported the Dial.
    races: () => [[176, 178]],
  }));
  // Up to the fourth early snoop: from there on Asterisk re-announces BRIDGEPEER after a snoop
  // goes, or merges it into the next snoop's, and the softmix re-join of a barge repeats it,
  // as threads happen to run. The listen/whisper/barge moves are held to it in snoops.test.ts.
  it('s14 snoop errors, snoops added to a bridge too early and in time', () => conform('s14-snoop-listen-whisper-barge.jsonl', {
    untilSeq: (t) => seqOf(t, (e) => e.kind === 'http_request' && (e.path ?? '').includes('snoopId=bcc85ec5')),
    races: () => [
      // The two halves of a bridge exchange connected lines in either order.
      [74, 76],
      // The agent's ;2 reaches Echo() when audio first flows: before or after the supervisor's originate.
      [104, 74], [106, 104],
      // A snoop's StasisStart and the BRIDGEPEER its audiohook triggers on the target's bridge.
      [127, 131], [160, 164],
    ],
  }));
  // Up to the unanswered callback: there Dial RINGING came before ChannelStateChange, still
  // showing the channel Down, the other order of s11, s12 and s16a (the ring-out itself is
  // held to s12 above).
  it('s16 outbound callback: answered with SIP INFO and RFC 4733 digits, busy', () => conform('s16-outbound-callback.jsonl', {
    untilSeq: (t) => seqOf(t, (e) => e.kind === 'http_request' && (e.path ?? '').includes('callback%2Ccb-296fc72c')),
    controls: (t) => {
      const offer = (id: string) => seqOf(t, (e) => e.kind === 'http_request' && (e.path ?? '').includes(`callback%2C${id}`));
      const citizen = (seq: number, b: EndpointBehaviour) => ({ beforeSeq: seq, run: (s: AriSimulator) => s.setEndpointBehaviour(CALLBACK, b) });
      const digit = (d: string, durationMs: number) => ({
        beforeSeq: seqOf(t, isEvent('ChannelDtmfReceived', (e) => e.digit === d)),
        run: (s: AriSimulator, id: (x: string) => string) => s.pressDigits(id('b08ffe0e-6526-4d41-8f98-db7374764553'), d, { durationMs }),
      });
      return [
        citizen(offer('cb-cd0f2689'), { kind: 'answer', ringingAfterMs: 3, afterMs: 1010 }),
        // 4 arrives as SIP INFO (Duration=160), 7 as RFC 4733 events.
        digit('4', 160), digit('7', 280),
        citizen(offer('cb-1f586a1f'), { kind: 'reject', status: 486, afterMs: 5 }),
      ];
    },
  }));
  it('s15 recordings across bridges: audio-only bridge time, no recording of a bridged channel, snoop recordings across moves', () => conform('s15-recording-across-bridges.jsonl', {
    races: () => [
      // The two halves of a bridge exchange connected lines in either order.
      [89, 91],
      // Which half of a hung-up Local pair is destroyed first.
      [134, 128],
    ],
  }));
});

/** What s16 dials: a number at the carrier endpoint the callbacks go out through. */
const CALLBACK = 'PJSIP/0612345678@callback-trunk';

/** The agent channel's id in s11 (the originate's channelId). */
const AGENT_S11 = 'ebf9c8ed-70cc-4e2c-9d3d-7441112aad26';
