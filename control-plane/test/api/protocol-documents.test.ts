import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';
import { ClientEvent, clientEventSpecs, ServerEvent, serverEventSpecs } from '@groupcall/shared/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { protocolDocuments, repositoryRoot } from '../../tools/protocol-docs/protocol-documents.ts';

const documents = protocolDocuments();
const asyncApi = documents.find((d) => d.file.endsWith('asyncapi.json'))?.content ?? '';
let parsed: Awaited<ReturnType<Parser['parse']>>;

// The parser runs its full rule set (spectral): seconds on a loaded machine.
beforeAll(async () => {
  parsed = await new Parser().parse(asyncApi);
}, 60_000);

describe('docs/protocol', () => {
  it.each(documents.map((d) => [d.file, d.content]))(
    '%s matches the code (after a schema change run `pnpm docs:protocol`)',
    (file, content) => {
      const checkedIn = readFileSync(path.join(repositoryRoot, file), 'utf8');
      // Compared parsed first: a readable diff of what changed, then byte for byte.
      expect(JSON.parse(checkedIn)).toEqual(JSON.parse(content));
      expect(checkedIn).toBe(content);
    },
  );

  it('the AsyncAPI document is valid AsyncAPI 3.1 for the maintained parser', async () => {
    const { document, diagnostics } = parsed;
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(document?.version()).toBe('3.1.0');
  });

  it('describes every signalling event, client events with their ack and errors', async () => {
    const { document } = parsed;
    const operations = new Map((document?.operations().all() ?? []).map((o) => [o.id(), o]));
    expect(clientEventSpecs.map((s) => s.name).sort()).toEqual(Object.values(ClientEvent).sort());
    expect(serverEventSpecs.map((s) => s.name).sort()).toEqual(Object.values(ServerEvent).sort());
    for (const spec of clientEventSpecs) {
      const operation = operations.get(spec.name);
      expect(operation?.action(), spec.name).toBe('receive');
      const reply = operation?.reply()?.messages().all()[0];
      expect(!!reply, `${spec.name} has a reply`).toBe(!!spec.ack);
      if (reply) {
        // Success shape or the error shape.
        const variants = reply.payload()?.oneOf() ?? [];
        expect(variants).toHaveLength(2);
        expect(variants[1]?.required()).toEqual(['error']);
      }
    }
    for (const spec of serverEventSpecs) expect(operations.get(spec.name)?.action(), spec.name).toBe('send');
    // join accepts the guide's string ids and numeric ones; the server sends ids as strings.
    const join = document
      ?.messages()
      .all()
      .find((m) => m.name() === 'join');
    expect(
      join
        ?.payload()
        ?.anyOf()
        ?.map((s) => s.type()),
    ).toEqual(['string', 'integer']);
    // What the server sends stays open: the protocol grows by adding fields, clients ignore them.
    for (const { content } of documents) expect(content).not.toContain('"additionalProperties": false');
    const newProducer = document
      ?.messages()
      .all()
      .find((m) => m.name() === 'newProducer');
    expect(newProducer?.payload()?.properties()?.participantInfo?.properties()?.userId?.type()).toBe(
      'string',
    );
  });
});
