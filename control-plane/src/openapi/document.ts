import { ApiErrorBodySchema } from '@groupcall/shared/protocol';
import type { z } from 'zod';
import { retryAfterSeconds } from '../http/failure.ts';
import { embeddedJsonSchema } from './json-schema.ts';
import { type Operation, operations, pathParameters } from './operations.ts';

type JsonObject = Record<string, unknown>;

const errorDescriptions: Record<number, string> = {
  400: 'Invalid request (`invalid-request`).',
  401: 'Missing, expired or invalid access token (`unauthenticated`).',
  403: 'Not a member of the conversation (`forbidden`).',
  404: 'No such conversation, or no active call (`not-found`).',
  413: 'Request body too large (`payload-too-large`).',
  429: 'Too many requests for this user or conversation; retry after Retry-After (`too-many-requests`).',
  503: 'A dependency (Redis, the media servers, the key set) is unavailable; retry after Retry-After (`unavailable`).',
};

const retryAfterHeader = {
  description: 'Seconds to wait before retrying.',
  schema: { type: 'integer', example: retryAfterSeconds },
};

/** The OpenAPI 3.1 document of the control plane, generated from the zod schemas. */
export function openApiDocument(): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const operation of operations) {
    paths[operation.path] = { ...paths[operation.path], [operation.method]: describe(operation) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'groupcall control plane',
      version: '1',
      description:
        'Starts, joins and declines group calls for the Threads app. Media and signalling then go ' +
        'over Socket.IO to the sfu-worker endpoint each call answers with.',
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Access token from the Threads backend; `sub` is the user id.',
        },
      },
    },
    paths,
  };
}

function describe(operation: Operation): JsonObject {
  const parameters = Object.entries(pathParameters)
    .filter(([name]) => operation.path.includes(`{${name}}`))
    .map(([name, schema]) => ({ name, in: 'path', required: true, schema: jsonSchema(schema, 'input') }));
  const responses: Record<string, JsonObject> = {};
  for (const [status, response] of Object.entries(operation.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.json && {
        content: { 'application/json': { schema: jsonSchema(response.json, 'output') } },
      }),
      ...(response.text && { content: { [response.text]: { schema: { type: 'string' } } } }),
    };
  }
  const errorStatuses = [...(operation.authenticated ? [401] : []), ...operation.errors];
  for (const status of errorStatuses.sort((a, b) => a - b)) {
    responses[status] = {
      description: errorDescriptions[status] ?? 'Error.',
      ...((status === 503 || status === 429) && { headers: { 'Retry-After': retryAfterHeader } }),
      content: { 'application/json': { schema: jsonSchema(ApiErrorBodySchema, 'output') } },
    };
  }
  return {
    summary: operation.summary,
    ...(operation.description && { description: operation.description }),
    ...(operation.authenticated && { security: [{ bearer: [] }] }),
    ...(parameters.length > 0 && { parameters }),
    ...(operation.body && {
      requestBody: {
        required: true,
        content: { 'application/json': { schema: jsonSchema(operation.body, 'input') } },
      },
    }),
    responses,
  };
}

/** JSON Schema 2020-12 (what OpenAPI 3.1 uses) of what a client sends (input) or receives (output). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  return embeddedJsonSchema(schema, io, 'draft-2020-12');
}
