/**
 * Lookups every channel route starts with, answering as Asterisk does: 404 when the
 * channel does not exist, 409 when it exists but is not in a Stasis application.
 */
import type { SimChannel } from '../model/types.js';
import type { World } from '../model/world.js';
import { message, notFound, ReplyError } from './kit.js';

export function channelOr404(world: World, id: string | undefined): SimChannel {
  const ch = id === undefined ? undefined : world.findChannel(id);
  if (!ch || ch.hangingUp) throw new ReplyError(notFound('Channel'));
  return ch;
}

export function stasisChannel(world: World, id: string | undefined): SimChannel {
  const ch = channelOr404(world, id);
  if (!ch.stasisApp) throw new ReplyError(message(409, 'Channel not in Stasis application'));
  return ch;
}

/** `Hangup reasons` of ARI and the Q.850 causes they stand for. */
export const HANGUP_REASONS: Readonly<Record<string, { cause: number; cause_txt: string }>> = {
  normal: { cause: 16, cause_txt: 'Normal Clearing' },
  busy: { cause: 17, cause_txt: 'User busy' },
  congestion: { cause: 34, cause_txt: 'Circuit/channel congestion' },
  no_answer: { cause: 19, cause_txt: 'User alerting, no answer' },
  timeout: { cause: 18, cause_txt: 'No user responding' },
  rejected: { cause: 21, cause_txt: 'Call Rejected' },
  unallocated: { cause: 1, cause_txt: 'Unallocated (unassigned) number' },
  normal_unspecified: { cause: 31, cause_txt: 'Normal, unspecified' },
  number_incomplete: { cause: 28, cause_txt: 'Invalid number format (incomplete number)' },
  codec_mismatch: { cause: 58, cause_txt: 'Bearer capability not available' },
  interworking: { cause: 127, cause_txt: 'Interworking, unspecified' },
  failure: { cause: 38, cause_txt: 'Network out of order' },
  answered_elsewhere: { cause: 26, cause_txt: 'Answered elsewhere' },
};
