import {
  type ClientEventSpec,
  clientEventSpecs,
  ErrorAckSchema,
  ErrorMessage,
  serverEventSpecs,
} from '@groupcall/shared/protocol';
import { embeddedJsonSchema } from '../../src/openapi/json-schema.ts';

type JsonObject = Record<string, unknown>;

const channel = { $ref: '#/channels/signalling' };
const message = (id: string) => ({ $ref: `#/channels/signalling/messages/${id}` });
/** AsyncAPI 3's default schema format is a superset of JSON Schema draft 7. */
const clientSends = (schema: Parameters<typeof embeddedJsonSchema>[0]) =>
  embeddedJsonSchema(schema, 'input', 'draft-7');
const serverSends = (schema: Parameters<typeof embeddedJsonSchema>[0]) =>
  embeddedJsonSchema(schema, 'output', 'draft-7');

/**
 * The AsyncAPI 3 document of the Socket.IO signalling, from the app's point
 * of view (the sfu-worker pod): `receive` operations are the events clients
 * emit, with their ack as the reply; `send` operations the events the server
 * emits. Generated from the event catalogue and its zod schemas.
 */
export function asyncApiDocument(): JsonObject {
  const messages: Record<string, JsonObject> = {};
  const operations: Record<string, JsonObject> = {};
  for (const spec of clientEventSpecs) {
    messages[spec.name] = {
      name: spec.name,
      title: spec.name,
      summary: spec.summary,
      ...(spec.payload && { payload: clientSends(spec.payload) }),
      'x-direction': 'client-to-server',
    };
    if (spec.ack) messages[ackId(spec)] = ackMessage(spec);
    operations[spec.name] = {
      action: 'receive',
      channel,
      summary: spec.summary,
      messages: [message(spec.name)],
      ...(spec.ack && { reply: { channel, messages: [message(ackId(spec))] } }),
    };
  }
  for (const spec of serverEventSpecs) {
    messages[spec.name] = {
      name: spec.name,
      title: spec.name,
      summary: spec.summary,
      payload: serverSends(spec.payload),
      'x-direction': 'server-to-client',
      ...(spec.additive && { 'x-additive': true }),
    };
    operations[spec.name] = {
      action: 'send',
      channel,
      summary: spec.summary,
      messages: [message(spec.name)],
    };
  }
  return {
    asyncapi: '3.1.0',
    info: {
      title: 'groupcall signalling',
      version: '1',
      description: [
        'The Socket.IO (v4) signalling between group-call clients and the sfu-worker pod hosting their',
        'call. Each message is one Socket.IO event named by the message name; client events take the',
        'payload as their single argument (none for getProducers and leaveRoom) and, where a reply is',
        'given, an ack callback answered with the success shape or `{error}`. A request without an ack',
        'callback that fails is answered with a group_call_error event. Unknown fields are ignored, so',
        'the server may add fields; messages marked x-additive are not in the original integration guide.',
        '',
        'Where to connect: POST /v1/calls (or /v1/calls/{id}/join) on the control plane answers',
        '`endpoint {url, path}` and a `ticket`; connect to `url` with Socket.IO `path`, handshake',
        '`auth: {token: <access token>}`, then emit join(userId) and createRoom {roomId, ticket}.',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      sfu: {
        host: '{host}',
        pathname: '/sfu/{pod}/socket.io',
        protocol: 'wss',
        title: 'An sfu-worker pod',
        description: 'The endpoint the control plane answers for the call (endpoint.url + endpoint.path).',
        variables: {
          host: { description: 'Host of the signalling (the chart: ingress.sfuHost or ingress.host).' },
          pod: { description: 'The pod hosting the call, e.g. groupcall-sfu-0.' },
        },
        security: [{ $ref: '#/components/securitySchemes/accessToken' }],
      },
    },
    channels: {
      signalling: {
        address: null,
        title: 'Socket.IO events of one connection',
        description: 'One Socket.IO connection per device; events in both directions.',
        servers: [{ $ref: '#/servers/sfu' }],
        messages,
      },
    },
    operations,
    components: {
      securitySchemes: {
        accessToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "The Threads backend's access token (JWT), given as the Socket.IO handshake auth `{token}`; " +
            'its subject must match the user id of join.',
        },
      },
      schemas: {
        ErrorMessage: {
          type: 'string',
          description:
            'The error strings of the protocol, verbatim. Some carry details after a colon ' +
            '(e.g. "Invalid payload: type: …", "This call is hosted on another server: <url><path>").',
          enum: Object.values(ErrorMessage),
        },
      },
    },
  };
}

function ackId(spec: ClientEventSpec): string {
  return `${spec.name}Ack`;
}

function ackMessage(spec: ClientEventSpec): JsonObject {
  return {
    name: ackId(spec),
    title: `${spec.name} ack`,
    summary: `The ack of ${spec.name}: the success shape, or {error} with one of the error strings.`,
    ...(spec.ackOptional && {
      description:
        'Only when the client passes an ack callback; otherwise failures come as group_call_error.',
    }),
    payload: {
      oneOf: [serverSends(spec.ack as NonNullable<ClientEventSpec['ack']>), serverSends(ErrorAckSchema)],
    },
    'x-direction': 'server-to-client',
  };
}
