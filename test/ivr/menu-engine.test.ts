import { describe, expect, it } from 'vitest';
import { buildEngineProgram } from '../../src/ivr/flow-factory.js';
import { EngineDriver } from './support/engine-driver.js';
import { beijing, exampleConfig, WORKDAY_MORNING } from './support/example-config.js';

const program = buildEngineProgram(exampleConfig());
const drive = (now = WORKDAY_MORNING) => new EngineDriver(program, now);
const ANNOUNCEMENTS = ['welcome-12345', 'call-recorded', 'emergency-notice'];

describe('menu engine: the example 12345 menu', () => {
  it('plays the announcements, then the menu, and takes option 1 to the general queue', () => {
    const d = drive().start().finishUntil('main-menu');
    expect(d.prompts).toEqual([...ANNOUNCEMENTS, 'main-menu']);
    d.finish();
    expect(d.timers.size).toBe(1);
    d.press('1');
    expect(d.timers.size).toBe(0);
    d.finishUntil();
    expect(d.lastAction).toMatchObject({ nodeId: 'general-agent', node: { kind: 'queue', queue: 'general' }, reason: 'menu' });
    expect(d.steps.map((s) => [s.node, s.input, s.outcome, s.next])).toEqual([
      ['announcements', null, 'heard', 'main-menu'],
      ['main-menu', '1', 'option-1', 'general-hours'],
      ['general-hours', null, 'open', 'general-agent'],
    ]);
  });

  it.each([
    ['2', 'enterprise-agent', { kind: 'queue', queue: 'enterprise' }],
    ['4', 'utilities-transfer', { kind: 'transfer', number: '96345' }],
    ['0', 'general-agent', { kind: 'queue', queue: 'general' }],
  ])('option %s runs %s', (key, nodeId, node) => {
    const d = drive().start().finishUntil('main-menu').press(key).finishUntil();
    expect(d.lastAction).toMatchObject({ nodeId, node });
  });

  it('option 3 collects a ticket number ending with # and runs the status action with it', () => {
    const d = drive().start().finishUntil('main-menu').press('3').finishUntil('ticket-enter-number').press('20261118#');
    expect(d.lastAction).toMatchObject({ nodeId: 'ticket-lookup', vars: { ticket: '20261118' }, visit: 1 });
    d.actionEnded('retry').finishUntil('ticket-enter-number').press('20261119#');
    expect(d.lastAction).toMatchObject({ nodeId: 'ticket-lookup', vars: { ticket: '20261119' }, visit: 2 });
    d.actionEnded('found').finishUntil('ticket-after-menu');
    expect(d.steps.filter((s) => s.node === 'ticket-lookup').map((s) => s.outcome)).toEqual(['retry', 'found']);
  });

  it('barge-in: a digit during the menu prompt chooses at once', () => {
    const d = drive().start().finishUntil('main-menu').press('0');
    expect(d.prompts.at(-1)).toBe('transferring-to-agent');
    expect(d.steps.at(-1)).toMatchObject({ node: 'main-menu', input: '0', outcome: 'option-0' });
  });

  it('a stray key during a mandatory announcement restarts it, at most maxReplays times', () => {
    const d = drive().start().finishUntil('call-recorded').press('5');
    expect(d.prompts).toEqual(['welcome-12345', 'call-recorded', 'call-recorded']);
    d.press('5').press('5');
    // Two replays allowed; the third key lets the prompt go.
    expect(d.prompts).toEqual(['welcome-12345', 'call-recorded', 'call-recorded', 'call-recorded', 'emergency-notice']);
  });

  it('no input: plays the no-input prompt and the menu again, then goes to onFail', () => {
    const d = drive().start().finishUntil('main-menu').finish().timeout().finish();
    expect(d.prompts.slice(-2)).toEqual(['no-input', 'main-menu']);
    d.finishUntil().timeout().finishUntil().timeout().finishUntil();
    expect(d.steps.filter((s) => s.node === 'main-menu').map((s) => s.outcome)).toEqual(['timeout', 'timeout', 'timeout:retries-exhausted']);
    expect(d.lastAction).toMatchObject({ nodeId: 'general-agent' });
  });

  it('an invalid key plays the invalid prompt and the menu again', () => {
    const d = drive().start().finishUntil('main-menu').finish().press('7').finish();
    expect(d.prompts.slice(-2)).toEqual(['invalid-key', 'main-menu']);
    expect(d.steps.at(-1)).toMatchObject({ node: 'main-menu', input: '7', outcome: 'invalid', next: 'main-menu' });
    d.finishUntil().press('1').finishUntil();
    expect(d.lastAction).toMatchObject({ nodeId: 'general-agent' });
  });

  it('a final action ends the engine; later events change nothing', () => {
    const d = drive().start().finishUntil('main-menu').press('0').finishUntil().actionEnded('queue:general', true);
    expect(d.engine.finished).toBe(true);
    const before = d.steps.length;
    d.press('1').send({ type: 'timeout', timerId: 1 });
    expect(d.steps).toHaveLength(before);
    expect(d.actions).toHaveLength(1);
  });
});

