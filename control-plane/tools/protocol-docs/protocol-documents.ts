import path from 'node:path';
import { openApiDocument } from '../../src/openapi/document.ts';
import { asyncApiDocument } from './asyncapi-document.ts';

export const repositoryRoot = path.resolve(import.meta.dirname, '../../..');

export interface ProtocolDocument {
  /** Repository-relative path of the checked-in file. */
  file: string;
  content: string;
}

/**
 * The protocol documents checked into docs/protocol, as the code's zod schemas
 * produce them today: the control plane's OpenAPI (also served at
 * /openapi.json and /v1/openapi.json) and the signalling's AsyncAPI.
 */
export function protocolDocuments(): ProtocolDocument[] {
  return [
    { file: 'docs/protocol/openapi.json', content: serialize(openApiDocument()) },
    { file: 'docs/protocol/asyncapi.json', content: serialize(asyncApiDocument()) },
  ];
}

function serialize(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
