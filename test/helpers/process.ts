/** Killing the helper processes tests start (FerretDB, Redis Cluster nodes) as a crash would. */
import { setTimeout as sleep } from 'node:timers/promises';

/** SIGKILLs `pid` and resolves once it is gone (or after 5 s); a process already gone is fine. */
export async function killAndWait(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  for (let i = 0; i < 250 && isAlive(pid); i++) await sleep(20);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
