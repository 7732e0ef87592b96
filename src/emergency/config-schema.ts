/**
 * The `emergency` section of the hotline config: the linkage routes (110 police — the
 * linkage centre —, 119 fire, 120 ambulance, 122 traffic, the utility hotlines), each an
 * ordered list of targets tried in turn, and the prompt that tells the caller where they are
 * being put through. Route names are the IVR's (`ivr.routes`, `ivr.emergency.route`).
 */
import { z } from 'zod';

const RouteName = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'route names are kebab-case');
const PromptRef = z.string().min(1).max(64);

export const EmergencyTargetSchema = z.object({
  /** A dial string over a trunk, e.g. `PJSIP/110@carrier`. */
  endpoint: z.string().regex(/^[A-Za-z][A-Za-z0-9]*\/[^\s,]+$/, 'a dial string such as PJSIP/110@carrier'),
  ringTimeoutSeconds: z.number().int().min(5).max(120).default(20),
});

export const EmergencyRouteSchema = z.object({
  /** What the centre is called in receipts and logs: "110", "119", "water". */
  label: z.string().min(1).max(32),
  /** "正在为您转接110…": played while the first target is dialled. */
  prompt: PromptRef,
  targets: z.array(EmergencyTargetSchema).min(1),
});

export const EmergencyConfigSchema = z.object({
  routes: z.record(RouteName, EmergencyRouteSchema),
  /** When every target failed: the caller is told what to dial (the IVR's emergency.failedPrompt) and queued here at top priority. */
  agentQueue: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).optional(),
});

export type EmergencyConfig = z.infer<typeof EmergencyConfigSchema>;
export type EmergencyRoute = z.infer<typeof EmergencyRouteSchema>;
export type EmergencyTarget = z.infer<typeof EmergencyTargetSchema>;

export interface EmergencyFault {
  path: (string | number)[];
  message: string;
}

/** Cross-section checks: every route the IVR names is configured, prompts exist, the agent queue is an ACD queue. */
export function emergencyConfigFaults(config: {
  emergency?: EmergencyConfig | undefined;
  prompts: { sounds: Record<string, unknown> };
  ivr?: { routes: string[]; emergency: { route: string } } | undefined;
  acd?: { queues: Record<string, unknown> } | undefined;
}): EmergencyFault[] {
  const emergency = config.emergency;
  if (!emergency) return [];
  const faults: EmergencyFault[] = [];
  for (const [name, route] of Object.entries(emergency.routes)) {
    if (!(route.prompt in config.prompts.sounds)) faults.push({ path: ['emergency', 'routes', name, 'prompt'], message: `unknown prompt "${route.prompt}" (not in prompts.sounds)` });
  }
  for (const [i, route] of (config.ivr?.routes ?? []).entries()) {
    if (!Object.hasOwn(emergency.routes, route)) faults.push({ path: ['ivr', 'routes', i], message: `route "${route}" has no targets (not in emergency.routes)` });
  }
  if (emergency.agentQueue !== undefined && !Object.hasOwn(config.acd?.queues ?? {}, emergency.agentQueue)) {
    faults.push({ path: ['emergency', 'agentQueue'], message: `unknown queue "${emergency.agentQueue}" (not in acd.queues)` });
  }
  return faults;
}
