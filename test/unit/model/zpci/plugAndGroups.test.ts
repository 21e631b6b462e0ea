/**
 * The domain doc's §4 (the MSI-X fence at plug time), §6 (interpretation vs interception) and
 * §2.3 (the CLP values that bound the checks) rows, for every version each row dates.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FH_SHM_EMUL,
  FH_SHM_VFIO,
  MSIX_MESSAGE,
  ZPCI_DEVICE_KINDS,
  compileZpciVersion,
  functionGroup,
  zdevGroupInfo,
  zpciSystem,
  zpciVersionSpec,
} from '../../../../server/src/model/zpci';
import type { ZpciDeviceKind, ZpciVersionId } from '../../../../server/src/model/zpci';
import { parseCExpression } from '../../../../server/src/csrc/cexpr';
import { ALL, FROM_212, FROM_52, PRE_212, cat, decidedBy, last, outcome, trace, zpci } from './support';

before(zpci);

const REFUSED = `refused:${MSIX_MESSAGE}`;
const kind = (id: string): ZpciDeviceKind => {
  const d = ZPCI_DEVICE_KINDS.find((k) => k.id === id);
  assert.ok(d);
  return d;
};
/** A device kind row without MSI-X, for rows about devices the built-in kinds do not cover. */
const withoutMsix = (id: string): ZpciDeviceKind => ({
  ...kind(id),
  hasMsix: false,
  msixTableBar: undefined,
});
function plugOf(version: string, device: ZpciDeviceKind, host = 'host-v6.15') {
  const c = cat();
  const system = zpciSystem(
    compileZpciVersion(zpciVersionSpec(version)!, parseCExpression),
    device,
    c.host(host),
  );
  return system.run(c.steps('plug'))[0].trace[0];
}

describe('§4 MSI-X fence at plug time', () => {
  for (const v of ['v2.3', 'v2.6', 'v2.7', 'v2.8'] as ZpciVersionId[])
    test(`§4 v2.3.0 - v2.8: a device without MSI-X is plugged — ${v}`, () => {
      const o = last(v, 'ism', 'plug');
      assert.equal(outcome(o), 'plugged:intercepted');
      assert.ok(o.notes?.some((n) => /msix.available = false/.test(n)));
    });
  for (const v of ['v2.9', 'v2.12', 'v5.2', 'v6.0'] as ZpciVersionId[])
    test(`§4 v2.9.0 - v7.1: plug fails "MSI-X support is mandatory in the S390 architecture" — ${v}`, () => {
      const o = last(v, 'ism', 'plug');
      assert.equal(outcome(o), REFUSED);
      assert.equal(decidedBy(o), 'plug/msix-fence');
    });
  for (const v of ['v7.2', 'v8.0', 'latest'] as ZpciVersionId[]) {
    test(`§4 v7.2.0 - v8.0.0 (latest from the source): fails unless interpreted — ${v}: ism interpreted plugs`, () => {
      assert.equal(outcome(last(v, 'ism', 'plug')), 'plugged:interpreted');
    });
    test(`§4 v7.2.0 - v8.0.0 (latest from the source): fails unless interpreted — ${v}: ism on a host without KVM interpretation`, () => {
      const o = last(v, 'ism', 'plug', 'host-v5.10');
      assert.equal(outcome(o), REFUSED);
      assert.match(
        o.why.find((e) => e.decided)?.expression ?? '',
        /s390_pci_msix_init\(pbdev\) && !pbdev->interp/,
      );
    });
  }
  test('§4 2025-02 posting (ISM-without-interpretation message): not in qemu/qemu 001cb79d89af, the MSI-X message stays', () => {
    assert.equal(outcome(last('latest', 'ism', 'plug', 'host-v5.10')), REFUSED);
  });
  test('§4 RFC 2/8 (not merged): all vfio devices pass — ism plugs', () => {
    assert.equal(outcome(last('rfc-msix_fence', 'ism', 'plug')), 'plugged:intercepted');
  });
  test('§4 RFC 2/8 (not merged): emulated devices without MSI-X stay fenced', () => {
    assert.equal(outcome(plugOf('rfc-msix_fence', withoutMsix('zpci-emulated'))), REFUSED);
  });
  test('§4 so ISM passthrough is possible only with interpretation (host v6.0+, interpret=on)', () => {
    for (const v of FROM_52) {
      const ok = last(v, 'ism', 'plug', 'host-v6.0');
      assert.equal(outcome(ok), ['v5.2', 'v6.0'].includes(v) ? REFUSED : 'plugged:interpreted', v);
    }
  });
});

