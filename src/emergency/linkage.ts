/**
 * Emergency linkage over ARI: the caller is put through to a route's centre (110, 119, 120,
 * 122, a utility hotline) by the service itself, depending on nothing but Asterisk.
 *
 *   prompt ("正在为您转接110…") while the first target is dialled, ringback after it
 *   target 1 ─ busy / no answer / failure ─► target 2 ─ … ─► every one failed:
 *      │ answered                                             the caller hears what to dial,
 *      ▼                                                      is queued for an agent at top
 *   caller + centre in mixing bridge emg-<callId>              priority, supervisors alerted
 *      until either hangs up
 *
 * The caller's own number is the caller id toward the centre, presentation allowed, and the
 * call id travels as a channel variable and a SIP header. Each transfer leaves a receipt:
 * the `call.emergency` event with every target tried, its outcome and cause.
 */
import type { Logger } from 'pino';
import type { AriEvent, AriPort } from '../ari/index.js';
import { isGone } from '../ari/index.js';
import type { CallContext, CallRegistry, DomainEventPayloads, FlowResult } from '../calls/index.js';
import type { EmergencyConfig, EmergencyRoute } from './config-schema.js';
import { attemptOutcome, LegWatch } from './leg-watch.js';
import type { EmergencyMetrics } from './metrics.js';

export const EMERGENCY_ROLE = 'emergency';
export const EMERGENCY_LEG_PREFIX = 'emg-';
/** Leg ids per entry, so a consultation and a later transfer of one call never share an id. */
const LEG_TAG = { menu: '', agent: 'a', consultation: 'c' } as const;

type Attempt = DomainEventPayloads['call.emergency']['attempts'][number];

/** What dialling a route came to: the answered leg (to be connected), or none; every attempt either way. */
export interface Dialled {
  answered: { channelId: string; leg: LegWatch; release(): void } | null;
  attempts: Attempt[];
  /** The receipt published for this dialling (also kept on the call record). */
  receipt: DomainEventPayloads['call.emergency'];
}

export interface EmergencyLinkageDeps {
  ari: AriPort;
  config: EmergencyConfig;
  /** The IVR's prompt telling the caller which number to dial when no centre answered. */
  failedPrompt: string;
  /** Queues the caller for an agent at top priority when no centre answered; absent: the call ends after the prompt. */
  toAgent?: (call: CallContext) => Promise<FlowResult>;
  metrics?: EmergencyMetrics;
  log: Logger;
  now?: () => number;
}

export class EmergencyLinkage {
  private readonly legs = new Map<string, LegWatch>();
  private readonly now: () => number;

