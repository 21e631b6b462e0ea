/**
 * Every v*, p*, s04 and q10 corpus patch read by the config-space C reader: the recognised
 * changes are those its MANIFEST row names, every changed line ends in a change, the baseline is
 * detected from the pre-images and the mail's kernel line, and the post-image variant compared
 * with the baseline through the config model gives the row's behaviour difference (or none, or
 * "not modelled" where the row's effect is outside the model).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyConfigChanges,
  detectConfigBaseline,
  kernelLineFromMail,
  readConfigPatch,
  type ConfigChange,
} from '../../../../server/src/csrc/config';
import { configVariant, type CfgObservation } from '../../../../server/src/model/vfio/config';
import { readShared, sharedMissing } from '../../../support/shared';
import { KIND_IDS, compareOn, corpusPatches, ready, unaccounted } from './support';

interface Behaviour {
  kind: string;
  steps: string;
  /** The assumption the difference is found under, if any. */
  assuming?: Record<string, number>;
  differ: (before: CfgObservation, after: CfgObservation) => boolean;
  says: string;
}

interface Row {
  file: string;
  /** Which patch of the file (1-based among the mails that carry diffs). */
  patch?: number;
  /** The model changes, exactly: target and the C text after. */
  model: [RegExp, RegExp | null][];
  notModelled?: RegExp[];
  noBehaviour?: RegExp[];
  baseline: string;
  /** The device kinds and steps the derived variant differs on; [] for none. */
  behaviour: Behaviour[];
}

const pinRead = (from: number, to: number) => (b: CfgObservation, a: CfgObservation) =>
  b.value === from && a.value === to;
const chainHas = (o: CfgObservation, space: 'std' | 'ext', id: number) =>
  !!o.chain?.some((c) => c.space === space && c.id === id);

