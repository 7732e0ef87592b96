/** Who an agent is when logging in: checked with zod, as it comes from the API. */
import { z } from 'zod';
import { AgentId, AgentKind, SkillLevel, SkillName } from './ids.js';

export const AgentProfileSchema = z.object({
  id: AgentId,
  displayName: z.string().trim().min(1).max(64),
  /** The channel technology and endpoint the agent's softphone registers as, e.g. `PJSIP/1001`. */
  // A seat, never a dial string out (`PJSIP/<number>@carrier`): agents' calls stay in the centre.
  endpoint: z.string().regex(/^(PJSIP|SIP|IAX2)\/[A-Za-z0-9_.-]{1,80}$/, 'a dialable endpoint (a seat) such as PJSIP/1001'),
  /** Skill → level 1 (beginner) … 9 (expert). */
  skills: z.record(SkillName, SkillLevel).refine((s) => Object.keys(s).length > 0, 'an agent needs at least one skill'),
  kind: AgentKind.default('regular'),
});

export type AgentProfile = z.infer<typeof AgentProfileSchema>;
export type AgentProfileInput = z.input<typeof AgentProfileSchema>;