  constructor(private readonly deps: EmergencyLinkageDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Hears the legs toward the centres through the call registry. */
  attach(registry: CallRegistry): () => void {
    registry.registerRole(EMERGENCY_ROLE, (event) => this.legs.get(event.channel.id)?.answer());
    return registry.watchChannels(EMERGENCY_LEG_PREFIX, (event, channelId) => this.legEvent(event, channelId));
  }

  hasRoute(route: string): boolean {
    return Object.hasOwn(this.deps.config.routes, route);
  }

  /** Puts the caller through to the route's centre; resolves when the call is over (or handed on). */
  async transfer(call: CallContext, routeName: string): Promise<FlowResult> {
    const route = this.route(routeName);
    const { ari } = this.deps;
    let connected = false;
    // The prompt and the first dial at once: no second is lost to the announcement.
    const prompt = call.play(call.promptMedia(route.prompt), { bargeIn: false });
    void prompt.then(() => {
      if (!connected && !call.signal.aborted) void ari.ring(call.channelId).catch(() => undefined);
    });
    const dialled = await this.dial(call, routeName, 'menu');
    if (dialled.answered) connected = true;
    return this.finish(call, routeName, dialled);
  }

  /** The centre answered: caller and centre together; none did: what a failed transfer gets. */
  private async finish(call: CallContext, routeName: string, dialled: Dialled): Promise<FlowResult> {
    if (dialled.answered) return this.connect(call, dialled.answered);
    if (call.signal.aborted) return { then: 'caller-gone' };
    return this.everyTargetFailed(call, routeName);
  }

  /**
   * Dials the route's targets in turn for a call until one answers; the receipt is published
   * either way. The caller of this method connects the answered leg (the IVR's transfer above,
   * or an agent's transfer into the call's own bridge).
   */
  async dial(call: CallContext, routeName: string, entry: 'menu' | 'agent' | 'consultation', ringing?: RingingLeg): Promise<Dialled> {
    const route = this.route(routeName);
    const { ari } = this.deps;
    const started = this.now();
    const attempts: Attempt[] = [];
    for (const [i, target] of route.targets.entries()) {
      // The targets a dead process tried before the leg it left ringing are not tried again.
      if (ringing && i < ringing.index) continue;
      if (call.signal.aborted) break;
      const channelId = `${EMERGENCY_LEG_PREFIX}${call.callId}-${LEG_TAG[entry]}${i + 1}`;
      const leg = this.watch(channelId);
      if (ringing?.index === i) {
        await this.hearAgain(channelId, leg);
      } else {
        try {
          await ari.originate({
            endpoint: target.endpoint,
            channelId,
            // The centre sees the caller and can call back: never withheld.
            callerId: call.caller.number,
            timeoutSeconds: target.ringTimeoutSeconds,
            appArgs: `role:${EMERGENCY_ROLE},${call.callId}`,
            variables: { HOTLINE_CALL_ID: call.callId, 'CALLERID(pres)': 'allowed_passed_screen', 'PJSIP_HEADER(add,X-Hotline-Call-Id)': call.callId },
          });
        } catch (err) {
          this.legs.delete(channelId);
          attempts.push({ target: target.endpoint, outcome: 'failed', cause: null, detail: err instanceof Error ? err.message : String(err) });
          continue;
        }
      }
      const outcome = await Promise.race([leg.answered, aborted(call.signal)]);
      if (outcome === 'caller-gone') {
        await this.hangup(channelId);
        attempts.push({ target: target.endpoint, outcome: 'failed', cause: null, detail: 'the caller hung up' });
        break;
      }
      if (!outcome.answered) {
        attempts.push({ target: target.endpoint, outcome: attemptOutcome(outcome.cause), cause: outcome.cause });
        this.deps.log.warn({ callId: call.callId, route: routeName, target: target.endpoint, cause: outcome.cause }, 'emergency target did not answer; trying the next');
        continue;
      }
      attempts.push({ target: target.endpoint, outcome: 'answered', cause: null });
      // Answered is the fact the receipt keeps, whatever the bridge does next (a consultation
      // is not a transfer until the agent leaves caller and unit together).
      if (entry !== 'consultation') call.settleOutcome('transferred');
      const receipt = this.receipt(call, routeName, route, entry, attempts, this.now() - started, started);
      this.deps.metrics?.transferred(routeName, 'answered');
      return { answered: { channelId, leg, release: () => this.legs.delete(channelId) }, attempts, receipt };
    }
    const receipt = this.receipt(call, routeName, route, entry, attempts, null, started);
    this.deps.metrics?.transferred(routeName, call.signal.aborted ? 'caller-gone' : 'failed');
    if (!call.signal.aborted) {
      // The alert: supervisors watch this line (and the metric) for a centre that cannot be reached.
      this.deps.log.error({ alert: true, callId: call.callId, route: routeName, entry, attempts: attempts.map((a) => `${a.target}:${a.outcome}`) }, 'EMERGENCY CENTRE NOT REACHED: every target failed');
    }
    return { answered: null, attempts, receipt };
  }

  /** The answered leg of an agent's transfer or consultation a dead process left in a call's bridge: its end is heard again. */
  adoptLeg(callId: string, members: readonly string[]): { answered: NonNullable<Dialled['answered']>; centre: boolean } | undefined {
    const prefix = `${EMERGENCY_LEG_PREFIX}${callId}-`;
    const ofAgent = (id: string): boolean => id.startsWith(`${prefix}${LEG_TAG.agent}`) || id.startsWith(`${prefix}${LEG_TAG.consultation}`);
    void this.hangUpUnjoined(members, ofAgent);
    const channelId = members.find(ofAgent);
    if (!channelId) return undefined;
    const leg = this.watch(channelId);
    leg.answer();
    return { answered: { channelId, leg, release: () => this.legs.delete(channelId) }, centre: channelId.startsWith(`${prefix}${LEG_TAG.agent}`) };
  }

  /**
   * An agent's transfer or consultation the dead process was still dialling (its leg rings,
   * outside the call's bridge): nobody waits for that answer any more, so it is hung up rather
   * than let a centre or unit answer into a call nobody joins. The agent may dial again.
   */
  private async hangUpUnjoined(members: readonly string[], ofAgent: (id: string) => boolean): Promise<void> {
    const channels = await this.deps.ari.listChannels().catch(() => []);
    for (const leg of channels) {
      if (!ofAgent(leg.id) || members.includes(leg.id) || leg.state === 'Up') continue;
      this.deps.log.info({ channelId: leg.id }, 'an agent\'s dial left ringing by a dead process is hung up');
      await this.hangup(leg.id);
    }
  }

  private route(routeName: string): EmergencyRoute {
    if (!this.hasRoute(routeName)) throw new Error(`no emergency route "${routeName}" (not in emergency.routes)`);
    return this.deps.config.routes[routeName]!;
  }

  /**
   * A call taken over after a restart while put through to a centre (from the menu, the
   * queue's emergency key, or an agent's blind transfer: no agent left on the line): the
   * centre's answered leg (`emg-<callId>-…`, in the app) and the caller's bridge are kept,
   * and the call ends as any transfer when either leaves. A menu transfer's leg still
   * ringing (the route given) is heard again, never dialled twice: answered, the caller is
   * put through; unanswered, the route's later targets are tried, then what any failed
   * transfer gets. Other legs still ringing are hung up. Undefined when no centre was on
   * the line nor ringing; a caller left alone in the bridge by a centre that hung up
   * meanwhile is hung up, transferred.
   */
  async resume(call: CallContext, routeName?: string): Promise<FlowResult | undefined> {
    const { ari } = this.deps;
    const prefix = `${EMERGENCY_LEG_PREFIX}${call.callId}-`;
    const legs = (await ari.listChannels()).filter((c) => c.id.startsWith(prefix));
    const centre = legs.find((c) => c.state === 'Up');
    const ringing = centre || !routeName || !this.hasRoute(routeName) ? undefined : ringingMenuLeg(legs.map((c) => c.id), prefix, this.route(routeName).targets.length);
    for (const leg of legs) if (leg !== centre && leg.id !== ringing?.channelId) await this.hangup(leg.id);
    if (ringing && routeName) return this.dialOn(call, routeName, ringing);
    const bridges = await ari.listBridges();
    const own = `${EMERGENCY_LEG_PREFIX}${call.callId}`;
    const bridge = bridges.find((b) => b.channels.includes(call.channelId) && (b.id === own || centre === undefined || b.channels.includes(centre.id)));
    if (!centre) {
      if (bridge?.id !== own) return undefined;
      call.log.info({ bridge: bridge.id }, 'the emergency centre left while no service ran; the call ends');
      await ari.destroyBridge(bridge.id).catch(() => undefined);
      return { then: 'hangup', outcome: 'transferred' };
    }
    call.settleOutcome('transferred');
    const leg = this.watch(centre.id);
    leg.answer();
    call.log.info({ centre: centre.id, bridge: bridge?.id ?? null }, 'the emergency transfer is taken over where it was');
    const answered = { channelId: centre.id, leg, release: () => this.legs.delete(centre.id) };
    if (bridge?.channels.includes(centre.id)) return this.untilEither(call, answered, bridge.id);
    return this.connect(call, answered);
  }

  /** A menu transfer a dead process left ringing at a centre: carried on from that leg. */
  private async dialOn(call: CallContext, routeName: string, ringing: RingingLeg): Promise<FlowResult> {
    call.log.info({ leg: ringing.channelId, route: routeName }, 'the emergency dial is taken over while the centre rings');
    // The dead process's ringback may never have started (it followed the prompt): never silence.
    await this.deps.ari.ring(call.channelId).catch(() => undefined);
    return this.finish(call, routeName, await this.dial(call, routeName, 'menu', ringing));
  }

  /** A leg placed by a dead process, watched from now: what it did before the watch is read from Asterisk. */
  private async hearAgain(channelId: string, leg: LegWatch): Promise<void> {
    try {
      const channel = await this.deps.ari.getChannel(channelId);
      if (channel.state === 'Up') leg.answer();
    } catch (err) {
      if (isGone(err)) leg.end(null);
      else this.deps.log.warn({ err, channelId }, 'could not read an emergency leg taken over; its events decide');
    }
  }

  private async connect(call: CallContext, answered: NonNullable<Dialled['answered']>): Promise<FlowResult> {
    const { ari } = this.deps;
    const centre = answered.channelId;
    const bridgeId = `${EMERGENCY_LEG_PREFIX}${call.callId}`;
    await ari.ringStop(call.channelId).catch(() => undefined);
    try {
      await ari.createBridge({ bridgeId, type: 'mixing', name: bridgeId });
      await ari.addToBridge(bridgeId, [call.channelId, centre]);
    } catch (err) {
      if (!isGone(err)) this.deps.log.error({ err, callId: call.callId }, 'could not bridge the caller with the emergency centre');
    }
    return this.untilEither(call, answered, bridgeId);
  }

  /** Caller and centre talk until either hangs up; the other leg and the bridge go then. */
  private async untilEither(call: CallContext, answered: NonNullable<Dialled['answered']>, bridgeId: string): Promise<FlowResult> {
    const { ari } = this.deps;
    const centre = answered.channelId;
    const ended = await Promise.race([answered.leg.ended.then(() => 'centre' as const), aborted(call.signal)]);
    answered.release();
    if (ended === 'caller-gone') await this.hangup(centre);
    await ari.destroyBridge(bridgeId).catch(() => undefined);
    // The centre hung up: the session hangs the caller up. The caller first: nothing left to do.
    return ended === 'centre' ? { then: 'hangup', outcome: 'transferred' } : { then: 'handed-off', outcome: 'transferred' };
  }

  /** Never silence, never a hang-up: the caller hears what to dial, then waits for an agent at top priority. */
  private async everyTargetFailed(call: CallContext, routeName: string): Promise<FlowResult> {
    await this.deps.ari.ringStop(call.channelId).catch(() => undefined);
    this.deps.log.warn({ callId: call.callId, route: routeName }, 'the caller is told what to dial and queued for an agent');
    const end = await call.play(call.promptMedia(this.deps.failedPrompt), { bargeIn: false });
    if (end.reason === 'hangup' || call.signal.aborted) return { then: 'caller-gone' };
    return this.deps.toAgent ? this.deps.toAgent(call) : { then: 'hangup', outcome: 'failed' };
  }

  private receipt(call: CallContext, routeName: string, route: EmergencyRoute, entry: 'menu' | 'agent' | 'consultation', attempts: Attempt[], answeredAfterMs: number | null, started: number): DomainEventPayloads['call.emergency'] {
    const answered = attempts.find((a) => a.outcome === 'answered');
    const receipt: DomainEventPayloads['call.emergency'] = {
      route: routeName,
      target: answered?.target ?? attempts.at(-1)?.target ?? route.targets[0]!.endpoint,
      outcome: answered ? 'answered' : 'failed',
      ...(answered ? {} : { detail: call.signal.aborted ? 'the caller hung up' : 'no target answered' }),
      label: route.label,
      entry,
      attempts,
      answeredAfterMs,
      startedAt: new Date(started).toISOString(),
    };
    call.noteEmergency(receipt);
    call.publish('call.emergency', receipt);
    return receipt;
  }

  private watch(channelId: string): LegWatch {
    const leg = new LegWatch();
    this.legs.set(channelId, leg);
    return leg;
  }

  private legEvent(event: AriEvent, channelId: string): void {
    const leg = this.legs.get(channelId);
    if (!leg) return;
    if (event.type === 'ChannelDestroyed') {
      leg.end(event.cause);
      this.legs.delete(channelId);
    } else if (event.type === 'StasisEnd') {
      leg.end(null);
    }
  }

  private async hangup(channelId: string): Promise<void> {
    this.legs.delete(channelId);
    await this.deps.ari.hangup(channelId).catch((err: unknown) => {
      if (!isGone(err)) this.deps.log.warn({ err, channelId }, 'could not hang up an emergency leg');
    });
  }
}

/** A leg ringing at one of the route's centres, as a menu transfer names it (`emg-<callId>-<n>`). */
export interface RingingLeg {
  channelId: string;
  /** The target's index in the route. */
  index: number;
}

/** The menu transfer's leg among a call's emergency legs (the latest if several); pure. */
export function ringingMenuLeg(legIds: readonly string[], prefix: string, targets: number): RingingLeg | undefined {
  let found: RingingLeg | undefined;
  for (const channelId of legIds) {
    const n = /^\d+$/.test(channelId.slice(prefix.length)) ? Number(channelId.slice(prefix.length)) : 0;
    if (channelId.startsWith(prefix) && n >= 1 && n <= targets && (!found || n - 1 > found.index)) found = { channelId, index: n - 1 };
  }
  return found;
}

function aborted(signal: AbortSignal): Promise<'caller-gone'> {
  if (signal.aborted) return Promise.resolve('caller-gone');
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve('caller-gone'), { once: true }));
}