describe('§6 interpretation vs interception (QEMU >= 7.2)', () => {
  const V72: ZpciVersionId[] = ['v7.2', 'v8.0', 'latest'];
  for (const v of V72) {
    test(`§6 chosen when — ${v}: interpret=on and allowed -> interpreted; else intercepted; emulated always intercepted`, () => {
      assert.equal(outcome(last(v, 'zpci-interpreted', 'plug')), 'plugged:interpreted');
      assert.equal(outcome(last(v, 'zpci-interpreted', 'plug', 'host-v5.10')), 'plugged:intercepted');
      assert.equal(outcome(last(v, 'zpci-intercepted', 'plug')), 'plugged:intercepted');
      assert.equal(outcome(last(v, 'zpci-emulated', 'plug')), 'plugged:intercepted');
    });
    test(`§6 guest fh — ${v}: host fh (no SHM bits) / FH_SHM_VFIO / FH_SHM_EMUL`, () => {
      const fh = (device: string) => {
        const o = last(v, device, 'plug').outcome;
        assert.equal(o.kind, 'plugged');
        return o.kind === 'plugged' ? o.fh : -1;
      };
      assert.equal(fh('zpci-interpreted') & 0x00ff0000, 0);
      assert.equal(fh('zpci-intercepted') & 0x00ff0000, FH_SHM_VFIO);
      assert.equal(fh('zpci-emulated') & 0x00ff0000, FH_SHM_EMUL);
    });
    test(`§6 PCILG/PCISTG/PCISTB — ${v}: interpreted never reach QEMU; intercepted get the checks, then vfio pieces; emulated the device model`, () => {
      for (const i of ['pcilg 0 0 8', 'pcistg 0 0 8', 'pcistb 0 0 16'])
        assert.equal(outcome(last(v, 'zpci-interpreted', `plug; enable; ${i}`)), 'interpreted');
      const intercepted = last(v, 'zpci-intercepted', 'plug; enable; pcistb 0 0 16');
      assert.equal(intercepted.delivery?.path, 'pieces');
      assert.equal(intercepted.delivery?.host?.via, 'vfio-pci region write (vfio_pci_core_do_io_rw)');
      assert.equal(
        outcome(last(v, 'zpci-intercepted', 'plug; enable; pcistb 0 0 4096')),
        'pgm:PGM_SPECIFICATION',
      );
      const emulated = last(v, 'zpci-emulated', 'plug; enable; pcistb 0 0 16');
      assert.equal(emulated.delivery?.path, 'pieces');
      assert.equal(emulated.delivery?.host, undefined);
      assert.ok(emulated.notes?.some((n) => /device model/.test(n)));
    });
    test(`§6 guest maxstbl — ${v}: imaxstbl / GROUP.maxstbl (128) / 128`, () => {
      const spec = zpciVersionSpec(v)!;
      const host = cat().host('host-v6.15').spec;
      const g = (id: string, interp: boolean) =>
        functionGroup(spec.traits, kind(id), zdevGroupInfo(host, kind(id)), interp);
      assert.equal(g('zpci-interpreted', true).clpMaxstbl, kind('zpci-interpreted').firmware.imaxstbl);
      assert.equal(g('zpci-intercepted', false).clpMaxstbl, 128);
      assert.equal(g('zpci-emulated', false).clpMaxstbl, 128);
    });
    test(`§6 MSI-X needed — ${v}: no / yes / yes`, () => {
      assert.equal(outcome(plugOf(v, withoutMsix('zpci-interpreted'))), 'plugged:interpreted');
      assert.equal(outcome(plugOf(v, withoutMsix('zpci-intercepted'))), REFUSED);
      assert.equal(outcome(plugOf(v, withoutMsix('zpci-emulated'))), REFUSED);
    });
    test(`§6 PCI group — ${v}: host group / simulated >= 0xF0 / 0xFF`, () => {
      const spec = zpciVersionSpec(v)!;
      const host = cat().host('host-v6.15').spec;
      const g = (id: string, interp: boolean) =>
        functionGroup(spec.traits, kind(id), zdevGroupInfo(host, kind(id)), interp).id;
      assert.equal(g('zpci-interpreted', true), 'host');
      assert.ok((g('zpci-intercepted', false) as number) >= 0xf0);
      assert.equal(g('zpci-emulated', false), 0xff);
    });
  }
});

