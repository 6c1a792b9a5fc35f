/**
 * Builds the OpenTelemetry trace SDK from the validated configuration (tracing-config.ts): a
 * tracer provider with a batch processor and the chosen exporter. It is not registered globally:
 * the server passes its tracer to the handlers, so an SDK the embedding process has (a test, a
 * worker in the same process) is left alone.
 *
 * What the SDK reads from the environment itself: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES
 * (resource), OTEL_TRACES_SAMPLER(_ARG), OTEL_BSP_* (batching), OTEL_SPAN_*_LIMIT, and for the
 * OTLP exporters OTEL_EXPORTER_OTLP_(TRACES_)HEADERS, _TIMEOUT, _COMPRESSION, _CERTIFICATE,
 * _CLIENT_KEY and _CLIENT_CERTIFICATE.
 */
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import { TRACER_NAME } from '../telemetry/messaging';
import { redactUrl } from './config';
import { NO_TRACING, OtelTracing, type Tracing } from './tracing';
import type { TracingConfig } from './tracing-config';

/** NO_TRACING when `config` is undefined (no exporter configured), else spans to the exporter. */
export function startTracing(config: TracingConfig | undefined, log: Logger): Tracing {
  if (config === undefined) return NO_TRACING;
  const logger = log.child({ component: 'tracing' });
  // Export failures are the SDK's diagnostics: send its warnings and errors to our log.
  diag.setLogger(
    {
      error: (message) => logger.warn(message),
      warn: (message) => logger.warn(message),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.WARN,
  );
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': TRACER_NAME }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new BasicTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(exporterOf(config))],
  });
  logger.info(
    { exporter: config.exporter, protocol: config.protocol, url: redactUrl(config.url) },
    'tracing on',
  );
  return new OtelTracing(provider.getTracer(TRACER_NAME), () => provider.shutdown());
}

function exporterOf({ exporter, protocol, url }: TracingConfig): SpanExporter {
  if (exporter === 'console') return new ConsoleSpanExporter();
  return protocol === 'http/json' ? new OtlpJsonExporter({ url }) : new OtlpProtoExporter({ url });
}
