/**
 * The dialplan's queues are where callers go when the ACD cannot take them (Redis
 * unreachable): `Queue(hotline-${HOTLINE_QUEUE})`. Every ACD queue of the example config
 * needs its app_queue twin with members, or such a caller would meet an unknown queue.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConf } from '../../sim/model/pjsip-config.js';
import { loadHotlineConfig } from '../../src/app/load-config.js';

describe('queues.conf and the ACD', () => {
  it('has a queue with members for every ACD queue, for the dialplan fallback', async () => {
    const config = await loadHotlineConfig('config/hotline.example.yaml');
    const sections = parseConf(readFileSync('asterisk-config/queues.conf', 'utf8'));
    const dialplan = readFileSync('asterisk-config/extensions.conf', 'utf8');
    expect(dialplan).toContain('Queue(hotline-${HOTLINE_QUEUE}');
    for (const queue of Object.keys(config.acd!.queues)) {
      const section = sections.find((s) => s.name === `hotline-${queue}`);
      expect(section, `queues.conf [hotline-${queue}]`).toBeDefined();
      expect(section!.options.filter(([k]) => k === 'member').length, `members of hotline-${queue}`).toBeGreaterThan(0);
    }
  });
});
