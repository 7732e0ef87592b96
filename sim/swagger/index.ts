/**
 * Serves `/ari/api-docs/*`: the resource listing and the eleven resource documents
 * ari-client downloads at connect, in the order Asterisk lists them.
 */
import { bridgesDoc } from './bridges-doc.js';
import { declaration, resourceListing, type ResourceDoc } from './build.js';
import { channelsDoc } from './channels-doc.js';
import { eventsDoc } from './events-doc.js';
import { otherDocs } from './other-docs.js';

const byName = new Map<string, ResourceDoc>(
  [channelsDoc, bridgesDoc, eventsDoc, ...otherDocs].map((d) => [d.name, d]),
);

const ORDER = ['asterisk', 'endpoints', 'channels', 'bridges', 'recordings', 'sounds', 'playbacks', 'deviceStates', 'mailboxes', 'events', 'applications'];

/** The JSON for `/ari/api-docs/<file>`, or undefined for an unknown file. */
export function apiDoc(file: string, host: string): Record<string, unknown> | undefined {
  const basePath = `http://${host}/ari`;
  if (file === 'resources.json') return resourceListing(ORDER, basePath);
  const doc = byName.get(file.replace(/\.json$/, ''));
  return doc ? declaration(doc, basePath) : undefined;
}
