/**
 * The web call's settings: the `webCall` config section (validated, the example's in step
 * with asterisk-config/pjsip.conf's [webcall] password), the public GET /webcall/settings
 * (no sign-in; off without the section or when disabled; rate limited as the other public
 * route), and the page saying plainly when web calling is not available.
 */
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { loadHotlineConfig } from '../../src/app/load-config.js';
import { WebCallConfigSchema, webCallSettings } from '../../src/webcall/index.js';
import { foundationConfig, startHarness, type Harness } from '../support/service-harness.js';
import { launchBrowser, PAGE_TEST_MS } from '../web/support/browser.js';

const LAB = { wsServer: 'wss://pbx.example.gov.cn:8089/ws', target: 'sip:12345@pbx.example.gov.cn', password: 'public-web-caller-pw' };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the webCall config', () => {
  it('takes a WSS server, a SIP target and the password, with no ICE servers by default', () => {
    const config = WebCallConfigSchema.parse(LAB);
    expect(config).toMatchObject({ enabled: true, user: 'webcall', iceServers: [] });
    expect(webCallSettings(config)).toEqual({ enabled: true, wsServer: LAB.wsServer, target: LAB.target, uri: 'sip:webcall@pbx.example.gov.cn', authorizationUsername: 'webcall', password: LAB.password, iceServers: [] });
    expect(webCallSettings({ ...config, enabled: false })).toEqual({ enabled: false });
    expect(webCallSettings(undefined)).toEqual({ enabled: false });
  });

  it('refuses an http server, a target that is not a SIP URI, a short password, a bad ICE URL and unknown keys', () => {
    expect(WebCallConfigSchema.safeParse({ ...LAB, wsServer: 'https://pbx.example.gov.cn/ws' }).success).toBe(false);
    expect(WebCallConfigSchema.safeParse({ ...LAB, target: '12345' }).success).toBe(false);
    expect(WebCallConfigSchema.safeParse({ ...LAB, password: 'short' }).success).toBe(false);
    expect(WebCallConfigSchema.safeParse({ ...LAB, iceServers: [{ urls: 'http://stun.example' }] }).success).toBe(false);
    expect(WebCallConfigSchema.safeParse({ ...LAB, secret: 'x' }).success).toBe(false);
  });

  it("the example's password is pjsip.conf's [webcall] password, and it starts switched off", async () => {
    const { webCall } = await loadHotlineConfig('config/hotline.example.yaml');
    expect(webCall?.enabled).toBe(false);
    const pjsip = await readFile('asterisk-config/pjsip.conf', 'utf8');
    const auth = /^\[webcall\]\(agent-auth\)\n(?:.*\n)*?password = (.+)$/m.exec(pjsip);
    expect(auth?.[1]).toBe(webCall?.password);
  });
});

describe('GET /webcall/settings', () => {
  it('hands the page its settings without sign-in, not cached', async () => {
    h = await startHarness({ config: { ...(await foundationConfig()), webCall: WebCallConfigSchema.parse(LAB) } });
    const res = await fetch(`${h.service.url}/webcall/settings`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ enabled: true, wsServer: LAB.wsServer, target: LAB.target, password: LAB.password, iceServers: [] });
  });

  it('says web calling is off without the section, and the page says so plainly', async () => {
    h = await startHarness({ config: await foundationConfig() });
    expect(await (await fetch(`${h.service.url}/webcall/settings`)).json()).toEqual({ enabled: false });
    const browser = await launchBrowser();
    try {
      const page = await browser.page();
      await page.goto(`${h.service.url}/app/webcall.html`);
      await expect.poll(() => page.locator('[data-testid=call-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('unavailable');
      expect(await page.locator('[data-testid=call-status]').textContent()).toContain('暂未开通');
      expect(await page.locator('#call').isDisabled()).toBe(true);
    } finally {
      await browser.close();
    }
  }, PAGE_TEST_MS);

  it('is rate limited per address as the other public route', async () => {
    h = await startHarness({ config: await foundationConfig() });
    // A fresh service's budget: the default 300 a minute, so the 301st is refused.
    const statuses: number[] = [];
    for (let i = 0; i < 301; i++) statuses.push((await fetch(`${h.service.url}/webcall/settings`)).status);
    expect(statuses.slice(0, 300).every((s) => s === 200)).toBe(true);
    expect(statuses[300]).toBe(429);
  });
});
