/**
 * The OpenTelemetry messaging semantic conventions as this project uses them, shared by the
 * server's spans and the SDK's (imports nothing: the SDK depends on @opentelemetry/api alone).
 * Only names, ids and counts go into attributes: never payloads, headers or tokens.
 */
import type { Attributes } from '@opentelemetry/api';

/** The instrumentation scope of every span this project makes. */
export const TRACER_NAME = 'priority-scheduler';

/** `messaging.system`: not one of the well-known values, so the project's own name. */
export const MESSAGING_SYSTEM = 'priority_scheduler';

/** `messaging.operation.type` per the conventions; `messaging.operation.name` is ours. */
export type OperationType = 'send' | 'receive' | 'process' | 'settle';

export const ATTR = {
  system: 'messaging.system',
  operationName: 'messaging.operation.name',
  operationType: 'messaging.operation.type',
  destination: 'messaging.destination.name',
  messageId: 'messaging.message.id',
  batchCount: 'messaging.batch.message_count',
  errorType: 'error.type',
} as const;

/** A span's name per the conventions: `<operation type> <queue>`. */
export function spanName(type: OperationType, queue: string | undefined): string {
  return queue ? `${type} ${queue}` : type;
}

/** The attributes every span of one operation carries. */
export function messagingAttributes(
  type: OperationType,
  name: string,
  queue: string | undefined,
): Attributes {
  const attributes: Attributes = {
    [ATTR.system]: MESSAGING_SYSTEM,
    [ATTR.operationType]: type,
    [ATTR.operationName]: name,
  };
  if (queue) attributes[ATTR.destination] = queue;
  return attributes;
}
