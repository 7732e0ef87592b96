/**
 * What a supervision asks of Asterisk, as functions of data: the ids it names its channels
 * and bridge with, and the snoop each mode needs.
 *
 *   listen   the supervisor hears both sides: a snoop on the agent's channel (spy both,
 *            whisper none) and the supervisor's leg in a helper mixing bridge with it.
 *   whisper  as listen, and what the supervisor says goes into the agent's channel only
 *            (whisper out: toward the agent's phone, not the citizen).
 *   barge    the supervisor's leg joins the call's own mixing bridge: a three-way call.
 *
 * Every channel id starts with `sup-`, so the registry hands their events to the supervision.
 */
import type { SnoopOptions } from '../../ari/port.js';

export const SUPERVISION_MODES = ['listen', 'whisper', 'barge'] as const;
export type SupervisionMode = (typeof SUPERVISION_MODES)[number];

export const SUPERVISION_CHANNEL_PREFIX = 'sup-';
export const SUPERVISOR_ROLE = 'supervisor';
export const SNOOP_ROLE = 'snoop';

export interface SupervisionIds {
  /** The supervisor's leg, originated to the supervisor's endpoint. */
  supervisorChannel: string;
  /** The mixing bridge holding the supervisor's leg and the snoop (listen, whisper). */
  helperBridge: string;
}

export function supervisionIds(supervisionId: string): SupervisionIds {
  return {
    supervisorChannel: `${SUPERVISION_CHANNEL_PREFIX}${supervisionId}`,
    helperBridge: `${SUPERVISION_CHANNEL_PREFIX}${supervisionId}`,
  };
}

const SNOOP_INFIX = '-snoop-';

/**
 * The n-th snoop of a supervision (a switch between listen and whisper makes a new one: a
 * snoop's directions are fixed, and a fresh id never meets one Asterisk still holds).
 */
export function snoopChannelId(supervisionId: string, n: number): string {
  return `${SUPERVISION_CHANNEL_PREFIX}${supervisionId}${SNOOP_INFIX}${n}`;
}

/** Which supervision a `sup-` channel belongs to, and whether it is a snoop; null for other ids. */
export function parseSupervisionChannel(channelId: string): { supervisionId: string; snoop: boolean } | null {
  if (!channelId.startsWith(SUPERVISION_CHANNEL_PREFIX)) return null;
  const rest = channelId.slice(SUPERVISION_CHANNEL_PREFIX.length);
  const at = rest.indexOf(SNOOP_INFIX);
  return at < 0 ? { supervisionId: rest, snoop: false } : { supervisionId: rest.slice(0, at), snoop: true };
}

/** The snoop a mode needs on the agent's channel; none for barge. */
export function snoopFor(mode: SupervisionMode, supervisionId: string, snoopId: string): SnoopOptions | null {
  if (mode === 'barge') return null;
  return {
    snoopId,
    spy: 'both',
    whisper: mode === 'whisper' ? 'out' : 'none',
    appArgs: `role:${SNOOP_ROLE},${supervisionId}`,
  };
}

const MODE_LABEL: Record<SupervisionMode, string> = { listen: '监听', whisper: '耳语', barge: '强插' };

/** What the supervisor's phone shows while it rings: the mode and the agent. */
export function supervisorCallerId(mode: SupervisionMode, agentId: string): string {
  return `"${MODE_LABEL[mode]} ${agentId}" <${agentId}>`;
}

export function supervisorAppArgs(supervisionId: string): string {
  return `role:${SUPERVISOR_ROLE},${supervisionId}`;
}
