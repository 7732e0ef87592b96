import { describe, expect, it } from 'vitest';
import { AgentCountSampler, type AgentStateKind } from '../../src/acd/index.js';
import { createTestLogger } from '../support/test-logger.js';

const counts = (ready: number): Record<AgentStateKind, number> => ({ offline: 0, ready, 'not-ready': 0, ringing: 0, 'on-call': 0, 'wrap-up': 0 });

describe('agent count sampler', () => {
  it('has nothing before the first answer, then keeps the last sample through failed reads', async () => {
    const answers: Array<() => Promise<Record<AgentStateKind, number>>> = [
      () => Promise.reject(new Error('redis away')),
      () => Promise.resolve(counts(3)),
      () => Promise.reject(new Error('redis away again')),
    ];
    const sampler = new AgentCountSampler(() => answers.shift()!(), 60_000, createTestLogger());
    await sampler.sample();
    expect(sampler.counts()).toBeNull();
    expect(sampler.ageMs()).toBeNull();
    await sampler.sample();
    expect(sampler.counts()).toEqual(counts(3));
    await sampler.sample();
    expect(sampler.counts()).toEqual(counts(3));
    expect(sampler.ageMs()).toBeGreaterThanOrEqual(0);
  });
});
