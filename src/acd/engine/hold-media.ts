/**
 * What a waiting caller hears: music on hold, broken at intervals by the announcements
 * (place in the queue, expected wait, the virtual-hold offer once made). The music stops for
 * an announcement and starts again after it, while the caller still waits.
 */
import { isGone } from '../../ari/index.js';
import type { CallContext } from '../../calls/index.js';
import type { CallQueue } from '../call-queue.js';
import type { AcdConfig } from '../config-schema.js';
import type { HoldTimes } from './hold-time.js';
import { announcementMedia } from './queue-announcement.js';

export interface HoldMediaDeps {
  call: CallContext;
  config: AcdConfig;
  calls: CallQueue;
  holdTimes: HoldTimes;
  queue(): string;
  /** Still waiting for an agent: nothing is played after that. */
  waiting(): boolean;
  offerVirtualHold(): boolean;
  /** The caller is keying a callback number: announcements wait. */
  keysAsking(): boolean;
}

export class HoldMedia {
  constructor(private readonly deps: HoldMediaDeps) {}

  async startMusic(): Promise<void> {
    const { call, config } = this.deps;
    await call.ari.startMoh(call.channelId, config.musicClass).catch((err: unknown) => {
      if (!isGone(err)) call.log.warn({ err }, 'music on hold did not start');
    });
  }

  async announce(): Promise<void> {
    const { call, config, calls, holdTimes, waiting, keysAsking } = this.deps;
    if (!waiting()) return;
    const offerVirtualHold = this.deps.offerVirtualHold() && !keysAsking();
    const media = await announcementMedia({ call, config, calls, holdTimes, queue: this.deps.queue(), offerVirtualHold });
    if (media.length === 0 || !waiting() || keysAsking()) return;
    await call.ari.stopMoh(call.channelId).catch(() => undefined);
    await call.play(media, { bargeIn: false });
    if (waiting() && !call.signal.aborted) await this.startMusic();
  }

  /** Runs `fn` every `ms` while the caller waits, the next run timed from the end of the last. */
  every(ms: number, fn: () => Promise<void>): void {
    const tick = (): void => {
      if (!this.deps.waiting()) return;
      void fn().finally(() => this.deps.call.setTimer(ms, tick));
    };
    this.deps.call.setTimer(ms, tick);
  }
}
