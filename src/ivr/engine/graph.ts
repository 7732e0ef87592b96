/**
 * The menu as a graph: each node's edges, and whether taking an edge needs the caller to
 * press something. The start-up checks use it for reachability and for loops that would
 * spin with no input.
 */
import type { IvrNode } from '../config-schema.js';

export interface Edge {
  to: string;
  /** The field of the node that names the target, for fault paths. */
  field: (string | number)[];
  /** True when the caller's input is what takes this edge. */
  byInput: boolean;
}

export function edgesOf(node: IvrNode): Edge[] {
  switch (node.kind) {
    case 'play':
      return [{ to: node.next, field: ['next'], byInput: false }];
    case 'menu':
      return [
        ...Object.entries(node.options).map(([key, to]) => ({ to, field: ['options', key], byInput: true })),
        { to: node.onFail, field: ['onFail'], byInput: false },
      ];
    case 'collect':
      return [
        { to: node.next, field: ['next'], byInput: true },
        { to: node.onFail, field: ['onFail'], byInput: false },
      ];
    case 'goto':
      return [{ to: node.to, field: ['to'], byInput: false }];
    case 'hours':
      return [
        { to: node.open, field: ['open'], byInput: false },
        { to: node.closed, field: ['closed'], byInput: false },
      ];
    default:
      return 'on' in node
        ? Object.entries(node.on as Record<string, string>).map(([outcome, to]) => ({ to, field: ['on', outcome], byInput: false }))
        : [];
  }
}
