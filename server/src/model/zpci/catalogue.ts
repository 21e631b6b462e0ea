/**
 * The built-in versions, hosts and device kinds compiled once for one parser, looked up by id
 * with a clear message for an unknown one; the entry point the analysis and the CLI will use.
 */
import type { Expr } from '../types';
import type { ZpciVersion } from './compile';
import { compileZpciVersion } from './compile';
import type { ZpciCompareOptions, ZpciCompareResult } from './compare';
import { compareZpci } from './compare';
import { type ClpDifference, clpDifferences } from './clpCompare';
import { ZPCI_DEVICE_KINDS } from './devices';
import type { CompiledHost, HostKernelSpec } from './host';
import { DEFAULT_HOST, HOST_KERNELS, compileHost } from './host';
import { parseZpciSteps } from './steps';
import { zpciSystem } from './system';
import type { ZpciDeviceKind, ZpciTraceEntry, ZpciVersionSpec } from './types';
import { ZPCI_VERSION_SPECS } from './versions';

export class ZpciCatalogue {
  private readonly versions = new Map<string, ZpciVersion>();
  private readonly hosts = new Map<string, CompiledHost>();

  constructor(private readonly parse: (c: string) => Expr) {}

  /** A version by id (built-in), or compiled from a spec (a patch's post-image). */
  version(v: string | ZpciVersionSpec): ZpciVersion {
    if (typeof v !== 'string') return compileZpciVersion(v, this.parse);
    let compiled = this.versions.get(v);
    if (!compiled) {
      const spec = ZPCI_VERSION_SPECS.find((s) => s.id === v);
      if (!spec)
        throw new Error(
          `unknown QEMU version "${v}"; known: ${ZPCI_VERSION_SPECS.map((s) => s.id).join(', ')}`,
        );
      compiled = compileZpciVersion(spec, this.parse);
      this.versions.set(v, compiled);
    }
    return compiled;
  }

  /** A host by id (built-in), or compiled from a spec (a kernel patch's post-image). */
  host(h: string | HostKernelSpec = DEFAULT_HOST): CompiledHost {
    if (typeof h !== 'string') return compileHost(h, this.parse);
    const id = h;
    let compiled = this.hosts.get(id);
    if (!compiled) {
      const spec = HOST_KERNELS.find((h) => h.id === id);
      if (!spec)
        throw new Error(`unknown host kernel "${id}"; known: ${HOST_KERNELS.map((h) => h.id).join(', ')}`);
      compiled = compileHost(spec, this.parse);
      this.hosts.set(id, compiled);
    }
    return compiled;
  }

  device(id: string): ZpciDeviceKind {
    const d = ZPCI_DEVICE_KINDS.find((k) => k.id === id);
    if (!d)
      throw new Error(
        `unknown zPCI device kind "${id}"; known: ${ZPCI_DEVICE_KINDS.map((k) => k.id).join(', ')}`,
      );
    return d;
  }

  /** The memoised system of a version on a device kind (on a host, by default the newest). */
  zpciSystemFor(version: string | ZpciVersionSpec, device: string, host?: string | HostKernelSpec) {
    return zpciSystem(this.version(version), this.device(device), this.host(host));
  }

  /** A parsed step script (a StepScriptError names a bad step). */
  steps(script: string) {
    return parseZpciSteps(script);
  }

  /** A script on one function: every branch of unknown names (the all-0 branch first). */
  simulate(
    version: string | ZpciVersionSpec,
    device: string,
    script: string,
    host?: string | HostKernelSpec,
  ) {
    const system = zpciSystem(this.version(version), this.device(device), this.host(host));
    return system.run(parseZpciSteps(script));
  }

  compare(
    a: string | ZpciVersionSpec,
    b: string | ZpciVersionSpec,
    device: string,
    options: Omit<ZpciCompareOptions, 'hostAfter'> & {
      host?: string | HostKernelSpec;
      hostAfter?: string | HostKernelSpec;
    } = {},
  ): ZpciCompareResult {
    const { hostAfter, ...rest } = options;
    return compareZpci(this.version(a), this.version(b), this.device(device), this.host(options.host), {
      ...rest,
      ...(hostAfter ? { hostAfter: this.host(hostAfter) } : {}),
    });
  }

  /** What CLP reports for the function under each side (no step observes it). */
  clp(
    a: string | ZpciVersionSpec,
    b: string | ZpciVersionSpec,
    device: string,
    options: { host?: string | HostKernelSpec; hostAfter?: string | HostKernelSpec } = {},
  ): ClpDifference[] {
    const host = this.host(options.host);
    return clpDifferences(
      this.version(a),
      this.version(b),
      this.device(device),
      host,
      options.hostAfter ? this.host(options.hostAfter) : host,
    );
  }
}

export type { ZpciTraceEntry };
