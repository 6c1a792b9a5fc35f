/**
 * The standard OTEL_* variables the server reads itself, validated with the rest of the
 * configuration (config.ts). They decide whether tracing is on, which exporter and which OTLP
 * protocol; the OpenTelemetry SDK reads the others itself (headers, timeout, compression,
 * certificates, sampler, batch sizes, resource attributes: see docs/operations.md).
 */
import { z } from 'zod';

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

export interface TracingConfig {
  /** OTEL_TRACES_EXPORTER: `otlp` (what an endpoint alone implies) or `console` (stdout). */
  exporter: 'otlp' | 'console';
  /**
   * OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf, the
   * specification's default). grpc is refused: this server ships the HTTP exporters only.
   */
  protocol: OtlpProtocol;
  /**
   * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, else OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`;
   * undefined: the exporter's default (http://localhost:4318/v1/traces).
   */
  url: string | undefined;
}

const url = z
  .string()
  .regex(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// URL')
  .optional();
const protocol = z
  .enum(OTLP_PROTOCOLS, { error: 'must be http/protobuf or http/json (grpc is not supported)' })
  .optional();

/** The variables' rules, spread into config.ts's schema. */
export const TRACING_ENV = {
  OTEL_SDK_DISABLED: z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(['true', 'false'], { error: 'must be true or false' }))
    .optional(),
  OTEL_TRACES_EXPORTER: z
    .enum(['otlp', 'console', 'none'], { error: 'must be otlp, console or none' })
    .optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol,
  OTEL_EXPORTER_OTLP_ENDPOINT: url,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url,
};

type TracingEnv = z.output<z.ZodObject<typeof TRACING_ENV>>;

/** Off unless an exporter is configured (an endpoint, or OTEL_TRACES_EXPORTER), as the issue asks. */
export function toTracingConfig(e: TracingEnv): TracingConfig | undefined {
  if (e.OTEL_SDK_DISABLED === 'true' || e.OTEL_TRACES_EXPORTER === 'none') return undefined;
  const endpoint = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (e.OTEL_TRACES_EXPORTER === undefined && endpoint === undefined) return undefined;
  const base = e.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  return {
    exporter: e.OTEL_TRACES_EXPORTER ?? 'otlp',
    protocol:
      e.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? e.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
    url:
      e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
      (base === undefined ? undefined : `${base}/v1/traces`),
  };
}