describe('menu engine: the emergency key', () => {
  it('is live during the announcements', () => {
    const d = drive().start().press('9');
    expect(d.lastAction).toMatchObject({ nodeId: 'emergency-key', node: { kind: 'emergency', route: 'emergency-linkage' }, reason: 'emergency-key' });
    expect(d.steps).toEqual([{ node: 'announcements', input: '9', outcome: 'emergency-key', next: 'emergency-key' }]);
  });

  it('is live in a menu and while waiting for a key', () => {
    expect(drive().start().finishUntil('main-menu').press('9').lastAction?.nodeId).toBe('emergency-key');
    expect(drive().start().finishUntil('main-menu').finish().press('9').lastAction?.nodeId).toBe('emergency-key');
  });

  it('is checked before anything else when pressed before the menu started', () => {
    const d = drive().start({ pendingDigits: ['9'] });
    expect(d.prompts).toEqual([]);
    expect(d.lastAction?.nodeId).toBe('emergency-key');
  });

  it('is live for a restricted caller during the notice', () => {
    const d = drive().start({ caller: 'restricted' });
    expect(d.prompts).toEqual(['restricted-notice']);
    d.finishUntil('emergency-notice').press('9');
    expect(d.lastAction?.nodeId).toBe('emergency-key');
  });

  it('is only a digit while a ticket number is typed', () => {
    const d = drive().start().finishUntil('main-menu').press('3').finishUntil().press('991234#');
    expect(d.lastAction).toMatchObject({ nodeId: 'ticket-lookup', vars: { ticket: '991234' } });
  });
});

describe('menu engine: callers and modes', () => {
  it('a restricted caller hears the notice and is hung up', () => {
    const d = drive().start({ caller: 'restricted' }).finishUntil();
    expect(d.prompts).toEqual(['restricted-notice', 'emergency-notice', 'goodbye']);
    expect(d.lastAction).toMatchObject({ nodeId: 'restricted-goodbye', node: { kind: 'hangup' } });
  });

  it('a priority caller skips the menu and is queued at the list priority', () => {
    const d = drive().start({ caller: 'priority' }).finishUntil();
    expect(d.prompts).not.toContain('main-menu');
    expect(d.lastAction).toMatchObject({ nodeId: 'general-agent', reason: 'priority-caller', priority: 9 });
  });

  it('direct-to-human mode queues after the announcements, emergency key still live', () => {
    const direct = buildEngineProgram(exampleConfig((raw) => (raw.ivr.mode = 'direct-to-human')));
    const d = new EngineDriver(direct, WORKDAY_MORNING).start().finishUntil();
    expect(d.prompts).toEqual([...ANNOUNCEMENTS, 'transferring-to-agent']);
    expect(d.lastAction).toMatchObject({ nodeId: 'general-agent', reason: 'direct-to-human' });
    expect(d.lastAction?.priority).toBeUndefined();
    const e = new EngineDriver(direct, WORKDAY_MORNING).start().finishUntil('emergency-notice').press('9');
    expect(e.lastAction?.nodeId).toBe('emergency-key');
  });

  it('a merged number starts at its own entry with its own greeting', () => {
    const d = drive().start({ line: 'market-12315' }).finishUntil('market-menu').press('1').finishUntil();
    expect(d.prompts[0]).toBe('welcome-12315');
    expect(d.lastAction).toMatchObject({ nodeId: 'market-agent', node: { queue: 'market' } });
  });

  it('an unknown line uses the default line', () => {
    expect(drive().start({ line: 'nope' }).prompts[0]).toBe('welcome-12345');
  });
});

describe('menu engine: opening hours', () => {
  const enterprise = (now: Date) => drive(now).start().finishUntil('main-menu').press('2').finishUntil('enterprise-closed-menu');

  it('at night the enterprise line offers a callback request', () => {
    const d = enterprise(beijing('2026-11-18T23:30:00')).press('1').finishUntil();
    expect(d.lastAction).toMatchObject({ nodeId: 'enterprise-callback', node: { kind: 'callback-request' } });
    expect(d.steps.find((s) => s.node === 'enterprise-hours')?.outcome).toBe('closed');
  });

  it('on a public holiday the enterprise line is closed', () => {
    expect(enterprise(beijing('2026-10-02T10:00:00')).prompts.at(-1)).toBe('enterprise-closed-menu');
  });

  it('on a make-up working day (a Saturday) the enterprise line is open', () => {
    const d = drive(beijing('2026-10-10T10:00:00')).start().finishUntil('main-menu').press('2').finishUntil();
    expect(d.lastAction).toMatchObject({ nodeId: 'enterprise-agent' });
  });

  it('at night option 1 goes to the night queue', () => {
    const d = drive(beijing('2026-11-18T23:30:00')).start().finishUntil('main-menu').press('1').finishUntil();
    expect(d.lastAction).toMatchObject({ nodeId: 'night-agent' });
  });
});
