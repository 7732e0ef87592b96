/**
 * Start-up checks of the IVR menu against the rest of the hotline config: every name it
 * uses must exist (nodes, prompts, queues, routes, schedules, lines), every node must be
 * reachable, and no loop may turn without waiting for the caller. Each fault names the
 * path of the field at fault; the service refuses to start with any.
 */
import type { CalendarConfig } from '../calendar/index.js';
import { ACTIONS } from './actions/index.js';
import type { IvrConfig, IvrNode } from './config-schema.js';
import { isActionNode } from './config-schema.js';
import { edgesOf } from './engine/graph.js';

export interface IvrCheckInput {
  ivr: IvrConfig;
  promptIds: ReadonlySet<string>;
  calendar: CalendarConfig | undefined;
  lines: readonly string[];
  defaultLine: string;
  /** The ACD's queues (`acd.queues`) queue nodes may name; none without an ACD section. */
  queues: ReadonlySet<string>;
}

export interface IvrFault {
  path: (string | number)[];
  message: string;
}

type Path = (string | number)[];

export function checkIvrConfig(input: IvrCheckInput): IvrFault[] {
  const { ivr } = input;
  const faults: IvrFault[] = [];
  const fault = (path: Path, message: string): void => void faults.push({ path: ['ivr', ...path], message });
  const nodeIds = new Set(Object.keys(ivr.nodes));
  const prompt = (path: Path, id: string): void => {
    if (!input.promptIds.has(id)) fault(path, `unknown prompt "${id}" (not in prompts.sounds)`);
  };
  const nodeRef = (path: Path, id: string): void => {
    if (!nodeIds.has(id)) fault(path, `unknown node "${id}"`);
  };

  // Lines: the merged numbers' entries.
  for (const [line, entry] of Object.entries(ivr.lines)) {
    if (!input.lines.includes(line)) fault(['lines', line], `"${line}" is not the line of any number in hotline.numbers`);
    entry.announcements.forEach((p, i) => prompt(['lines', line, 'announcements', i], p));
    nodeRef(['lines', line, 'entry'], entry.entry);
    nodeRef(['lines', line, 'agent'], entry.agent);
    const agent = ivr.nodes[entry.agent];
    if (agent && agent.kind !== 'queue') fault(['lines', line, 'agent'], `"${entry.agent}" is a ${agent.kind} node, not a queue node`);
  }
  if (!ivr.lines[input.defaultLine]) fault(['lines'], `no entry for the default line "${input.defaultLine}"`);

  // Globals.
  if (!ivr.routes.includes(ivr.emergency.route)) fault(['emergency', 'route'], `unknown route "${ivr.emergency.route}" (not in ivr.routes)`);
  prompt(['emergency', 'failedPrompt'], ivr.emergency.failedPrompt);
  prompt(['faultPrompt'], ivr.faultPrompt);
  nodeRef(['restriction', 'entry'], ivr.restriction.entry);

  // Nodes.
  const collectInto = new Set(Object.values(ivr.nodes).flatMap((n) => (n.kind === 'collect' ? [n.into] : [])));
  let usesTicketStatus = false;
  for (const [id, node] of Object.entries(ivr.nodes)) {
    const at = (...rest: Path): Path => ['nodes', id, ...rest];
    for (const edge of edgesOf(node)) nodeRef(at(...edge.field), edge.to);
    checkNode(node, at, { fault, prompt, input });
    if (node.kind === 'ticket-status') {
      usesTicketStatus = true;
      if (!collectInto.has(node.ticket)) fault(at('ticket'), `no collect node keeps its digits "into: ${node.ticket}"`);
    }
  }
  if (usesTicketStatus) {
    const p = ivr.ticketStatus.prompts;
    const named: [Path, string][] = [
      [['intro'], p.intro],
      ...Object.entries(p.states).map(([s, id]): [Path, string] => [['states', s], id]),
      [['dueDate'], p.dueDate], [['month'], p.month], [['day'], p.day],
      [['notFound'], p.notFound], [['unavailable'], p.unavailable],
    ];
    for (const [path, id] of named) prompt(['ticketStatus', 'prompts', ...path], id);
  }

  faults.push(...reachabilityFaults(ivr), ...loopFaults(ivr));
  return faults;
}

interface NodeCheck {
  fault(path: Path, message: string): void;
  prompt(path: Path, id: string): void;
  input: IvrCheckInput;
}

