import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderTicketBackendApi } from '../../src/crm-bridge/openapi-document.js';
import { CallEventDataSchemas } from '../../src/crm-bridge/message-schema.js';

describe('docs/ticket-backend-api.yaml', () => {
  it('is what the schemas in the code say (regenerate: npx tsx src/crm-bridge/openapi-document.ts > docs/ticket-backend-api.yaml)', async () => {
    const onDisk = await readFile(new URL('../../docs/ticket-backend-api.yaml', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderTicketBackendApi());
  });

  it('documents every message type, ticket event and look-up', () => {
    const doc = parse(renderTicketBackendApi());
    const types = doc.components.schemas.CallEventMessage.oneOf.map((v: { properties: { type: { const: string } } }) => v.properties.type.const);
    // Every event type with a data schema has its message variant, and no other.
    expect([...types].sort()).toEqual(Object.keys(CallEventDataSchemas).sort());
    expect(types).toContain('ticket.sms');
    expect(types).toContain('call.emergency');
    expect(types).toContain('agent.state-changed');
    const ticketTypes = doc.components.schemas.TicketEvent.oneOf.map((v: { properties: { type: { const: string } } }) => v.properties.type.const);
    expect(ticketTypes).toEqual(['ticket.created', 'ticket.closed', 'ticket.supervised']);
    expect(Object.keys(doc.paths)).toEqual(['/webhooks/ticket-events', '/tickets/{ticketNumber}', '/callers/{callerNumber}/open-tickets', '/callers/{callerNumber}/contacts']);
    expect(doc.webhooks.callEvent.post.parameters).toHaveLength(3);
  });
});
