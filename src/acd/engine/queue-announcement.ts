/**
 * What a waiting caller hears at each announcement: their place in the queue and the
 * expected wait (prompts around `number:` media), and the virtual-hold offer once made.
 * Whatever cannot be read (Redis slow or away) is left out rather than guessed.
 */
import type { CallContext } from '../../calls/index.js';
import type { CallQueue } from '../call-queue.js';
import type { AcdConfig } from '../config-schema.js';
import { announcedMinutes, type HoldTimes } from './hold-time.js';

export interface AnnouncementInput {
  call: CallContext;
  config: AcdConfig;
  calls: CallQueue;
  holdTimes: HoldTimes;
  queue: string;
  offerVirtualHold: boolean;
}

export async function announcementMedia(input: AnnouncementInput): Promise<string[]> {
  const { call, config, calls, holdTimes, queue } = input;
  const around = (words: { before: string; after?: string | undefined }, n: number): string[] => [
    ...call.promptMedia(words.before),
    `number:${n}`,
    ...(words.after ? call.promptMedia(words.after) : []),
  ];
  const media: string[] = [];
  try {
    const { position, estimatedWait } = config.announcements;
    if (position) {
      const place = await calls.position(call.callId);
      if (place !== null) media.push(...around(position, place));
    }
    if (estimatedWait) {
      const ms = await holdTimes.expected(queue);
      if (ms !== null) media.push(...around(estimatedWait, announcedMinutes(ms)));
    }
  } catch (err) {
    call.log.warn({ err }, 'queue position not read; announcing what is known');
  }
  if (input.offerVirtualHold && config.virtualHold) media.push(...call.promptMedia(config.virtualHold.offerPrompt));
  return media;
}
