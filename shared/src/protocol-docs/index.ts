/** Machine-readable protocol documents generated from the protocol's zod schemas (docs/protocol). */
export { asyncApiDocument } from './asyncapi-document.ts';
export { embeddedJsonSchema } from './json-schema.ts';
