/**
 * The config-space producer on the corpus (issue 11, done-when): every v* and p* file gives the
 * effect its MANIFEST row states, on the changed line that causes it; "none" rows give no
 * behaviour finding; s04 and q10 no longer say "no change" (q10 is QEMU: "not modelled").
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { AnalysisOutput } from '../../../server/src/analysis/index';
import { noModelledChangeText } from '../../../server/src/analysis/summaryText';
import { toText } from '../../../server/src/cli/analyze';
import { readShared, sharedMissing } from '../../support/shared';
import { analyse, behaviour, corpus, lineOf } from './support';

interface Expect {
  /** Patch index (0-based) the finding is on, when the file has several. */
  patch?: number;
  device: string;
  steps: string;
  /** The observation after, as the model's formatter writes it. */
  after: RegExp;
  /** The changed line the finding sits on. */
  line: RegExp;
}

/** The MANIFEST row of each file with a config-space effect, as (device, steps) the model shows it at. */
const EFFECTS: Record<string, Expect[]> = {
  v03: [
    {
      device: 'vf',
      steps: 'open; cfg-read PCI_INTERRUPT_PIN 1',
      after: /read 0x0$/,
      line: /is_virtfn|PCI_INTERRUPT_PIN] = 0/,
    },
  ],
  v06: [{ device: 'cap-id-zero', steps: 'open; cfg-walk', after: /^cfg-walk: chain /, line: /cap/ }],
  v12: [
    {
      patch: 1,
      device: 'pf-pcie',
      steps: 'open; set-power D3hot',
      after: /mmaps zapped/,
      line: /vfio_lock_and_set_power_state|state >= PCI_D3hot/,
    },
    {
      patch: 3,
      device: 'pf-pcie',
      steps: 'open; cfg-read PCI_PM_PMC 2',
      after: /read 0x3$/,
      line: /PCI_PM_PMC|PCI_PM_CTRL|PCI_CAP_ID_PM/,
    },
  ],
  v19: [
    {
      device: 'dvsec',
      steps: 'open; cfg-walk',
      after: /ext 0x23@/,
      line: /DVSEC|vfio_raw_config_write|0xFF/,
    },
  ],
  v23: [
    {
      device: 'ecap-unknown-first',
      steps: 'open; cfg-read 0x100 4',
      after: /read /,
      line: /PCI_EXT_CAP_ID_MAX/,
    },
  ],
  v28: [
    {
      device: 'irq-notconnected',
      steps: 'open; cfg-read PCI_INTERRUPT_PIN 1',
      after: /read 0x0$/,
      line: /IRQ_NOTCONNECTED|nointx/,
    },
  ],
  p22: [{ device: 'vf', steps: 'open; pci_enable_pri', after: /returns 0/, line: /is_virtfn|pri_enabled/ }],
  p23: [
    { device: 'vf', steps: 'open; pci_enable_pasid', after: /returns 0/, line: /is_virtfn|pasid_enabled/ },
  ],
};

/** Files whose MANIFEST effect also names a Command-register change (found by the behaviour producer). */
const COMMAND_TOO = new Set(['v12']);

const skip = sharedMissing();

function manifestRows(): string[][] {
  return readShared('corpus', 'MANIFEST.tsv')
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((c) => /^[vp]\d/.test(c[0] ?? ''));
}

function changeAt(out: AnalysisOutput, e: Expect) {
  for (const f of behaviour(out)) {
    if (e.patch !== undefined && f.patch !== e.patch) continue;
    const c = f.changes.find((x) => x.device === e.device && x.steps.join('; ') === e.steps);
    if (c) return { f, c };
  }
  return undefined;
}

describe('config-space findings of the corpus (MANIFEST effects)', { skip }, () => {
  test('every v* and p* row has an expectation here or is a row without a config-space behaviour', () => {
    for (const cols of manifestRows()) {
      const prefix = cols[0].slice(0, 3);
      if (cols[5]?.trim() === 'none') assert.equal(EFFECTS[prefix], undefined, `${prefix} is a none row`);
    }
  });

  for (const cols of skip ? [] : manifestRows()) {
    const prefix = cols[0].slice(0, 3);
    const expected = EFFECTS[prefix];
    const none = cols[5]?.trim() === 'none';
    test(`${prefix}: ${expected ? expected.map((e) => `${e.device}: ${e.steps}`).join('; ') : none ? 'none: no behaviour finding' : 'no config-space difference'}`, async () => {
      const out = await analyse(corpus(prefix));
      if (!expected) {
        if (none)
          assert.deepEqual(
            behaviour(out).map((f) => f.message),
            [],
          );
        else
          assert.deepEqual(
            behaviour(out)
              .filter((f) => f.changes.some((c) => 'config' in c.before && c.before.config))
              .map((f) => f.message),
            [],
          );
        return;
      }
      for (const e of expected) {
        const hit = changeAt(out, e);
        assert.ok(
          hit,
          `${e.device}: ${e.steps} not among\n${behaviour(out)
            .map((f) => f.message)
            .join('\n')}`,
        );
        assert.match(hit.c.after.text, e.after);
        assert.ok(hit.c.before.text !== hit.c.after.text);
        assert.match(lineOf(out.text, hit.f), e.line);
        assert.ok(out.text.split('\n')[hit.f.range.start.line].startsWith('+'), 'on an added line');
        // each side explains itself: the config step's decisions with their operands' values
        assert.ok(Array.isArray(hit.c.after.why));
      }
      if (!COMMAND_TOO.has(prefix))
        for (const f of behaviour(out))
          assert.ok(
            f.changes.every((c) => 'config' in c.before && c.before.config),
            f.message,
          );
    });
  }

  test('v03: the message names the change, the device and both observations', async () => {
    const out = await analyse(corpus('v03'));
    const f = behaviour(out).find((x) => x.changes.some((c) => c.device === 'vf'))!;
    assert.match(
      f.message,
      /^vf: open; cfg-read PCI_INTERRUPT_PIN 1: read 0x1 → read 0x0 .*, also for vf-pcie; /,
    );
    // the consequence first, then the C that causes it
    assert.match(f.message, /; decision vf-pin-zero in vfio_config_init: `\(absent\)` → `pdev->is_virtfn`$/);
    assert.match(out.result.baseline.detectedFrom, /the mail targets 4\.19/);
  });

  test('s04 (a mangled reply) and q10 (QEMU) no longer say "no change"', async () => {
    const s04 = await analyse(corpus('s04'));
    assert.ok(behaviour(s04).some((f) => f.changes.some((c) => c.device === 'cap-id-zero')));
    const q10 = await analyse(corpus('q10'));
    const unmodelled = q10.result.findings.filter((f) => f.code === 'unmodeled-change');
    assert.ok(unmodelled.some((f) => /^not modelled: vfio_add_ext_cap in hw\/vfio\/pci\.c/.test(f.message)));
    const text = toText([q10.result]);
    assert.doesNotMatch(text, /behaviour: no change(?! in what vfio-lens models)/);
    assert.ok(text.includes(`behaviour: ${noModelledChangeText(q10.result.findings)}`), text);
    // hw/vfio/pci.c's two functions (hw/vfio/trace-events is not C: no hint of its own)
    assert.match(text, /no change in what vfio-lens models; 2 changes it does not model/);
    assert.ok(!unmodelled.some((f) => /trace-events/.test(f.message)));
  });
});
