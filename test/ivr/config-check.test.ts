import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { parseHotlineConfig } from '../../src/app/load-config.js';
import { stringify } from 'yaml';
import { exampleConfig, exampleRaw } from './support/example-config.js';

/** The faults the loader reports for the example with one edit, as "path: reason". */
function faultsOf(edit: (raw: Record<string, any>) => void): string[] {
  const raw = exampleRaw();
  edit(raw);
  try {
    parseHotlineConfig('hotline.yaml', stringify(raw));
  } catch (err) {
    if (err instanceof ConfigError) return err.faults.map((f) => `${f.path}: ${f.reason}`);
    throw err;
  }
  return [];
}

describe('IVR config checks', () => {
  it('accepts the shipped example', () => {
    expect(faultsOf(() => {})).toEqual([]);
    expect(Object.keys(exampleConfig().ivr!.nodes).length).toBeGreaterThan(10);
  });

  it('refuses an unreachable node, naming it', () => {
    expect(faultsOf((raw) => (raw.ivr.nodes.orphan = { kind: 'hangup', prompts: ['goodbye'] }))).toEqual([
      'ivr.nodes.orphan: unreachable: no line entry, agent node or restriction entry leads here',
    ]);
  });

  it('refuses an unknown prompt, with the path of the field', () => {
    expect(faultsOf((raw) => (raw.ivr.nodes['main-menu'].invalidPrompt = 'nope'))).toEqual([
      'ivr.nodes.main-menu.invalidPrompt: unknown prompt "nope" (not in prompts.sounds)',
    ]);
    expect(faultsOf((raw) => raw.ivr.lines.main.announcements.push('missing-notice'))).toEqual([
      'ivr.lines.main.announcements.3: unknown prompt "missing-notice" (not in prompts.sounds)',
    ]);
  });

  it('refuses an unknown queue and an unknown route', () => {
    expect(faultsOf((raw) => (raw.ivr.nodes['night-agent'].queue = 'nights'))).toEqual([
      'ivr.nodes.night-agent.queue: unknown queue "nights" (not in acd.queues)',
    ]);
    expect(faultsOf((raw) => (raw.ivr.emergency.route = 'police'))).toEqual([
      'ivr.emergency.route: unknown route "police" (not in ivr.routes)',
    ]);
  });

  it('refuses a loop that waits for no input, naming the loop', () => {
    const faults = faultsOf((raw) => {
      raw.ivr.nodes['restricted-notice'].next = 'restricted-again';
      raw.ivr.nodes['restricted-again'] = { kind: 'goto', to: 'restricted-notice' };
      delete raw.ivr.nodes['restricted-goodbye'];
    });
    expect(faults).toEqual(['ivr.nodes.restricted-notice.next: a loop that waits for no input: restricted-notice → restricted-again → restricted-notice']);
  });

  it('counts a menu retry edge as no input: onFail back to the menu is a loop', () => {
    const faults = faultsOf((raw) => (raw.ivr.nodes['ticket-after'].onFail = 'ticket-after'));
    expect(faults).toContain('ivr.nodes.ticket-after.onFail: a loop that waits for no input: ticket-after → ticket-after');
  });

  it('refuses an unknown node, schedule, line, or the emergency key as a menu option', () => {
    expect(faultsOf((raw) => (raw.ivr.nodes['main-menu'].options['5'] = 'nowhere'))).toEqual([
      'ivr.nodes.main-menu.options.5: unknown node "nowhere"',
    ]);
    expect(faultsOf((raw) => (raw.ivr.nodes['general-hours'].schedule = 'weekends'))).toEqual([
      'ivr.nodes.general-hours.schedule: unknown schedule "weekends" (not in calendar.openingHours)',
    ]);
    expect(faultsOf((raw) => (raw.ivr.lines['city-96345'] = raw.ivr.lines.main))).toEqual([
      'ivr.lines.city-96345: "city-96345" is not the line of any number in hotline.numbers',
    ]);
    expect(faultsOf((raw) => (raw.ivr.nodes['main-menu'].options['9'] = 'general-agent'))).toEqual([
      'ivr.nodes.main-menu.options.9: key 9 is the emergency key; it cannot be a menu option',
    ]);
  });

  it('refuses an agent node that is not a queue, and a ticket-status node with a missing edge', () => {
    expect(faultsOf((raw) => (raw.ivr.lines.main.agent = 'goodbye'))).toContain('ivr.lines.main.agent: "goodbye" is a hangup node, not a queue node');
    expect(faultsOf((raw) => delete raw.ivr.nodes['ticket-lookup'].on.retry)).toEqual(['ivr.nodes.ticket-lookup.on.retry: Invalid input: expected string, received undefined']);
  });

  it('refuses a bad node shape with the path (zod)', () => {
    expect(faultsOf((raw) => (raw.ivr.nodes['general-agent'].priority = 42))[0]).toMatch(/^ivr\.nodes\.general-agent\.priority: /);
    expect(faultsOf((raw) => (raw.ivr.nodes['main-menu'].kind = 'menuu'))[0]).toMatch(/^ivr\.nodes\.main-menu\.kind: /);
  });
});
