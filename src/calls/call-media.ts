/**
 * Playing media to a caller and knowing how it ended.
 *
 * Asterisk reports the end of a playback only as an event (PlaybackFinished, `done` or
 * `failed`), which may even arrive before the REST answer; so each playback gets an id
 * chosen here, and its end is whichever comes first: the event, a digit (barge-in: the
 * playback is stopped), the caller hanging up, a failed request, the safety timeout, or,
 * once the event socket is back after an outage, Asterisk no longer knowing the playback.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AriEventOf } from '../ari/index.js';
import { isGone } from '../ari/index.js';
import type { AriPort } from '../ari/index.js';
import type { PlayEnd, PlayOptions } from './ports/call-flow.js';
import type { TimerSet } from './timer-set.js';

export interface CallMediaDeps {
  ari: AriPort;
  channelId: string;
  log: Logger;
  signal: AbortSignal;
  timers: TimerSet;
  maxPromptMs: number;
  /**
   * The prompts' language, passed to Asterisk with every playback: `digits:` and `number:`
   * then use that language's files and number grammar whatever the channel's language is
   * (Asterisk uses the channel's, `en` unless the endpoint sets one, when none is given).
   */
  language?: string;
  onDtmf(listener: (digit: string) => void): () => void;
  /** True once a hangup was requested: Asterisk then fails the playback before StasisEnd. */
  hangingUp(): boolean;
  /** Told of each playback's id as it is requested (the call record keeps the last ones). */
  onPlay?(playbackId: string): void;
}

export class CallMedia {
  /** Playbacks in flight, by id: the session routes PlaybackFinished here. */
  private readonly waiting = new Map<string, (event: AriEventOf<'PlaybackFinished'>) => void>();
  /** Playbacks in flight that Asterisk acknowledged, each with how to end it as finished unheard. */
  private readonly acknowledged = new Map<string, () => void>();

  constructor(private readonly deps: CallMediaDeps) {}

  get inFlight(): number {
    return this.waiting.size;
  }

  playbackFinished(event: AriEventOf<'PlaybackFinished'>): void {
    this.waiting.get(event.playback.id)?.(event);
  }

  /**
   * After the event socket came back: Asterisk replays nothing, so a playback whose
   * PlaybackFinished fell into the outage would keep its caller in silence until maxPromptMs.
   * Each playback Asterisk had acknowledged is asked after; one it no longer has ended
   * unheard, and ends here as finished. Returns how many.
   */
  async recheck(): Promise<number> {
    let ended = 0;
    await Promise.all(
      [...this.acknowledged].map(async ([playbackId, finishUnheard]) => {
        try {
          if (await this.deps.ari.getPlayback(playbackId)) return;
        } catch (err) {
          // Not known either way: its safety timeout still ends it.
          if (!isGone(err)) this.deps.log.warn({ err, playbackId }, 'could not ask after a playback');
          return;
        }
        ended += 1;
        finishUnheard();
      }),
    );
    return ended;
  }

  play(media: string[], options: PlayOptions = {}): Promise<PlayEnd> {
    const { ari, channelId, log, signal, timers } = this.deps;
    if (signal.aborted) return Promise.resolve({ reason: 'hangup' });
    const bargeIn = options.bargeIn ?? true;
    const playbackId = randomUUID();

    return new Promise<PlayEnd>((resolve) => {
      let settled = false;
      const cleanups: Array<() => void> = [];
      const finish = (end: PlayEnd): void => {
        if (settled) return;
        settled = true;
        this.waiting.delete(playbackId);
        this.acknowledged.delete(playbackId);
        for (const cleanup of cleanups) cleanup();
        resolve(end);
      };
      const stop = (): void => {
        ari.stopPlayback(playbackId).catch((err: unknown) => {
          // Already finished or never started: nothing left to stop.
          if (!isGone(err)) log.warn({ err, playbackId }, 'could not stop playback');
        });
      };

      this.waiting.set(playbackId, (event) => {
        if (event.playback.state === 'failed') {
          const gone = signal.aborted || this.deps.hangingUp();
          finish(gone ? { reason: 'hangup' } : { reason: 'failed', detail: `playback of ${event.playback.media_uri} failed` });
        } else {
          finish({ reason: 'finished' });
        }
      });

      const onAbort = (): void => finish({ reason: 'hangup' });
      signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => signal.removeEventListener('abort', onAbort));

      if (bargeIn) {
        cleanups.push(
          this.deps.onDtmf((digit) => {
            stop();
            finish({ reason: 'interrupted', digit });
          }),
        );
      }

      cleanups.push(
        timers.set(this.deps.maxPromptMs, () => {
          log.warn({ playbackId, media }, 'playback did not finish in time; stopping it');
          stop();
          finish({ reason: 'timeout' });
        }),
      );

      this.deps.onPlay?.(playbackId);
      const lang = this.deps.language;
      ari.play({ channelId }, media, lang === undefined ? { playbackId } : { playbackId, lang }).then(
        () => {
          if (!settled) this.acknowledged.set(playbackId, () => finish({ reason: 'finished' }));
        },
        (err: unknown) => {
          if (isGone(err)) return finish({ reason: 'hangup' });
          log.error({ err, media }, 'play request failed');
          finish({ reason: 'failed', detail: (err as Error).message });
        },
      );
    });
  }
}
