/**
 * TLS for the gRPC port: plaintext, TLS, or mutual TLS (clients must present a certificate signed
 * by TLS_CA_FILE). Files are read and checked once at start-up, so a missing file or a key that
 * does not match its certificate stops the server with a message naming the variable, instead of
 * failing every handshake later. No hot reload: rotate certificates by rolling the pods.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ServerCredentials } from '@grpc/grpc-js';
import { ConfigError, type Config } from './config';

export type TlsMode = 'plaintext' | 'tls' | 'mtls';

/** Reads a PEM file named by `variable`; a failure names the variable and the reason. */
export function readPem(file: string, variable: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new ConfigError(`${variable}: cannot read ${file} (${reason})`);
  }
  if (!pem.includes('-----BEGIN ')) throw new ConfigError(`${variable}: ${file} is not PEM`);
  return pem;
}

export function tlsMode(tls: Config['grpc']['tls']): TlsMode {
  if (!tls) return 'plaintext';
  return tls.caFile ? 'mtls' : 'tls';
}

export function serverCredentials(tls: Config['grpc']['tls']): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  const cert = readPem(tls.certFile, 'TLS_CERT_FILE');
  const key = readPem(tls.keyFile, 'TLS_KEY_FILE');
  const ca = tls.caFile ? readPem(tls.caFile, 'TLS_CA_FILE') : undefined;
  try {
    // What the HTTP/2 server would do at bind time, done now for a clear message.
    createSecureContext({ cert, key, ca });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(
      `TLS_CERT_FILE/TLS_KEY_FILE${ca ? '/TLS_CA_FILE' : ''}: unusable (${reason})`,
    );
  }
  // With a CA, checkClientCertificate = true: a client without a valid certificate is refused
  // during the handshake, before any RPC runs.
  return ServerCredentials.createSsl(ca ?? null, [{ cert_chain: cert, private_key: key }], !!ca);
}
