/**
 * The RSS and the CPU time of a process and of every process under it (the language server and
 * its analysis process), from /proc; undefined where /proc cannot tell.
 */
import * as fs from 'node:fs';
import { rssOf } from '../../server/src/lsp/analysisRunner';

/** `pid`'s own RSS; undefined where /proc cannot tell (rssOf says 0 then). */
function ownRss(pid: number): number | undefined {
  return rssOf(pid) || undefined;
}

function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' '))
      .filter((s) => s.trim() !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/** `own` of `pid` plus that of its descendants (at most 8 levels down). */
function overTree(pid: number, own: (pid: number) => number | undefined, depth = 0): number | undefined {
  const mine = own(pid);
  if (mine === undefined || depth >= 8) return mine;
  let total = mine;
  for (const child of childrenOf(pid)) total += overTree(child, own, depth + 1) ?? 0;
  return total;
}

/** `pid`'s RSS with its descendants', in bytes. */
export function processTreeRss(pid: number): number | undefined {
  return overTree(pid, ownRss);
}

/** `pid`'s proportional set size in bytes (a page shared with k processes counts 1/k), from smaps_rollup. */
function ownPss(pid: number): number | undefined {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `pid`'s PSS with its descendants', in bytes: what the processes take together, each page they
 * share (the node binary's, its libraries') counted once, as RSS does not.
 */
export function processTreePss(pid: number): number | undefined {
  return overTree(pid, ownPss);
}

/** `pid`'s own CPU time (user+sys, all threads) in ms (10 ms ticks), from /proc/PID/stat. */
function ownCpu(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** CPU time (user+sys, all threads, in ms: 10 ms ticks) `pid` and its running descendants used so far. */
export function processTreeCpu(pid: number): number | undefined {
  return overTree(pid, ownCpu);
}
