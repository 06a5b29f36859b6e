import {
  CallAdmissionSchema,
  CallStatusSchema,
  ConversationIdSchema,
  StartCallRequestSchema,
} from '@groupcall/shared/protocol';
import { z } from 'zod';

/**
 * What the OpenAPI document says about each route. The schemas are the ones
 * the handlers validate with, and a test checks that every route the app
 * serves is listed here.
 */
export interface Operation {
  method: 'get' | 'post';
  /** OpenAPI path template (`{conversationId}`, not Hono's `:conversationId`). */
  path: string;
  summary: string;
  description?: string;
  /** Needs `Authorization: Bearer <access token>`. */
  authenticated: boolean;
  body?: z.ZodType;
  /** Success responses; error responses are added from `errors`. */
  responses: Record<number, { description: string; json?: z.ZodType; text?: string }>;
  /** Error statuses this operation can answer with, beyond 401 for authenticated ones. */
  errors: number[];
}

const conversationPath = '/v1/calls/{conversationId}';
export const pathParameters = { conversationId: ConversationIdSchema };

export const operations: Operation[] = [
  {
    method: 'post',
    path: '/v1/calls',
    summary: 'Start a group call',
    description:
      'Rings every other member of the conversation (group_call_incoming on every connected device, ' +
      'a data push to every registered one), tells all members group_call_started, and answers with ' +
      'the media endpoint and a ticket for the caller. The caller is the token subject; a `callerId` ' +
      'in the body is ignored. If a call is already active, nobody is rung again and the caller ' +
      'joins it (200 instead of 201).',
    authenticated: true,
    body: StartCallRequestSchema,
    responses: {
      201: { description: 'Call started.', json: CallAdmissionSchema },
      200: { description: 'A call was already active; joined it.', json: CallAdmissionSchema },
    },
    errors: [400, 403, 404, 413, 429, 503],
  },
  {
    method: 'get',
    path: conversationPath,
    summary: 'Whether a call is going on in a conversation',
    description: 'For the "Join call" banner after an app restart.',
    authenticated: true,
    responses: { 200: { description: 'The call status.', json: CallStatusSchema } },
    errors: [400, 403, 404, 503],
  },
  {
    method: 'post',
    path: `${conversationPath}/join`,
    summary: 'Join the active call',
    description:
      "Answers with the endpoint of the pod hosting the call and a ticket. The member's other " +
      'devices stop ringing (group_call_ring_stopped, reason answered).',
    authenticated: true,
    responses: { 200: { description: 'Admitted.', json: CallAdmissionSchema } },
    errors: [400, 403, 404, 429, 503],
  },
  {
    method: 'post',
    path: `${conversationPath}/decline`,
    summary: 'Decline the call',
    description:
      "Stops ringing on the member's other devices: group_call_ring_stopped (reason declined) and a " +
      'data push. Does nothing when nothing rings.',
    authenticated: true,
    responses: { 204: { description: 'Declined (or nothing was ringing).' } },
    errors: [400, 403, 404, 429, 503],
  },
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process answers',
    authenticated: false,
    responses: { 200: { description: 'Alive.', json: z.object({ status: z.literal('ok') }) } },
    errors: [],
  },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: dependencies answer and the replica is not draining',
    authenticated: false,
    responses: {
      200: {
        description: 'Ready.',
        json: z.object({ status: z.string(), checks: z.record(z.string(), z.string()) }),
      },
    },
    errors: [503],
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    authenticated: false,
    responses: { 200: { description: 'Prometheus text format.', text: 'text/plain; version=0.0.4' } },
    errors: [],
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    authenticated: false,
    responses: { 200: { description: 'OpenAPI 3.1 document.', json: z.record(z.string(), z.unknown()) } },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/openapi.json',
    summary: 'This document, where the public ingress routes (/v1)',
    authenticated: false,
    responses: { 200: { description: 'OpenAPI 3.1 document.', json: z.record(z.string(), z.unknown()) } },
    errors: [],
  },
];
