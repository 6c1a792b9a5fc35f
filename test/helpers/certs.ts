/**
 * Throwaway certificates for TLS tests, made with the `openssl` command line (Debian's `openssl`
 * package) in a temp dir: a CA, a server certificate for 127.0.0.1 and localhost, a client
 * certificate, and a client certificate from another CA (one the server must not trust).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { TlsOptions } from '../../src/clients';

export interface Certs {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A CA the server does not know: trusting it instead of `caCert` is trusting the wrong CA. */
  otherCaCert: string;
  /** Signed by `otherCaCert`. */
  strangerCert: string;
  strangerKey: string;
  remove(): void;
}

/** This run's certificates for one test file: made before its tests, removed after them. */
export function useCerts(): Certs {
  const certs = {} as Certs;
  before(() => void Object.assign(certs, makeCerts()));
  after(() => certs.remove());
  return certs;
}

/** A PEM file's bytes, as grpc-js and the SDK take them. */
export const pem = (file: string): Buffer => readFileSync(file);

/** Whom a TLS client trusts (this run's CA unless told), and the key pair it presents, if any. */
export interface ClientIdentity {
  trust?: 'ca' | 'other-ca';
  present?: 'client' | 'stranger';
}

/**
 * A TLS client's PEM bytes: the roots it trusts and, for mutual TLS, its key pair. The SDK takes
 * them as they are (TlsOptions); grpc-js as createSsl(rootCerts, privateKey, certChain).
 */
export function clientTls(certs: Certs, who: ClientIdentity = {}): TlsOptions {
  const rootCerts = pem(who.trust === 'other-ca' ? certs.otherCaCert : certs.caCert);
  if (!who.present) return { rootCerts };
  const [cert, key] =
    who.present === 'client'
      ? [certs.clientCert, certs.clientKey]
      : [certs.strangerCert, certs.strangerKey];
  return { rootCerts, privateKey: pem(key), certChain: pem(cert) };
}

/** The server's environment for TLS on its gRPC port, and for mutual TLS with this run's CA. */
export function serverTlsEnv(certs: Certs, mode: 'tls' | 'mtls'): Record<string, string> {
  const env = { TLS_CERT_FILE: certs.serverCert, TLS_KEY_FILE: certs.serverKey };
  return mode === 'mtls' ? { ...env, TLS_CA_FILE: certs.caCert } : env;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function makeCa(dir: string, name: string): void {
  openssl(
    dir,
    ['req', '-x509', ...KEY, '-days', '2', '-subj', `/CN=${name}`].concat([
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
    ]),
  );
}

/** A key and a certificate signed by `ca`, with the given X.509 v3 extensions. */
function makeLeaf(dir: string, name: string, ca: string, extensions: string): void {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    'req',
    ...KEY,
    '-subj',
    `/CN=${name}`,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
  ]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.crt`,
  ]);
}

export function makeCerts(): Certs {
  const dir = mkdtempSync(join(tmpdir(), 'sched-certs-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  makeLeaf(
    dir,
    'server',
    'ca',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  makeLeaf(dir, 'client', 'ca', 'extendedKeyUsage=clientAuth\n');
  makeLeaf(dir, 'stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n');
  const at = (file: string): string => join(dir, file);
  return {
    dir,
    caCert: at('ca.crt'),
    serverCert: at('server.crt'),
    serverKey: at('server.key'),
    clientCert: at('client.crt'),
    clientKey: at('client.key'),
    otherCaCert: at('other-ca.crt'),
    strangerCert: at('stranger.crt'),
    strangerKey: at('stranger.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
