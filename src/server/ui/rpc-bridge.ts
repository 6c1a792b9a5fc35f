/**
 * The dashboard's JSON API: `POST /ui/api/rpc/<Method>` runs the very handler that gRPC runs for
 * that method, so the dashboard has the API's authentication, scopes, validation and errors, and
 * no second source of truth. The body is the request message and the answer the response
 * message, both in the contract's field names (camelCase), bytes as base64, enums by name and
 * timestamps as `{seconds, nanos}`: exactly what proto-loader reads and writes on the wire.
 */
import { EventEmitter } from 'node:events';
import {
  Metadata,
  status,
  type MethodDefinition,
  type sendUnaryData,
  type ServiceError,
} from '@grpc/grpc-js';
import { FIELD_TRAILER } from '../status';

/** The methods the dashboard may call, as served by the running server (a missing one: 404). */
export const READ_METHODS: ReadonlySet<string> = new Set([
  'GetQueueStats',
  'ListQueues',
  'ListJobs',
  'ListDeadJobs',
  'GetJob',
  'ListSchedules',
  'GetSchedule',
]);
export const WRITE_METHODS: ReadonlySet<string> = new Set([
  'CancelJob',
  'RedriveDeadJobs',
  'PauseQueue',
  'ResumeQueue',
  'PurgeDeadJobs',
  'UpsertSchedule',
  'DeleteSchedule',
]);

type UnaryHandler = (call: unknown, callback: sendUnaryData<unknown>) => void;
type Definition = Readonly<Record<string, MethodDefinition<object, object>>>;

export interface BridgeReply {
  httpStatus: number;
  body: unknown;
}

/** What an error looks like to the page: the gRPC status, its name, and the field at fault. */
export interface BridgeError {
  code: number;
  status: string;
  message: string;
  field?: string;
}

const HTTP_OF: Partial<Record<status, number>> = {
  [status.INVALID_ARGUMENT]: 400,
  [status.UNAUTHENTICATED]: 401,
  [status.PERMISSION_DENIED]: 403,
  [status.NOT_FOUND]: 404,
  [status.UNIMPLEMENTED]: 404,
  [status.FAILED_PRECONDITION]: 409,
  [status.RESOURCE_EXHAUSTED]: 429,
  [status.UNAVAILABLE]: 503,
};

export class RpcBridge {
  constructor(
    private readonly handlers: Readonly<Record<string, unknown>>,
    private readonly definition: Definition,
    private readonly readOnly: boolean,
  ) {}

  /** The methods this server offers the dashboard (the page shows only what exists). */
  methods(): { read: string[]; write: string[] } {
    const served = (names: ReadonlySet<string>): string[] =>
      [...names].filter((m) => typeof this.handlers[m] === 'function' && m in this.definition);
    return { read: served(READ_METHODS), write: this.readOnly ? [] : served(WRITE_METHODS) };
  }

  async call(
    method: string,
    body: unknown,
    authorization: string | undefined,
    peer: string,
  ): Promise<BridgeReply> {
    const handler = this.handlers[method];
    const def = this.definition[method];
    const known = READ_METHODS.has(method) || WRITE_METHODS.has(method);
    if (!known || def === undefined || typeof handler !== 'function')
      return failure(status.UNIMPLEMENTED, `the dashboard does not serve ${method}`);
    if (this.readOnly && WRITE_METHODS.has(method))
      return failure(status.PERMISSION_DENIED, 'the dashboard is read-only (DASHBOARD_READ_ONLY)');
    let request: unknown;
    try {
      request = def.requestDeserialize(def.requestSerialize(body as object));
    } catch (err) {
      // protobufjs names the field: ".scheduler.v1.ListJobsRequest.state: enum value expected".
      return failure(status.INVALID_ARGUMENT, `bad request body: ${(err as Error).message}`);
    }
    const metadata = new Metadata();
    if (authorization !== undefined) metadata.set('authorization', authorization);
    const { error, response } = await invoke(handler as UnaryHandler, request, metadata, peer);
    if (error) return failure(error.code, error.details, fieldOf(error.metadata));
    const bytes = def.responseSerialize(response ?? {});
    return { httpStatus: 200, body: def.responseDeserialize(bytes) };
  }
}

/** Runs a grpc-js unary handler with a call object carrying what handlers read. */
function invoke(
  handler: UnaryHandler,
  request: unknown,
  metadata: Metadata,
  peer: string,
): Promise<{ error?: Partial<ServiceError> & { code: status }; response?: object }> {
  const call = Object.assign(new EventEmitter(), {
    request,
    metadata,
    cancelled: false,
    getPeer: () => peer,
    getDeadline: () => Infinity,
    getPath: () => '',
    sendMetadata: () => undefined,
  });
  return new Promise((resolve) => {
    handler(call, (err, value) => {
      if (err) resolve({ error: { ...err, code: err.code ?? status.INTERNAL } });
      else resolve({ response: value ?? {} });
    });
  });
}

function fieldOf(metadata: Metadata | undefined): string | undefined {
  const value = metadata?.get(FIELD_TRAILER)[0];
  return typeof value === 'string' ? value : undefined;
}

/** An error answer: the HTTP status for the gRPC code, the code and message, the field at fault. */
export function failure(code: status, message = '', field?: string): BridgeReply {
  const body: BridgeError = { code, status: status[code] ?? 'UNKNOWN', message };
  if (field) body.field = field;
  return { httpStatus: HTTP_OF[code] ?? 500, body };
}

/** JSON.stringify that writes bytes fields (Buffers) as base64, as proto3 JSON does. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    return Buffer.isBuffer(raw) ? raw.toString('base64') : v;
  });
}
