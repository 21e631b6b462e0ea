/**
 * The zPCI review knowledge as rows of LINTS (lints.ts): a check that moved past an earlier one
 * (csrc/zpci's `check-reordered`), a PCISTB path that hands a device needing block stores (ISM)
 * its block as 8-byte writes, and QEMU's fixed PCISTB staging buffer when the guest can be told
 * a larger maxstbl. Each reads the document's zPCI reading (context.ts `zpci`) and asks the zPCI
 * model about the patch's post-image version, so a lint says what the patched QEMU does.
 */
import type { HunkLine } from '../diff/types';
import {
  DEFAULT_HOST,
  HOST_KERNELS,
  ZPCI_DEVICE_KINDS,
  clpValues,
  formatDeliveryShort,
  type HostKernelSpec,
  type ZpciVersionSpec,
} from '../model/zpci';
import type { LintContext, LintHit, LintRule } from './lints';
import { changeRange, type ZpciHunkRecord, type ZpciUnitReading } from './zpciReading';
import { zpciCatalogue } from './zpciRuns';

const PCISTB = 'pcistb_service_call';
const INST_C = 'hw/s390x/s390-pci-inst.c';

const placeOf = (u: ZpciUnitReading, file: string) => ({
  ...(u.unit.patch !== undefined ? { patch: u.unit.patch } : {}),
  diffFile: u.hunks.find((h) => h.file.path.endsWith(file))?.file.path ?? file,
});

const hunkFunction = (h: ZpciHunkRecord, u: ZpciUnitReading) =>
  u.reading.changes.find((c) => u.hunks[c.place.hunk] === h)?.place.function ??
  (h.hunk.heading?.includes(`${PCISTB}(`) ? PCISTB : undefined);

/** The post-image lines of the unit's hunks in pcistb_service_call. */
function pcistbLines(u: ZpciUnitReading): HunkLine[] {
  return u.hunks
    .filter((h) => h.file.path.endsWith(INST_C) && hunkFunction(h, u) === PCISTB)
    .flatMap((h) => h.post);
}

const hostOf = (u: ZpciUnitReading): HostKernelSpec | string => u.reading.host?.after ?? DEFAULT_HOST;

/** What a script's last step does under a version, or null when a step is refused (a refused plug). */
function lastStep(version: ZpciVersionSpec, device: string, script: string, host: HostKernelSpec | string) {
  try {
    const trace = zpciCatalogue().simulate(version, device, script, host)[0].trace;
    return trace[trace.length - 1];
  } catch {
    return null;
  }
}

const zpciUnits = (ctx: LintContext) => ctx.zpci?.units ?? [];

/** A check moved past an earlier one: which exception a guest sees depends on the order. */
const checkReordered: LintRule = {
  code: 'zpci-check-reordered',
  severity: 'warning',
  check: (ctx) =>
    zpciUnits(ctx).flatMap((u) =>
      u.reading.lints
        .filter((l) => l.code === 'check-reordered')
        .map((l): LintHit => {
          const c = u.reading.changes[l.change];
          return {
            message: l.message,
            range: changeRange(u, c),
            ...placeOf(u, c.place.file),
            ...(c.place.function ? { functionName: c.place.function } : {}),
            related: [],
          };
        }),
    ),
};

const DISPATCH_WRITE = /\bmemory_region_dispatch_write\s*\(/;

/** PCISTB's store path hands a block to the device as separate writes, and ISM (or another kind that needs block stores) reaches it. */
const pcistbSplitsBlockStore: LintRule = {
  code: 'pcistb-block-store-split',
  severity: 'warning',
  check: (ctx) =>
    zpciUnits(ctx).flatMap((u) => {
      const write = pcistbLines(u).find((l) => DISPATCH_WRITE.test(l.text));
      if (!write) return [];
      return ZPCI_DEVICE_KINDS.filter((d) => d.needsBlockStores).flatMap((d): LintHit[] => {
        const e = lastStep(u.reading.after, d.id, 'plug; enable; pcistb 0 0 128', hostOf(u));
        const delivery = e?.outcome.kind === 'accepted' ? e.delivery : undefined;
        if (!delivery || delivery.path !== 'pieces' || delivery.pieces < 2) return [];
        return [
          {
            message:
              `PCISTB under ${u.reading.after.id} hands a 128-byte block store to ${d.id} as ` +
              `${formatDeliveryShort(delivery)}: ${d.label} needs each block store whole (one non-MIO PCISTB)`,
            range: write.range,
            ...placeOf(u, INST_C),
            functionName: PCISTB,
            related: [],
          },
        ];
      });
    }),
};

const STAGING_BUFFER = /\buint8_t\s+buffer\s*\[\s*(\d+)\s*\]/;

/** QEMU copies a PCISTB into a fixed buffer: an intercepted function told a larger maxstbl overflows it. */
const pcistbStagingBuffer: LintRule = {
  code: 'pcistb-buffer-below-maxstbl',
  severity: 'warning',
  check: (ctx) =>
    zpciUnits(ctx).flatMap((u) => {
      const line = pcistbLines(u).find((l) => STAGING_BUFFER.test(l.text));
      if (!line) return [];
      const size = Number(STAGING_BUFFER.exec(line.text)![1]);
      const c = zpciCatalogue();
      const version = c.version(u.reading.after);
      const hosts: (HostKernelSpec | string)[] = u.reading.host ? [hostOf(u)] : HOST_KERNELS.map((h) => h.id);
      for (const host of hosts)
        for (const d of ZPCI_DEVICE_KINDS) {
          const v = clpValues(version, c.device(d.id), c.host(host));
          if (!v.plugged || v.interpreted || v.maxstbl <= size) continue;
          return [
            {
              message:
                `the PCISTB staging buffer holds ${size} bytes, but under ${u.reading.after.id} on ` +
                `${typeof host === 'string' ? host : host.id} an intercepted ${d.id} is told maxstbl ` +
                `${v.maxstbl} (${v.maxstblOrigin}): a longer block store overruns it`,
              range: line.range,
              ...placeOf(u, INST_C),
              functionName: PCISTB,
              related: [],
            },
          ];
        }
      return [];
    }),
};

export const ZPCI_LINTS: readonly LintRule[] = [checkReordered, pcistbSplitsBlockStore, pcistbStagingBuffer];
