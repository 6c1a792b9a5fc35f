/**
 * Rich error details in the standard `grpc-status-details-bin` trailer: a google.rpc.Status whose
 * details hold a google.rpc.BadRequest naming the field at fault, or a google.rpc.RetryInfo
 * saying when to retry (rate limits). Go's status.FromError, Python's grpc_status.rpc_status and
 * Java's StatusProto read it without extra setup.
 */
import * as protobuf from 'protobufjs';

const root = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: {
              fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } },
            },
            Duration: {
              fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } },
            },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
              },
            },
            RetryInfo: {
              fields: { retry_delay: { type: 'google.protobuf.Duration', id: 1 } },
            },
            BadRequest: {
              fields: { field_violations: { rule: 'repeated', type: 'FieldViolation', id: 1 } },
              nested: {
                FieldViolation: {
                  fields: {
                    field: { type: 'string', id: 1 },
                    description: { type: 'string', id: 2 },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
});

const StatusType = root.lookupType('google.rpc.Status');
const BadRequestType = root.lookupType('google.rpc.BadRequest');
const RetryInfoType = root.lookupType('google.rpc.RetryInfo');
export const BAD_REQUEST_TYPE_URL = 'type.googleapis.com/google.rpc.BadRequest';
export const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

export interface FieldViolation {
  field: string;
  description: string;
}

export function badRequestDetails(code: number, message: string, field: string): Buffer {
  const badRequest = BadRequestType.encode({
    field_violations: [{ field, description: message }],
  }).finish();
  const body = StatusType.encode({
    code,
    message,
    details: [{ type_url: BAD_REQUEST_TYPE_URL, value: badRequest }],
  }).finish();
  return Buffer.from(body);
}

/** Reads the field violations back out of a trailer (for clients and tests). */
export function decodeFieldViolations(trailer: Buffer): FieldViolation[] {
  const decoded = StatusType.toObject(StatusType.decode(trailer)) as {
    details?: Array<{ type_url: string; value: Uint8Array }>;
  };
  return (decoded.details ?? [])
    .filter((any) => any.type_url === BAD_REQUEST_TYPE_URL)
    .flatMap((any) => {
      const bad = BadRequestType.toObject(BadRequestType.decode(any.value)) as {
        field_violations?: FieldViolation[];
      };
      return bad.field_violations ?? [];
    });
}

export function retryInfoDetails(code: number, message: string, retryAfterMs: number): Buffer {
  const retryInfo = RetryInfoType.encode({
    retry_delay: { seconds: Math.floor(retryAfterMs / 1000), nanos: (retryAfterMs % 1000) * 1e6 },
  }).finish();
  const body = StatusType.encode({
    code,
    message,
    details: [{ type_url: RETRY_INFO_TYPE_URL, value: retryInfo }],
  }).finish();
  return Buffer.from(body);
}

/** Reads the RetryInfo delay back out of a trailer, in ms (for clients and tests). */
export function decodeRetryDelayMs(trailer: Buffer): number | undefined {
  const decoded = StatusType.toObject(StatusType.decode(trailer)) as {
    details?: Array<{ type_url: string; value: Uint8Array }>;
  };
  const any = (decoded.details ?? []).find((d) => d.type_url === RETRY_INFO_TYPE_URL);
  if (!any) return undefined;
  const info = RetryInfoType.toObject(RetryInfoType.decode(any.value), { longs: Number }) as {
    retry_delay?: { seconds?: number; nanos?: number };
  };
  const delay = info.retry_delay ?? {};
  return (delay.seconds ?? 0) * 1000 + Math.round((delay.nanos ?? 0) / 1e6);
}
