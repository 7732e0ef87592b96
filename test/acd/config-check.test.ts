import { describe, expect, it } from 'vitest';
import { AcdConfigSchema, acdConfigFaults, type AcdConfigInput } from '../../src/acd/index.js';

function validConfig(): AcdConfigInput {
  return {
    skills: ['general', 'enterprise', 'leaders'],
    notReadyReasons: { lunch: { label: '午休' }, training: { label: '培训' } },
    queues: {
      general: {
        skill: 'general',
        minLevel: 5,
        widening: [{ afterSeconds: 30, minLevel: 3 }, { afterSeconds: 60, skill: 'enterprise', minLevel: 7 }],
        overflow: { kind: 'queue', queue: 'enterprise' },
      },
      enterprise: { skill: 'enterprise', overflow: { kind: 'dialplan', context: 'hotline-overflow' } },
      leaders: { skill: 'leaders', kind: 'guest', overflow: { kind: 'queue', queue: 'general' } },
    },
  };
}

/** Every fault of the config after one edit, as "path: message": the schema's first, then the cross-checks. */
function faultsOf(edit: (raw: any) => void): string[] {
  const raw = structuredClone(validConfig());
  edit(raw);
  const parsed = AcdConfigSchema.safeParse(raw);
  if (!parsed.success) return parsed.error.issues.map((i) => `acd.${i.path.join('.')}: ${i.message}`);
  return acdConfigFaults({ acd: parsed.data }).map((f) => `${f.path.join('.')}: ${f.message}`);
}

describe('ACD config', () => {
  it('accepts a valid section and fills the defaults', () => {
    expect(faultsOf(() => {})).toEqual([]);
    const acd = AcdConfigSchema.parse(validConfig());
    expect(acd.queues.enterprise).toMatchObject({
      minLevel: 1,
      kind: 'regular',
      ringTimeoutSeconds: 20,
      wrapUpSeconds: 30,
      serviceLevelSeconds: 15,
      missesBeforePause: 1,
      widening: [],
      overflow: { kind: 'dialplan', context: 'hotline-overflow', extension: 's' },
    });
    expect(acdConfigFaults({})).toEqual([]);
  });

  it('refuses an unknown skill, on the queue and on a widening step', () => {
    expect(faultsOf((raw) => (raw.queues.general.skill = 'tax'))).toEqual(['acd.queues.general.skill: unknown skill "tax" (not in acd.skills)']);
    expect(faultsOf((raw) => (raw.queues.general.widening[1].skill = 'tax'))).toEqual([
      'acd.queues.general.widening.1.skill: unknown skill "tax" (not in acd.skills)',
    ]);
  });

  it('refuses widening steps out of order, never reached, or admitting nobody new', () => {
    expect(faultsOf((raw) => (raw.queues.general.widening[1].afterSeconds = 30))).toEqual([
      "acd.queues.general.widening.1.afterSeconds: 30 s is not after the previous step's 30 s",
    ]);
    expect(faultsOf((raw) => (raw.queues.general.longestWaitSeconds = 60))).toEqual([
      'acd.queues.general.widening.1.afterSeconds: 60 s is never reached: calls leave by the overflow after longestWaitSeconds (60 s)',
    ]);
    expect(faultsOf((raw) => (raw.queues.general.widening[0].minLevel = 5))).toEqual([
      'acd.queues.general.widening.0.minLevel: level 5 admits no agent the queue does not take already (level 5 and above)',
    ]);
    expect(faultsOf((raw) => raw.queues.general.widening.push({ afterSeconds: 90, skill: 'general', minLevel: 4 }))).toEqual([
      'acd.queues.general.widening.2.minLevel: level 4 admits no agent the queue does not take already (level 3 and above)',
    ]);
    expect(faultsOf((raw) => (raw.queues.general.widening[0].afterSeconds = 0))).toEqual([
      'acd.queues.general.widening.0.afterSeconds: a widening step starts after at least 1 s',
    ]);
  });

  it('refuses an overflow to an unknown queue', () => {
    expect(faultsOf((raw) => (raw.queues.leaders.overflow.queue = 'mayor'))).toEqual([
      'acd.queues.leaders.overflow.queue: unknown queue "mayor" (not in acd.queues)',
    ]);
  });

  it('refuses overflow loops once each, naming the loop', () => {
    expect(faultsOf((raw) => (raw.queues.enterprise.overflow = { kind: 'queue', queue: 'general' }))).toEqual([
      'acd.queues.enterprise.overflow.queue: an overflow loop: enterprise → general → enterprise',
    ]);
    expect(faultsOf((raw) => (raw.queues.enterprise.overflow = { kind: 'queue', queue: 'enterprise' }))).toEqual([
      'acd.queues.enterprise.overflow.queue: an overflow loop: enterprise → enterprise',
    ]);
  });

  it('refuses a skill listed twice and the ACD\'s own reason code', () => {
    expect(faultsOf((raw) => raw.skills.push('general'))).toEqual(['acd.skills.3: "general" is listed twice']);
    expect(faultsOf((raw) => (raw.notReadyReasons['no-answer'] = { label: '未接' }))).toEqual([
      'acd.notReadyReasons.no-answer: "no-answer" is the ACD\'s own reason (set after missed calls); pick another code',
    ]);
  });

  it('names the field of a malformed value', () => {
    expect(faultsOf((raw) => (raw.queues.general.minLevel = 10))).toEqual(['acd.queues.general.minLevel: Too big: expected number to be <=9']);
    expect(faultsOf((raw) => (raw.queues.general.overflow = { kind: 'voicemail' }))).toEqual([
      "acd.queues.general.overflow.kind: Invalid discriminator value. Expected 'queue' | 'callback' | 'dialplan'",
    ]);
    expect(faultsOf((raw) => (raw.queues.general.kind = 'vip'))).toEqual(['acd.queues.general.kind: Invalid option: expected one of "regular"|"guest"']);
    expect(faultsOf((raw) => (raw.notReadyReasons.Lunch = { label: 'x' }))).toEqual(['acd.notReadyReasons.Lunch: Invalid key in record']);
  });
});