function checkNode(node: IvrNode, at: (...rest: Path) => Path, c: NodeCheck): void {
  const { ivr, calendar, queues } = c.input;
  const prompts = 'prompts' in node ? node.prompts : [];
  prompts.forEach((p, i) => c.prompt(at('prompts', i), p));
  if (node.kind === 'menu' || node.kind === 'collect') {
    c.prompt(at('noInputPrompt'), node.noInputPrompt);
    c.prompt(at('invalidPrompt'), node.invalidPrompt);
  }
  if (node.kind === 'menu' && node.options[ivr.emergency.key] !== undefined) {
    c.fault(at('options', ivr.emergency.key), `key ${ivr.emergency.key} is the emergency key; it cannot be a menu option`);
  }
  if (node.kind === 'collect' && node.minDigits > node.maxDigits) c.fault(at('minDigits'), 'is more than maxDigits');
  if (node.kind === 'hours') {
    if (!calendar) c.fault(at('schedule'), 'an hours node needs the calendar section');
    else if (!calendar.openingHours[node.schedule]) c.fault(at('schedule'), `unknown schedule "${node.schedule}" (not in calendar.openingHours)`);
  }
  if (isActionNode(node)) {
    const action = ACTIONS[node.kind];
    if (!action) return c.fault(at('kind'), `no action "${node.kind}"`);
    const refs = action.references(node as never);
    for (const q of refs.queues ?? []) if (!queues.has(q)) c.fault(at('queue'), `unknown queue "${q}" (not in acd.queues)`);
    for (const r of refs.routes ?? []) if (!ivr.routes.includes(r)) c.fault(at('route'), `unknown route "${r}" (not in ivr.routes)`);
    const edges = 'on' in node ? (node.on as Record<string, string>) : {};
    for (const outcome of action.outcomes) if (!edges[outcome]) c.fault(at('on', outcome), 'missing');
  }
}

function reachabilityFaults(ivr: IvrConfig): IvrFault[] {
  const roots = [...Object.values(ivr.lines).flatMap((l) => [l.entry, l.agent]), ivr.restriction.entry];
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = ivr.nodes[id];
    if (node) for (const e of edgesOf(node)) stack.push(e.to);
  }
  return Object.keys(ivr.nodes)
    .filter((id) => !seen.has(id))
    .map((id) => ({ path: ['ivr', 'nodes', id], message: 'unreachable: no line entry, agent node or restriction entry leads here' }));
}

/** Cycles made only of edges taken without input: the call would turn with nobody pressing anything. */
function loopFaults(ivr: IvrConfig): IvrFault[] {
  const faults: IvrFault[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const trail: { id: string; field: Path }[] = [];
  const reported = new Set<string>();

  const visit = (id: string): void => {
    state.set(id, 'open');
    const node = ivr.nodes[id];
    for (const edge of node ? edgesOf(node) : []) {
      if (edge.byInput || !ivr.nodes[edge.to]) continue;
      trail.push({ id, field: edge.field });
      if (state.get(edge.to) === 'open') {
        const start = trail.findIndex((t) => t.id === edge.to);
        const cycle = trail.slice(start);
        const key = cycle.map((t) => t.id).sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const first = cycle[0]!;
          faults.push({
            path: ['ivr', 'nodes', first.id, ...first.field],
            message: `a loop that waits for no input: ${[...cycle.map((t) => t.id), edge.to].join(' → ')}`,
          });
        }
      } else if (!state.has(edge.to)) {
        visit(edge.to);
      }
      trail.pop();
    }
    state.set(id, 'done');
  };
  for (const id of Object.keys(ivr.nodes)) if (!state.has(id)) visit(id);
  return faults;
}

/** The hotline config as far as these checks need it (structural: no import cycle). */
export interface HotlineForIvrCheck {
  hotline: { numbers: { line: string }[]; defaultLine: string };
  prompts: { sounds: Record<string, unknown> };
  calendar?: CalendarConfig | undefined;
  ivr?: IvrConfig | undefined;
  acd?: { queues: Record<string, unknown> } | undefined;
}

/** Called from the hotline config's superRefine: nothing to check when there is no menu. */
export function ivrConfigFaults(config: HotlineForIvrCheck): IvrFault[] {
  if (!config.ivr) return [];
  return checkIvrConfig({
    ivr: config.ivr,
    promptIds: new Set(Object.keys(config.prompts.sounds)),
    calendar: config.calendar,
    lines: [...new Set(config.hotline.numbers.map((n) => n.line))],
    defaultLine: config.hotline.defaultLine,
    queues: new Set(Object.keys(config.acd?.queues ?? {})),
  });
}
