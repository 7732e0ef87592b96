/** The names the ACD config uses for its parts; one definition each. */
import { z } from 'zod';

const kebab = /^[a-z0-9][a-z0-9-]*$/;

export const QueueName = z.string().regex(kebab, 'queue names are kebab-case');
export const SkillName = z.string().regex(kebab, 'skills are kebab-case');
export const ReasonCode = z.string().regex(kebab, 'reason codes are kebab-case');
export const AgentId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'agent ids are letters, digits, _ . -');
/** A skill level: 1 (beginner) … 9 (expert). */
export const SkillLevel = z.number().int().min(1).max(9);

/** `regular` agents answer the centre's queues; `guest` agents (leaders on set days, Hangzhou art. 26) only their own. */
export const AgentKind = z.enum(['regular', 'guest']);
export type AgentKind = z.infer<typeof AgentKind>;

/** The not-ready reason the ACD sets itself when an agent lets calls ring out. */
export const NO_ANSWER_REASON = 'no-answer';

/** The not-ready reason the ACD sets itself when an agent's softphone cannot be reached (not registered). */
export const UNREACHABLE_REASON = 'unreachable';

/** The not-ready reason of an agent just logged in at the desk, until its first "ready" (its softphone still registering). */
export const LOGGED_IN_REASON = 'logged-in';

/** Reasons the ACD and the desk set themselves: valid whatever acd.notReadyReasons lists. */
export const OWN_REASONS: readonly string[] = [NO_ANSWER_REASON, UNREACHABLE_REASON, LOGGED_IN_REASON];
