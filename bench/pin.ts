import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';

/**
 * Pin the calling thread (not the whole process) to one CPU with `taskset`,
 * so the server under test and the load generator stop trading cores with
 * each other; on a 2-core machine that trading is the largest source of
 * round-to-round noise. Returns false (and changes nothing) where
 * `/proc/thread-self` or `taskset` is missing.
 */
export function pinThisThread(cpu: number): boolean {
  try {
    const tid = readlinkSync('/proc/thread-self').split('/').pop();
    if (!tid) return false;
    execFileSync('taskset', ['-p', '-c', String(cpu), tid], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
