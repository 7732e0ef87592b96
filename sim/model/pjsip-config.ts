/**
 * Reads a pjsip.conf the way Asterisk's config parser does, far enough to know each
 * endpoint's context, language, caller id and allowed codecs: sections (several may share
 * a name, one per `type`), templates `[name](!)`, inheritance `[1001](agent-endpoint)`,
 * `;` comments (`\;` is a literal semicolon), and `allow`/`disallow` applied in order.
 *
 * The simulator builds its SIP endpoints from the shipped asterisk-config/pjsip.conf, so a
 * call from the carrier has the language and codecs the real configuration gives it; the
 * configuration tests read the same file through the same code.
 */
import { ALL_AUDIO_CODECS } from './codecs.js';

export interface ConfSection {
  name: string;
  template: boolean;
  /** Options in file order, inherited ones first. */
  options: Array<[key: string, value: string]>;
}

export interface PjsipEndpoint {
  name: string;
  context: string;
  /** The channel language; Asterisk's default `en` when the endpoint sets none. */
  language: string;
  /** True when the endpoint sets `language` itself. */
  languageSet: boolean;
  /** Codecs in preference order, after every `allow` and `disallow` line. */
  allow: string[];
  callerId: { name: string; number: string };
  transport: string;
  webrtc: boolean;
  /** One of its aors has a fixed `contact` (a trunk); otherwise it must register. */
  staticContact: boolean;
}

function stripComment(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && line[i + 1] === ';') {
      out += ';';
      i++;
    } else if (c === ';') {
      break;
    } else {
      out += c;
    }
  }
  return out.trim();
}

/** Every section of the file, templates included, with inherited options resolved. */
export function parseConf(text: string): ConfSection[] {
  const sections: ConfSection[] = [];
  let current: ConfSection | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = stripComment(raw);
    if (line === '' || line.startsWith('#')) continue;
    const head = /^\[([^\]]+)\](?:\(([^)]*)\))?$/.exec(line);
    if (head) {
      const flags = (head[2] ?? '').split(',').map((f) => f.trim()).filter(Boolean);
      const inherited = flags.filter((f) => f !== '!').flatMap((parent) => {
        const from = [...sections].reverse().find((s) => s.name === parent && s.template);
        if (!from) throw new Error(`[${head[1]}] inherits from unknown template [${parent}]`);
        return from.options;
      });
      current = { name: head[1]!, template: flags.includes('!'), options: [...inherited] };
      sections.push(current);
      continue;
    }
    const kv = /^([^=]+?)\s*=>?\s*(.*)$/.exec(line);
    if (!kv || !current) throw new Error(`cannot parse line: ${raw}`);
    current.options.push([kv[1]!.trim(), kv[2]!.trim()]);
  }
  return sections;
}

const valueOf = (s: ConfSection, key: string): string | undefined => s.options.filter(([k]) => k === key).at(-1)?.[1];

/** Asterisk's allow/disallow semantics: lines apply in order; `all` and `!codec` included. */
export function allowedCodecs(options: ReadonlyArray<readonly [string, string]>): string[] {
  let allowed: string[] = [];
  for (const [key, value] of options) {
    if (key !== 'allow' && key !== 'disallow') continue;
    for (const item of value.split(',').map((v) => v.trim().toLowerCase()).filter(Boolean)) {
      const negated = item.startsWith('!');
      const codec = negated ? item.slice(1) : item;
      const adding = (key === 'allow') !== negated;
      const codecs = codec === 'all' ? [...ALL_AUDIO_CODECS] : [codec];
      if (adding) for (const c of codecs) { if (!allowed.includes(c)) allowed.push(c); }
      else allowed = allowed.filter((c) => !codecs.includes(c));
    }
  }
  return allowed;
}

function callerIdOf(text: string | undefined): { name: string; number: string } {
  if (!text) return { name: '', number: '' };
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(text);
  return m ? { name: m[1] ?? '', number: m[2] ?? '' } : { name: '', number: text.trim() };
}

/** The endpoints (`type = endpoint`, not templates) of a pjsip.conf. */
export function pjsipEndpoints(text: string): PjsipEndpoint[] {
  const sections = parseConf(text);
  const withContact = new Set(sections.filter((s) => valueOf(s, 'type') === 'aor' && valueOf(s, 'contact')).map((s) => s.name));
  return sections
    .filter((s) => !s.template && valueOf(s, 'type') === 'endpoint')
    .map((s) => {
      const language = valueOf(s, 'language');
      return {
        name: s.name,
        context: valueOf(s, 'context') ?? 'default',
        language: language || 'en',
        languageSet: Boolean(language),
        allow: allowedCodecs(s.options),
        callerId: callerIdOf(valueOf(s, 'callerid')),
        transport: valueOf(s, 'transport') ?? '',
        webrtc: valueOf(s, 'webrtc') === 'yes',
        staticContact: (valueOf(s, 'aors') ?? '').split(',').some((a) => withContact.has(a.trim())),
      };
    });
}
