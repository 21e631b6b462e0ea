/** Which device kinds carry a marker under a policy (the model's own marker evaluation). */
import { DEVICE_KINDS } from '../model/devices';
import { DeviceScope } from '../model/scope';
import type { DeviceKindId, PolicySpec } from '../model/types';
import { policyOf } from './simulation';

export function carriersOf(
  spec: PolicySpec,
  marker: string,
): { set: DeviceKindId[]; unknown: DeviceKindId[] } {
  const policy = policyOf(spec);
  const set: DeviceKindId[] = [];
  const unknown: DeviceKindId[] = [];
  for (const kind of DEVICE_KINDS) {
    try {
      const scope = new DeviceScope(policy, kind, { virt: 0, barsNeedRestore: false, power: 0 }, {});
      const flag = /^dev_flags:(\w+)$/.exec(marker);
      const v = flag ? scope.hasFlag(flag[1]) : scope.value(`pdev->${marker}`);
      if (v === undefined) unknown.push(kind.id);
      else if (v) set.push(kind.id);
    } catch {
      unknown.push(kind.id);
    }
  }
  return { set, unknown };
}
