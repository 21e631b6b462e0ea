/** Which device kinds carry a marker under a policy (the model's own marker evaluation). */
import { DeviceScope, kindsOf, markerFlag, type DeviceKindId, type PolicySpec } from '../model/index';
import { policyOf } from './modelRuns';

export function carriersOf(
  spec: PolicySpec,
  marker: string,
): { set: DeviceKindId[]; unknown: DeviceKindId[] } {
  const policy = policyOf(spec);
  const set: DeviceKindId[] = [];
  const unknown: DeviceKindId[] = [];
  // markers are the Command-register story's: its kinds carry them
  for (const kind of kindsOf('command-register')) {
    try {
      const scope = new DeviceScope(policy, kind, { virt: 0, barsNeedRestore: false, power: 0 }, {});
      const flag = markerFlag(marker);
      const v = flag !== undefined ? scope.hasFlag(flag) : scope.value(`pdev->${marker}`);
      if (v === undefined) unknown.push(kind.id);
      else if (v) set.push(kind.id);
    } catch {
      unknown.push(kind.id);
    }
  }
  return { set, unknown };
}