const ROWS: Row[] = [
  {
    file: 'v03',
    model: [[/^decision vf-pin-zero$/, /^pdev->is_virtfn$/]],
    notModelled: [/vfio_pci_get_irq_count in drivers\/vfio\/pci\/vfio_pci\.c/],
    noBehaviour: [/known_bogus_vf_intx_pin is used only to decide whether to log/, /log or WARN only/],
    baseline: 'v4.19',
    behaviour: [
      {
        kind: 'vf',
        steps: 'open; cfg-read PCI_INTERRUPT_PIN 1',
        differ: pinRead(1, 0),
        says: 'vf: cfg-read PCI_INTERRUPT_PIN 1 → 0',
      },
    ],
  },
  {
    file: 'v06',
    model: [[/^decision cap-length-known$/, /^cap && cap <= PCI_CAP_ID_MAX$/]],
    baseline: 'v4.19',
    behaviour: [
      {
        kind: 'cap-id-zero',
        steps: 'open; cfg-walk',
        differ: (b, a) => b.outcome === 'undefined' && a.outcome === 'ok' && !chainHas(a, 'std', 0),
        says: 'cap-id-zero: the chain walk no longer meets ID 0 (undefined → a chain without it)',
      },
    ],
  },
  {
    file: 's04',
    model: [[/^decision cap-length-known$/, /^cap && cap <= PCI_CAP_ID_MAX$/]],
    baseline: 'v5.7',
    behaviour: [],
  },
  { file: 'v07', model: [], noBehaviour: [/memory release only/], baseline: 'v5.7', behaviour: [] },
  {
    file: 'v10',
    model: [],
    noBehaviour: [/#include lines/, /include guard/],
    baseline: 'mainline',
    behaviour: [],
  },
  {
    file: 'v12',
    patch: 1,
    model: [
      [/^Command-register decision memory-enabled$/, /^pdev->current_state < PCI_D3hot && /],
      [/^decision pm-lock-zap$/, /^state >= PCI_D3hot$/],
    ],
    baseline: 'v5.10',
    behaviour: [
      {
        kind: 'pf-pcie',
        steps: 'open; set-power D3hot',
        differ: (b, a) =>
          !b.effects.some((e) => e.kind === 'mmaps-zapped') &&
          a.effects.some((e) => e.kind === 'mmaps-zapped'),
        says: 'pf-pcie: a PMCSR write of D3hot now zaps the BAR mmaps',
      },
    ],
  },
  {
    file: 'v12',
    patch: 2,
    model: [],
    notModelled: [
      /vfio_pci_set_power_state in drivers\/vfio\/pci\/vfio_pci_core\.c/,
      /vfio_pci_core_sriov_configure/,
    ],
    baseline: 'mainline',
    behaviour: [],
  },
  {
    file: 'v12',
    patch: 3,
    model: [
      [/^PM p_setd row at PCI_PM_CTRL \(0x4\)$/, /PCI_PM_CTRL_PME_ENABLE \| PCI_PM_CTRL_PME_STATUS, ~\(/],
      [/^PM p_setw row at PCI_PM_PMC \(0x2\)$/, /PCI_PM_CAP_PME_MASK, NO_WRITE/],
      [/^decision pm-vconfig-clear$/, /^cap == PCI_CAP_ID_PM$/],
    ],
    baseline: 'v5.10',
    behaviour: [
      {
        kind: 'pf-pcie',
        steps: 'open; cfg-read PCI_PM_PMC 2',
        differ: (b, a) => b.value === 0xc803 && a.value === 0x0003,
        says: 'PMC PME_Support: hardware bits → 0',
      },
      {
        kind: 'pf-pcie',
        steps: 'open; cfg-read PCI_PM_CTRL 2',
        differ: (b, a) => b.value === 0x8008 && a.value === 0x0008,
        says: 'PMCSR PME_Status: hardware → 0 at open',
      },
      {
        kind: 'pf-pcie',
        steps: 'open; cfg-write PCI_PM_CTRL 2 0x8100',
        differ: (b, a) =>
          b.hardware.some((h) => h.value & 0x8100) && a.hardware.every((h) => !(h.value & 0x0100)),
        says: 'a write of PME_En|PME_Status reached the hardware → only the virtual bits change',
      },
    ],
  },
  {
    file: 'v12',
    patch: 4,
    model: [],
    notModelled: [
      /vfio_pci_core_enable in drivers\/vfio\/pci\/vfio_pci_core\.c/,
      /vfio_pci_dev_set_pm_runtime_get/,
    ],
    baseline: 'mainline',
    behaviour: [],
  },
  { file: 'v16', model: [], noBehaviour: [/comment text only/], baseline: 'mainline', behaviour: [] },
  {
    file: 'v19',
    model: [
      [/^pci_ext_cap_length\[0x23\]$/, /^0xFF$/],
      [/^ext DVSEC writefn$/, /^vfio_raw_config_write$/],
    ],
    noBehaviour: [/computes length of ext DVSEC as the model does/],
    baseline: 'v5.19',
    behaviour: [
      {
        kind: 'dvsec',
        steps: 'open; cfg-walk',
        differ: (b, a) => !chainHas(b, 'ext', 0x23) && chainHas(a, 'ext', 0x23),
        says: 'dvsec: the DVSEC ecap hidden → visible in the chain',
      },
    ],
  },
  { file: 'v20', model: [], noBehaviour: [/log or WARN only/], baseline: 'mainline', behaviour: [] },
  {
    file: 'v23',
    model: [[/^decision ecap-unknown-perms$/, /^cap_id > PCI_EXT_CAP_ID_MAX$/]],
    noBehaviour: [/WARN_ON/],
    baseline: 'v5.10',
    behaviour: [
      {
        kind: 'ecap-unknown-first',
        steps: 'open; cfg-read 0x100 4',
        differ: (b, a) => b.outcome === 'undefined' && a.outcome === 'ok',
        says: 'ecap-unknown-first: the placeholder read is undefined (out of bounds) → direct read-only',
      },
    ],
  },
  {
    file: 'v27',
    model: [],
    noBehaviour: [/both sides compute length of ext VNDR/, /#define PCI_VSEC_HDR removed/],
    baseline: 'mainline',
    behaviour: [],
  },
  {
    file: 'v28',
    model: [[/^decision pin-zero$/, /vdev->pdev->irq == IRQ_NOTCONNECTED$/]],
    notModelled: [
      /vfio_pci_get_irq_count in drivers\/vfio\/pci\/vfio_pci_core\.c/,
      /vfio_intx_enable in drivers\/vfio\/pci\/vfio_pci_intrs\.c/,
    ],
    baseline: 'v6.14',
    behaviour: [
      {
        kind: 'irq-notconnected',
        steps: 'open; cfg-read PCI_INTERRUPT_PIN 1',
        differ: pinRead(1, 0),
        says: 'irq-notconnected: pin 1 → 0',
      },
    ],
  },
  {
    file: 'p22',
    model: [
      [/^decision pri-vf-shared$/, /^pdev->is_virtfn$/],
      [/^decision pri-vf-result$/, /^pci_physfn\(pdev\)->pri_enabled$/],
    ],
    notModelled: [
      /pci_disable_pri in drivers\/pci\/ats\.c/,
      /pci_reset_pri/,
      /pci_restore_pri_state/,
      /pci_prg_resp_pasid_required/,
    ],
    baseline: 'v4.19',
    behaviour: [
      {
        kind: 'vf',
        steps: 'open; pci_enable_pri',
        assuming: { 'pci_physfn(pdev)->pri_enabled': 1 },
        differ: (b, a) => b.returned === -22 && a.returned === 0,
        says: 'vf: pci_enable_pri -EINVAL → 0 when the PF has PRI enabled',
      },
    ],
  },
  {
    file: 'p23',
    model: [
      [/^decision pasid-vf-shared$/, /^pdev->is_virtfn$/],
      [/^decision pasid-vf-result$/, /^pci_physfn\(pdev\)->pasid_enabled$/],
    ],
    notModelled: [/pci_disable_pasid in drivers\/pci\/ats\.c/, /pci_pasid_features/, /pci_max_pasids/],
    baseline: 'v4.19',
    behaviour: [
      {
        kind: 'vf',
        steps: 'open; pci_enable_pasid',
        assuming: { 'pci_physfn(pdev)->pasid_enabled': 1 },
        differ: (b, a) => b.returned === -22 && a.returned === 0,
        says: 'vf: pci_enable_pasid -EINVAL → 0 when the PF has PASID enabled',
      },
    ],
  },
  {
    file: 'q10',
    model: [],
    notModelled: [/vfio_add_ext_cap in hw\/vfio\/pci\.c/, /hw\/vfio\/trace-events is not C source/],
    baseline: 'mainline',
    behaviour: [],
  },
];

const skip = sharedMissing();

const readings = new Map<Row, ReturnType<typeof readRow>>();

function readRow(row: Row) {
  const patch = corpusPatches(row.file)[(row.patch ?? 1) - 1];
  const reading = readConfigPatch(patch.hunks);
  const baseline = detectConfigBaseline(reading, kernelLineFromMail(patch.subject, patch.body));
  return { reading, baseline, patch };
}

/** A row read once for its three tests. */
function read(row: Row) {
  let r = readings.get(row);
  if (!r) {
    r = readRow(row);
    readings.set(row, r);
  }
  return r;
}

const only = (changes: ConfigChange[], kind: ConfigChange['kind']) => changes.filter((c) => c.kind === kind);

describe('config-space C reading of the corpus (MANIFEST rows)', { skip }, () => {
  before(ready);

  test('every v* and p* row of MANIFEST.tsv has a row here, and "none" rows expect no behaviour', () => {
    const rows = readShared('corpus', 'MANIFEST.tsv')
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'));
    for (const cols of rows.filter((c) => /^[vp]\d/.test(c[0] ?? ''))) {
      const prefix = cols[0].slice(0, 3);
      const mine = ROWS.filter((r) => r.file === prefix);
      assert.ok(mine.length, `no row for ${cols[0]}`);
      if (cols[5]?.trim() === 'none')
        assert.ok(
          mine.every((r) => !r.model.length && !r.behaviour.length),
          `${prefix} is a none row`,
        );
    }
  });

  for (const row of ROWS) {
    const name = `${row.file}${row.patch ? ` ${row.patch}/4` : ''}`;
    test(`${name}: the recognised changes are the row's (${row.model.map((m) => m[0].source).join(', ') || 'no model change'})`, () => {
      const { reading } = read(row);
      const model = only(reading.changes, 'model');
      assert.equal(model.length, row.model.length, model.map((c) => c.message).join('\n'));
      for (const [target, after] of row.model) {
        const c = model.find((m) => target.test(m.target ?? ''));
        assert.ok(c, `no change of ${target} in\n${model.map((m) => m.message).join('\n')}`);
        if (after) assert.match(c.after ?? '', after);
        assert.ok(c.places.length && c.edits.length, c.message);
      }
      for (const re of row.notModelled ?? [])
        assert.ok(
          only(reading.changes, 'not-modelled').some((c) => re.test(c.message)),
          `no "not modelled" matching ${re}`,
        );
      for (const re of row.noBehaviour ?? [])
        assert.ok(
          only(reading.changes, 'no-behaviour-change').some((c) => re.test(c.message)),
          `no "no behaviour change" matching ${re}`,
        );
      assert.deepEqual(unaccounted(reading), [], 'every changed line ends in a change');
    });

    test(`${name}: baseline ${row.baseline}, from the pre-images and the mail`, () => {
      const { baseline } = read(row);
      assert.equal(baseline.variant, row.baseline, baseline.explanation);
    });

    const says =
      row.behaviour.map((b) => b.says).join('; ') ||
      (row.model.length ? 'no visible difference' : 'no behaviour change');
    test(`${name}: post-image vs baseline: ${says}`, () => {
      const { reading, baseline } = read(row);
      const base = configVariant(baseline.variant)!;
      const derived = applyConfigChanges(base, reading.changes, { commit: `corpus ${row.file}` });
      assert.deepEqual(derived.refused, []);
      if (!row.behaviour.length) {
        const kinds = row.model.length ? [] : KIND_IDS;
        for (const k of kinds) assert.deepEqual(compareOn(base, derived.variant, k), [], k);
        return;
      }
      for (const b of row.behaviour) {
        const diffs = compareOn(base, derived.variant, b.kind);
        const d = diffs.find((x) => x.steps.map((s) => s.text).join('; ') === b.steps);
        assert.ok(
          d,
          `${b.kind}: no difference at "${b.steps}" among ${diffs.map((x) => x.steps.map((s) => s.text).join('; ')).join(' | ')}`,
        );
        if (b.assuming) for (const [k, v] of Object.entries(b.assuming)) assert.equal(d.assumptions[k], v, k);
        assert.ok(
          b.differ(d.before, d.after),
          `${b.says}: ${JSON.stringify([d.before.value, d.before.outcome, d.before.returned])} → ${JSON.stringify([d.after.value, d.after.outcome, d.after.returned])}`,
        );
      }
    });
  }
});
