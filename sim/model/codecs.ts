/**
 * Media formats: what a SIP channel negotiates, and what a stock Asterisk 22 can translate.
 *
 * Asterisk plays files and mixes bridges through signed linear (slin), so a channel's format
 * is usable only when a translator to and from slin is loaded. The shipped modules.conf loads
 * codec_alaw, codec_ulaw, codec_a_mu, codec_g722, codec_gsm and codec_resample. Opus has no
 * translator in a stock build: codec_opus is a separately distributed binary module, so an
 * Opus channel can only talk to another Opus channel (no translation needed) and every
 * prompt to it fails (`Unable to find a codec translation path: (slin) -> (opus)`).
 */

/** A Local channel's native formats are "anything": the far end of the pair translates. */
export const ANY_FORMAT = '*';

/** Formats with a path to and from slin in a stock build with the shipped modules. */
export const STOCK_TRANSLATABLE: readonly string[] = ['slin', 'slin16', 'alaw', 'ulaw', 'g722', 'gsm'];

/** What `allow = all` expands to in the simulator (the audio codecs a stock build knows). */
export const ALL_AUDIO_CODECS: readonly string[] = ['ulaw', 'alaw', 'gsm', 'g722', 'g726', 'slin', 'opus', 'ilbc', 'speex', 'g729'];

export class Translators {
  private readonly withSlinPath: ReadonlySet<string>;

  /** `codecOpus`: codec_opus is installed (the README's Opus option). */
  constructor(opts: { codecOpus?: boolean } = {}) {
    this.withSlinPath = new Set([...STOCK_TRANSLATABLE, ...(opts.codecOpus ? ['opus'] : [])]);
  }

  /** True when audio in `from` can reach a party in `to` (same format, or both via slin). */
  canTranslate(from: string, to: string): boolean {
    if (from === ANY_FORMAT || to === ANY_FORMAT || from === to) return true;
    return this.withSlinPath.has(from) && this.withSlinPath.has(to);
  }
}

/**
 * The format a SIP call settles on: the far end's first preference that the endpoint allows.
 * Asterisk's default `incoming_offer_codec_prefs` (prefer: pending) keeps the offerer's order,
 * and an answerer picks from what Asterisk offered; a party that states no preference takes
 * the endpoint's own order. Undefined when nothing is common (the INVITE fails with 488).
 */
export function negotiate(allow: readonly string[], farEnd?: readonly string[]): string | undefined {
  const preference = farEnd && farEnd.length > 0 ? farEnd : allow;
  return preference.find((codec) => allow.includes(codec));
}
