/**
 * Prints the sha256 digest of a token for AUTH_TOKENS_FILE (docs/security.md):
 *   node dist/server/hash-token.js            reads the token from stdin (keeps it out of `ps`
 *                                              and shell history)
 *   node dist/server/hash-token.js <token>    hashes the argument
 *   node dist/server/hash-token.js --generate prints a new random token, then its digest
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** 32 random bytes, URL-safe: fits in an HTTP header as-is. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

function main(args: string[]): number {
  if (args[0] === '--generate') {
    const token = generateToken();
    process.stdout.write(`token:  ${token}\nsha256: ${hashToken(token)}\n`);
    return 0;
  }
  if (args.length > 1 || args[0]?.startsWith('-')) {
    process.stderr.write(
      'usage: hash-token [<token> | --generate]  (no argument: token on stdin)\n',
    );
    return 2;
  }
  // A trailing newline from `echo` or a file is not part of the token.
  const token = args[0] ?? readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  if (token === '') {
    process.stderr.write('hash-token: empty token\n');
    return 2;
  }
  process.stdout.write(`${hashToken(token)}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
