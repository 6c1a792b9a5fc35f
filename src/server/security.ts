/**
 * Everything security that start-up reads from files: the gRPC port's TLS credentials and the
 * tokens. Loaded once, before any connection is made, so a bad file stops start-up at once with
 * a message naming its variable. Logs say which protections are on, never a secret.
 */
import type { ServerCredentials } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { Config } from './config';
import { OPEN_ACCESS, TokenAuthenticator, type Authenticator } from './auth/authenticator';
import { loadTokens } from './auth/tokens-file';
import { serverCredentials, tlsMode } from './tls';

export interface Security {
  auth: Authenticator;
  credentials: ServerCredentials;
}

export function loadSecurity(config: Config, log: Logger): Security {
  const credentials = serverCredentials(config.grpc.tls);
  const file = config.authTokensFile;
  let auth = OPEN_ACCESS;
  if (file === undefined) {
    log.warn('AUTH_TOKENS_FILE is not set: every caller is allowed (no authentication)');
  } else {
    const tokens = loadTokens(file);
    auth = new TokenAuthenticator(tokens);
    log.info({ file, tokens: tokens.map((t) => t.name) }, 'token authentication on');
  }
  const mode = tlsMode(config.grpc.tls);
  if (mode === 'plaintext' && auth.enabled)
    log.warn(
      'tokens travel in plaintext: set TLS_CERT_FILE and TLS_KEY_FILE (or terminate TLS in front)',
    );
  log.info(
    {
      grpcTls: mode,
      tenantRateLimit: config.rateLimit ?? 'off',
      tierConcurrency: Object.fromEntries(config.tiers.concurrency),
      tenantConcurrency: config.tiers.tenantConcurrency ?? 'off',
    },
    'limits and transport security',
  );
  return { auth, credentials };
}
