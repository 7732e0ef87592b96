/**
 * The shipped pjsip.conf: the endpoints that carry citizens and agents speak Chinese, and
 * every endpoint negotiates only codecs a stock Asterisk 22 (no codec_opus) can translate,
 * with what a browser or the carrier offers, so prompts play and any two can be bridged.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { negotiate, Translators } from '../../sim/model/codecs.js';
import { parseConf, pjsipEndpoints, type PjsipEndpoint } from '../../sim/model/pjsip-config.js';

const TEXT = readFileSync('asterisk-config/pjsip.conf', 'utf8');
const MODULES = readFileSync('asterisk-config/modules.conf', 'utf8');
/** What Chromium's WebRTC offer lists, in its order. */
const BROWSER_OFFER = ['opus', 'red', 'g722', 'ulaw', 'alaw', 'telephone-event'];
const stock = new Translators();

/** The format each endpoint ends up with: browsers offer their list, the carrier takes Asterisk's order. */
const negotiated = (e: PjsipEndpoint) => negotiate(e.allow, e.webrtc ? BROWSER_OFFER : undefined);

/** What is wrong with these endpoints' codecs on a stock Asterisk. */
function codecFaults(endpoints: PjsipEndpoint[]): string[] {
  const faults: string[] = [];
  for (const e of endpoints) {
    if (e.allow.length === 0) faults.push(`${e.name}: allows no codec`);
    for (const c of e.allow) if (!stock.canTranslate(c, 'slin') || !stock.canTranslate('slin', c)) faults.push(`${e.name}: allows ${c}, which has no translation path`);
    if (!negotiated(e)) faults.push(`${e.name}: nothing in common with its callers`);
  }
  for (const a of endpoints) {
    for (const b of endpoints) {
      const fa = negotiated(a);
      const fb = negotiated(b);
      if (fa && fb && !stock.canTranslate(fa, fb)) faults.push(`${a.name} (${fa}) cannot be bridged with ${b.name} (${fb})`);
    }
  }
  return faults;
}

const endpoints = pjsipEndpoints(TEXT);
const carrier = endpoints.filter((e) => e.context === 'from-carrier');
const agents = endpoints.filter((e) => e.webrtc && e.context === 'agents');
const webCallers = endpoints.filter((e) => e.context === 'from-web');

describe('pjsip.conf endpoints', () => {
  it('are the carrier, the WebRTC agents and the WebRTC web callers', () => {
    expect(carrier.map((e) => e.name)).toEqual(['carrier']);
    expect(agents.map((e) => e.name)).toEqual(['1001', '1002', '1003']);
    expect(webCallers.map((e) => [e.name, e.webrtc])).toEqual([['webcall', true]]);
    expect(endpoints.filter((e) => e.webrtc).length).toBe(agents.length + webCallers.length);
  });

  it('that carry citizens and agents are zh channels', () => {
    expect([...carrier, ...agents].filter((e) => !e.languageSet || e.language !== 'zh').map((e) => e.name)).toEqual([]);
  });

  it('negotiate only codecs stock Asterisk translates, and any two can be bridged', () => {
    expect(codecFaults(endpoints)).toEqual([]);
    expect(agents.map(negotiated)).toEqual(['g722', 'g722', 'g722']);
    expect(carrier.map(negotiated)).toEqual(['alaw']);
  });

  it('the check catches agents allowing Opus, as they were: the browser picks it and nothing translates it', () => {
    const before = pjsipEndpoints(TEXT.replace('allow = alaw,ulaw,g722', 'allow = opus,alaw,ulaw'));
    expect(codecFaults(before)).toContain('1001: allows opus, which has no translation path');
    expect(codecFaults(before)).toContain('1001 (opus) cannot be bridged with carrier (alaw)');
  });

  it('identify callers only with identifier modules modules.conf loads', () => {
    const global = parseConf(TEXT).find((s) => s.options.some(([k, v]) => k === 'type' && v === 'global'));
    const order = global?.options.find(([k]) => k === 'endpoint_identifier_order')?.[1].split(',').map((x) => x.trim()) ?? [];
    const MODULE = { ip: 'res_pjsip_endpoint_identifier_ip.so', username: 'res_pjsip_endpoint_identifier_user.so', anonymous: 'res_pjsip_endpoint_identifier_anonymous.so' };
    expect(order.length).toBeGreaterThan(0);
    for (const name of order) expect(MODULES, name).toMatch(new RegExp(`^(load|require) = ${MODULE[name as keyof typeof MODULE]}$`, 'm'));
  });
});