describe('§2.3 CLP values that bound the checks', () => {
  const group = (v: string, device: string, interp = false, host = 'host-v6.15') =>
    functionGroup(
      zpciVersionSpec(v)!.traits,
      kind(device),
      zdevGroupInfo(cat().host(host).spec, kind(device)),
      interp,
    );
  for (const v of PRE_212)
    test(`§2.3 maxstbl — ${v}: reserved (0) before v2.12.0`, () =>
      assert.equal(group(v, 'zpci-intercepted').clpMaxstbl, 0));
  for (const v of FROM_212)
    test(`§2.3 maxstbl — ${v}: 128 from v2.12.0`, () =>
      assert.equal(group(v, 'zpci-emulated').clpMaxstbl, 128));
  for (const v of FROM_52)
    test(`§2.3 maxstbl — ${v}: vfio device: the host GROUP.maxstbl (128) from v5.2.0`, () => {
      const g = group(v, 'zpci-intercepted');
      assert.equal(g.maxstbl, 128);
      assert.match(g.maxstblOrigin, /GROUP\.maxstbl/);
    });
  test('§2.3 maxstbl — v5.2: without vfio zPCI caps (host before v5.10) the default group', () => {
    assert.match(group('v5.2', 'zpci-intercepted', false, 'host-v5.8').maxstblOrigin, /default group/);
  });
  for (const v of ['v7.2', 'v8.0', 'latest'] as ZpciVersionId[])
    test(`§2.3 maxstbl — ${v}: interpreted device: host imaxstbl from v7.2.0`, () =>
      assert.equal(group(v, 'zpci-interpreted', true).maxstbl, kind('zpci-interpreted').firmware.imaxstbl));
  test('§2.3 maxstbl — v6.0: interpreted device not yet (imaxstbl from v7.2.0)', () =>
    assert.equal(group('v6.0', 'zpci-interpreted', true).maxstbl, 128));
  for (const v of ALL)
    test(`§2.3 group id — ${v}: default group 0x20, 0xFF from v7.0.0; simulated groups from 0xF0 from v7.2.0`, () => {
      const late = ['v7.2', 'v8.0', 'latest'].includes(v);
      assert.equal(group(v, 'zpci-emulated').id, late ? 0xff : 0x20);
      if (FROM_52.includes(v)) assert.equal(group(v, 'zpci-intercepted').id, late ? 0xf0 : 'host');
    });
  for (const v of ['v8.0', 'latest'] as ZpciVersionId[])
    test(`§2.3 PFT — ${v}: 0 for vfio devices (host PFT kept for QEMU)`, () => {
      assert.equal(group(v, 'ism', true).clpPft, 0);
      assert.equal(kind('ism').pft, 5);
    });
  for (const v of ALL)
    test(`§2.3 fr relaxed bit 0x8 — ${v}: never set upstream, even on a host offering it`, () => {
      assert.equal(group(v, 'ism', false, 'host-rfc-zpci_io').fr & 0x8, 0);
    });
  test('§2.3 fr relaxed bit 0x8: only the unmerged RFC sets it (host with the kernel RFC)', () => {
    assert.equal(group('rfc-ism', 'ism', false, 'host-rfc-zpci_io').fr & 0x8, 0x8);
    assert.equal(group('rfc-ism', 'ism', false, 'host-v6.15').fr & 0x8, 0);
  });
  test('§2.2 the v2.12-v5.1 bound says where it comes from (pbdev->maxstbl, never assigned)', () => {
    const o = trace('v2.12', 'zpci-intercepted', 'plug; enable; pcistb 0 0 16')[2];
    const operand = o.why.find((e) => e.decided)?.operands.find((x) => x.name === 'pbdev->maxstbl');
    assert.equal(operand?.value, 0);
    assert.match(operand?.meaning ?? '', /never assigned.*CLP reports 128/);
  });
});
