/**
 * The zPCI C reader on the corpus patches about the plug, CLP, the PCI group and the host kernel:
 * q09 (the MSI-X fence lifted for interpreted devices), q07 (the ISM reset), the q02 series read
 * patch by patch on the version the previous one left, the q13 log of s390-pci-vfio.c commit by
 * commit, z16/z20 (vfio_pci_zdev.c), k24 (pci_mmio.c's MIO path), k22; and seed 004, the ISM
 * RFC's cover letter, which carries no hunk.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ZPCI_DEVICE_KINDS, hostMmio, type MmioRequest } from '../../../../server/src/model/zpci';
import { readDocument } from '../../../../server/src/mail';
import { recogniseZpciChanges, recogniseZpciSeries } from '../../../../server/src/csrc/zpci/recognise';
import type { ZpciReading } from '../../../../server/src/csrc/zpci/types';
import { readShared, seedFiles, sharedMissing } from '../../../support/shared';
import { cat, outcome, zpci } from '../../model/zpci/support';
import { changeOf, corpusPatches, modelChanges, notModelled, readCorpus, ready } from './support';

before(async () => {
  await ready();
  await zpci();
});

function found(r: ZpciReading, device: string, steps: string, depth = 3): [string, string] {
  const res = cat().compare(r.before, r.after, device, { depth });
  const d = res.differences.find((x) => x.steps.join('; ') === steps);
  assert.ok(
    d,
    `no difference at "${steps}" for ${device}: ${res.differences.map((x) => x.steps.join('; ')).join(' | ')}`,
  );
  return [outcome(d.before[d.before.length - 1]), outcome(d.after[d.after.length - 1])];
}

const noVisibleDifference = (r: ZpciReading) => {
  for (const d of ZPCI_DEVICE_KINDS)
    assert.deepEqual(cat().compare(r.before, r.after, d.id, { depth: 3 }).differences, [], d.id);
};

const Q02 = 'q02_s390x-pci-interpretation_series+git-cover-template.mbox';
const Q07 = 'q07_s390x-pci-ism-reset.patch';
const Q09 = 'q09_s390x-pci-no-msix-fence_git-show.diff';
const Q13 = 'q13_s390-pci-vfio_git-log-p.txt';

describe(
  'corpus q09 (15d0e7942d3b): the MSI-X fence lifted for interpreted devices',
  { skip: sharedMissing() },
  () => {
    test('the fence condition gains && !pbdev->interp; the baseline (v7.2 family) is aligned with the pre-image', () => {
      const r = readCorpus(Q09);
      assert.equal(r.baseline.id, 'v7.2');
      assert.match(
        r.baseline.evidence.join('\n'),
        /pre-images match v7\.2 at 1 of 2 items of s390_pcihost_plug/,
      );
      assert.deepEqual(modelChanges(r), ['modified plug/msix-fence']);
      const c = changeOf(r, 'plug/msix-fence');
      assert.deepEqual(
        [c.before, c.after],
        ['if (s390_pci_msix_init(pbdev))', 'if (s390_pci_msix_init(pbdev) && !pbdev->interp)'],
      );
      assert.deepEqual(
        r.drift.map((d) => d.key),
        ['plug/msix-fence'],
      );
      assert.deepEqual(notModelled(r), ['not modelled: s390_pci_msix_free in hw/s390x/s390-pci-bus.c']);
    });
    test('behaviour: ism: plug refused (MSI-X mandatory) -> plugged, interpreted; intercepted kinds unchanged', () => {
      const r = readCorpus(Q09);
      const [b, a] = found(r, 'ism', 'plug');
      assert.match(b, /^refused:MSI-X support is mandatory in the S390 architecture/);
      assert.equal(a, 'plugged:interpreted');
      for (const d of ['zpci-intercepted', 'zpci-emulated', 'zpci-interpreted'])
        assert.deepEqual(cat().compare(r.before, r.after, d, { depth: 3 }).differences, [], d);
    });
  },
);

describe('corpus q07 (03451953c79e): ISM devices reset on system reset', { skip: sharedMissing() }, () => {
  test('the reset callback registered for ISM at plug is the ismReset trait; its helpers are not modelled', () => {
    const r = readCorpus(Q07);
    assert.deepEqual(modelChanges(r), ['added trait ismReset']);
    assert.deepEqual(notModelled(r), [
      'not modelled: s390_pci_perform_unplug in hw/s390x/s390-pci-bus.c',
      'not modelled: s390_pci_reset_cb in hw/s390x/s390-pci-bus.c',
      'not modelled: s390_pci_shutdown_notifier in hw/s390x/s390-pci-bus.c',
      'not modelled: s390_pcihost_plug in hw/s390x/s390-pci-bus.c',
    ]);
    // What remains of the plug hunk is the shutdown notifier: QEMU shutdown is no step of the model.
    const plug = r.changes.find(
      (c) => c.key === 'not modelled: s390_pcihost_plug in hw/s390x/s390-pci-bus.c',
    );
    assert.match(plug?.message ?? '', /shutdown_notifier/);
    changeOf(r, 's390_pci_read_base: pbdev->pft', 'none');
    changeOf(r, 'constant ZPCI_PFT_ISM', 'none');
  });
  test('behaviour: ism: plug; enable; reset: the ISM device is now reset too', () => {
    const r = readCorpus(Q07);
    assert.deepEqual(found(r, 'ism', 'plug; enable; reset'), ['state:reset', 'state:reset:ism-device']);
  });
});

describe('corpus q02: the interpretation series, patch by patch', { skip: sharedMissing() }, () => {
  const series = () => recogniseZpciSeries(corpusPatches(Q02).filter((p) => p.hunks.length));
  test('the baseline comes from the first pre-image of each function: v6.0 (no interpretation, no simulated groups)', () => {
    const s = series();
    assert.equal(s.baseline.id, 'v6.0');
    assert.match(s.baseline.evidence.join('\n'), /plug\/interpretation absent/);
    assert.equal(s.patches.length, 6);
  });
  test('1/6 host fh routine: nothing the model reads (every change "none" or "not modelled", with its place)', () => {
    const r = series().patches[0];
    assert.deepEqual(modelChanges(r), []);
    assert.ok(notModelled(r).includes('not modelled: s390_pci_get_host_fh in hw/s390x/s390-pci-vfio.c'));
    assert.ok(r.changes.every((c) => c.change === 'none' || c.change === 'not-modelled'));
  });
  test('2/6 interpretation: the choice pbdev->interp && s390_pci_kvm_interp_allowed(), and CLP re-reads the host fh', () => {
    const r = series().patches[1];
    assert.deepEqual(modelChanges(r), ['added plug/interpretation']);
    assert.equal(changeOf(r, 'plug/interpretation').after, 'pbdev->interp && s390_pci_kvm_interp_allowed()');
    assert.equal(r.after.plug.interpretation, 'pbdev->interp && s390_pci_kvm_interp_allowed()');
    // The plug error of s390_pci_interp_plug: the model assumes the host fh is found.
    assert.ok(
      r.changes.some(
        (c) =>
          c.change === 'not-modelled' && /Plug failed for zPCI device in interpretation mode/.test(c.message),
      ),
    );
    changeOf(r, 'property interpret', 'none');
    changeOf(r, 's390_pci_kvm_interp_allowed: computed by the model', 'none');
    assert.deepEqual(found(r, 'zpci-interpreted', 'plug'), ['plugged:intercepted', 'plugged:interpreted']);
    // The new CLP check re-reads the host fh into pbdev->fh: state the model does not follow.
    assert.ok(
      r.changes.some(
        (c) =>
          c.change === 'not-modelled' && /s390_pci_get_host_fh\(pbdev, &pbdev->fh\) writes/.test(c.message),
      ),
    );
    assert.equal(
      outcome(cat().simulate(r.after, 'zpci-interpreted', 'plug; enable')[0].trace[1]),
      'clp:CLP_RC_OK',
    );
  });
  test('3/6 (15d0e7942d3b, as q09): ism plug refused -> plugged interpreted, on the version 2/6 left', () => {
    const r = series().patches[2];
    assert.deepEqual(modelChanges(r), ['modified plug/msix-fence']);
    assert.deepEqual(r.drift, []);
    const [b, a] = found(r, 'ism', 'plug');
    assert.match(b, /^refused:MSI-X/);
    assert.equal(a, 'plugged:interpreted');
  });
  test('4/6 adapter event notification: not modelled, everywhere', () => {
    const r = series().patches[3];
    assert.deepEqual(modelChanges(r), []);
    assert.ok(notModelled(r).includes('not modelled: mpcifc_service_call in hw/s390x/s390-pci-inst.c'));
    noVisibleDifference(r);
  });
  test('5/6 simulated groups for intercepted devices: zpci-intercepted now sees group 0xf0', () => {
    const r = series().patches[4];
    assert.deepEqual(modelChanges(r), ['added trait simulatedGroups']);
    assert.deepEqual(
      cat()
        .clp(r.before, r.after, 'zpci-intercepted')
        .map((d) => [d.field, d.before, d.after]),
      [['groupId', 'host', '0xf0']],
    );
    noVisibleDifference(r);
  });
  test('6/6 imaxstbl for interpreted groups: CLP maxstbl 128 -> the firmware imaxstbl (ism, zpci-interpreted)', () => {
    const r = series().patches[5];
    assert.deepEqual(modelChanges(r), ['modified trait groupMaxstbl']);
    for (const d of ['ism', 'zpci-interpreted']) {
      const clp = cat().clp(r.before, r.after, d);
      assert.deepEqual(
        clp.map((x) => [x.field, x.before]),
        [['maxstbl', '128']],
      );
      assert.equal(clp[0].after, String(cat().device(d).firmware.imaxstbl));
    }
    assert.deepEqual(cat().clp(r.before, r.after, 'zpci-intercepted'), []);
  });
});

describe('corpus q13: git log -p of s390-pci-vfio.c, commit by commit', { skip: sharedMissing() }, () => {
  const commit = (subject: string, baseline?: string) =>
    readCorpus(Q13, subject, baseline ? { baseline } : {});
  test('1e7552ff5c34 get zPCI function info from host: the group maxstbl from the host GROUP cap (a new function)', () => {
    const r = commit('get zPCI function info from host');
    assert.deepEqual(modelChanges(r), ['added trait groupMaxstbl']);
    assert.equal(changeOf(r, 'trait groupMaxstbl').after, 'host-group');
    assert.match(r.baseline.evidence.join('\n'), /s390_pci_read_group is new/);
    assert.ok(notModelled(r).includes('not modelled: s390_pci_read_util in hw/s390x/s390-pci-vfio.c'));
  });
  test('a4e2fff1b104 fix endianness issues: stw_p(&resgrp->maxstbl, x) -> resgrp->maxstbl = x: same maxstbl ("none")', () => {
    const r = commit('fix endianness issues');
    assert.deepEqual(modelChanges(r), []);
    changeOf(r, 'trait groupMaxstbl', 'reformatted');
    noVisibleDifference(r);
  });
  test('9ee8f7e46a7d proper maxstbl for interpreted groups: host-group -> host-group-imaxstbl', () => {
    const r = commit('reflect proper maxstbl', 'v7.2');
    assert.deepEqual(modelChanges(r), ['modified trait groupMaxstbl']);
    assert.equal(cat().clp(r.before, r.after, 'zpci-interpreted')[0]?.field, 'maxstbl');
  });
  test('30dcf4f7fd23 separate PCI groups for intercepted devices (the pre-image does not show the version: given v6.0)', () => {
    const r = commit('let intercept devices have separate PCI groups', 'v6.0');
    assert.deepEqual(modelChanges(r), ['added trait simulatedGroups']);
  });
  test('the refactors and the code the model does not cover: no model edit, every change "none" or "not modelled"', () => {
    for (const subject of [
      'Add routine to get the vfio dma available count',
      'Honor DMA limits set by vfio',
      'Clean up includes',
      'Add missing initialization for g_autofree variables',
      'add supported DT information to clp response',
      'add routine to get host function handle from CLP info',
      'Fix spelling errors',
      'shrink DMA aperture',
    ]) {
      const r = commit(subject);
      assert.deepEqual(modelChanges(r), [], subject);
      assert.ok(r.changes.length > 0, `${subject}: silence`);
      assert.ok(
        r.changes.every((c) => c.change === 'none' || c.change === 'not-modelled'),
        subject,
      );
    }
    const spelling = commit('Fix spelling errors');
    assert.deepEqual(
      spelling.changes.map((c) => c.change),
      ['none'],
    );
  });
});

describe('corpus z16, z20: vfio_pci_zdev.c (the host kernel)', { skip: sharedMissing() }, () => {
  test('z16: VFIO_DEVICE_GET_INFO gains the zPCI caps on the host-v5.8 baseline; GROUP.maxstbl is ZPCI_MAX_WRITE_SIZE', () => {
    const r = readCorpus('z16_kernel-vfio-zdev-add-zpci-caps-get-info-v3-4of5.eml');
    assert.equal(r.host?.baseline.id, 'host-v5.8');
    assert.deepEqual(modelChanges(r), ['added host zdevCaps']);
    assert.equal(r.host?.after.zdevCaps, true);
    changeOf(r, 'host GROUP.maxstbl', 'none');
    for (const fn of ['zpci_base_cap', 'zpci_util_cap', 'zpci_pfip_cap', 'vfio_pci_info_zdev_add_caps'])
      assert.ok(notModelled(r).includes(`not modelled: ${fn} in drivers/vfio/pci/vfio_pci_zdev.c`), fn);
    assert.deepEqual(r.files.outside.sort(), [
      'drivers/vfio/pci/Kconfig',
      'drivers/vfio/pci/Makefile',
      'drivers/vfio/pci/vfio_pci.c',
      'drivers/vfio/pci/vfio_pci_private.h',
    ]);
  });
  test('z16 behaviour (QEMU v5.2): no step differs, the guest PCISTB limit stays 128; CLP reports the host group', () => {
    const r = readCorpus('z16_kernel-vfio-zdev-add-zpci-caps-get-info-v3-4of5.eml');
    const hosts = { host: r.host!.before, hostAfter: r.host!.after };
    for (const d of ZPCI_DEVICE_KINDS)
      assert.deepEqual(cat().compare('v5.2', 'v5.2', d.id, { depth: 3, ...hosts }).differences, [], d.id);
    const clp = cat().clp('v5.2', 'v5.2', 'zpci-intercepted', hosts);
    assert.deepEqual(
      clp.map((x) => [x.field, x.before, x.after]),
      [
        ['groupId', '0x20', 'host'],
        ['fr', '1', '0'],
      ],
    );
    assert.deepEqual(cat().clp('v5.2', 'v5.2', 'zpci-emulated', hosts), []);
  });
  test('z20: license text only: "none", no edit', () => {
    const r = readCorpus('z20_kernel-vfio-zdev-remove-license-text_refactor.eml');
    assert.deepEqual(
      r.changes.map((c) => [c.change, c.target.kind === 'none' ? c.target.reason : '']),
      [['none', 'comment']],
    );
    assert.deepEqual(r.host?.after.zdevCaps, r.host?.before.zdevCaps);
  });
});

describe('corpus k24, k22', { skip: sharedMissing() }, () => {
  test('k24 (f058599e22d5): s390_pci_mmio_write/read gain the MIO path; a MIO machine now gets PCISTB_MIO', () => {
    const r = readCorpus('k24_s390-pci-mio-autosel.eml');
    assert.equal(r.host?.baseline.id, 'host-v5.7');
    assert.deepEqual(modelChanges(r), ['added host mioPath']);
    const req: MmioRequest = {
      op: 'write',
      mmioAddr: 0x1000,
      length: 64,
      userBuffer: 0x2000,
      haveMio: true,
      vma: { io: true, write: true },
      ptePresent: true,
    };
    const before = hostMmio(cat().host(r.host!.before), req);
    const after = hostMmio(cat().host(r.host!.after), req);
    assert.equal(before.ret, '-EFAULT');
    assert.deepEqual([after.ret, after.chunks.map((c) => c.instruction)], ['0', ['PCISTB_MIO']]);
    assert.ok(notModelled(r).includes('not modelled: __pcistb_mio_inuser in arch/s390/pci/pci_mmio.c'));
  });
  test('k22: the IOMMU region init: not modelled, with its place', () => {
    const r = readCorpus('k22_qemu-s390x-pull-20190930_cover+pci.mbox');
    assert.deepEqual(notModelled(r), ['not modelled: s390_pci_iommu_enable in hw/s390x/s390-pci-bus.c']);
    assert.deepEqual(modelChanges(r), []);
  });
});

describe('seed 004: the ISM RFC', { skip: sharedMissing() }, () => {
  test('the seed is only the cover letter: no hunk to read (the RFC stands in the model as rfc-ism)', () => {
    const name = seedFiles().find((f) => f.startsWith('004_'));
    assert.ok(name);
    const text = readShared('seeds', name);
    assert.match(text, /s390x\/pci: fix pcistb length/);
    assert.deepEqual(readDocument(text).files, []);
    const r = recogniseZpciChanges([]);
    assert.deepEqual([r.changes, r.files.read], [[], []]);
    assert.equal(
      r.baseline.evidence[0],
      'the pre-images show nothing the model reads: no evidence for any version',
    );
    assert.equal(r.baseline.id, 'latest');
  });
});
