/**
 * The zPCI corpus patches through analyzeText: each gives the effect its MANIFEST row states (as
 * far as the model reaches; where QEMU's source and the row disagree, the source), on the line
 * that causes it; the refactors give none; a change the model does not read says "not modelled"
 * with its place.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyzeText, initAnalysis, type AnalysisOutput } from '../../../server/src/analysis/index';
import type { Finding, ZpciBehaviourChange } from '../../../server/src/analysis/types';
import { sharedMissing } from '../../support/shared';
import { analyse, behaviour, corpus, lineOf } from './support';

type Out = AnalysisOutput & { text: string };

const zpciCases = (f: Finding) => f.changes.filter((c): c is ZpciBehaviourChange => 'model' in c);

/** The behaviour findings with a zPCI case of this device, steps and readings (before, after). */
function findingsWith(out: Out, device: string, steps: string, before: RegExp, after: RegExp): Finding[] {
  return behaviour(out).filter((f) =>
    zpciCases(f).some(
      (c) =>
        c.device === device &&
        c.steps.join('; ') === steps &&
        !c.internal &&
        before.test(c.before.reading) &&
        after.test(c.after.reading),
    ),
  );
}

/** Exactly one finding carries the case, and it sits on a line matching `line`. */
function assertCase(out: Out, device: string, steps: string, before: RegExp, after: RegExp, line: RegExp) {
  const hits = findingsWith(out, device, steps, before, after);
  assert.ok(hits.length >= 1, `no finding with ${device}: ${steps}: ${before} → ${after}`);
  assert.ok(
    hits.some((f) => line.test(lineOf(out.text, f))),
    `${device}: ${steps} is on ${hits.map((f) => JSON.stringify(lineOf(out.text, f))).join(', ')}`,
  );
}

const visibleZpciDevices = (out: Out) =>
  [
    ...new Set(
      behaviour(out).flatMap((f) =>
        zpciCases(f)
          .filter((c) => !c.internal)
          .map((c) => c.device),
      ),
    ),
  ].sort();

const unmodelled = (out: Out) => out.result.findings.filter((f) => f.kind === 'unmodeled-change');

const ALL_KINDS = ['ism', 'zpci-emulated', 'zpci-intercepted', 'zpci-interpreted'];

describe('zPCI corpus patches give their MANIFEST effect (analyzeText)', { skip: sharedMissing() }, () => {
  test('z01 (3be5c2078bcf, v2.6): an instruction naming a disabled fh: executed → cc 3, all kinds; DMA and MSI-X not modelled', async () => {
    const out = await analyse(corpus('z01_'));
    assert.equal(out.result.baseline.qemu?.id, 'v2.3');
    assert.match(out.result.baseline.qemu!.detectedFrom, /pcilg\/lookup/);
    for (const insn of ['pcilg', 'pcistg'])
      for (const device of ALL_KINDS)
        assertCase(out, device, `plug; ${insn} 0 0 8`, /^accepted/, /^cc 3$/, /FH_ENABLED/);
    assertCase(out, 'ism', 'plug; pcistb 0 0 16', /^accepted/, /^cc 3$/, /FH_ENABLED/);
    assert.deepEqual(visibleZpciDevices(out), ALL_KINDS);
    const places = unmodelled(out).map((f) => f.function);
    for (const fn of [
      's390_translate_iommu',
      's390_msi_ctrl_write',
      'rpcit_service_call',
      'mpcifc_service_call',
    ])
      assert.ok(places.includes(fn), `not modelled in ${fn}: ${places.join(', ')}`);
  });

  test('z02 (88ee13c7b656, v2.8): a failing dispatch: cc 0 → operand exception; PCISTB out of range: addressing → operand', async () => {
    const out = await analyse(corpus('z02_'));
    assert.equal(out.result.baseline.qemu?.id, 'v2.7');
    for (const device of ['zpci-intercepted', 'ism']) {
      assertCase(out, device, 'plug; enable; pcilg 0 2 4', /^accepted$/, /^operand exception$/, /MEMTX_OK/);
      assertCase(out, device, 'plug; enable; pcistg 0 2 4', /^accepted$/, /^operand exception$/, /MEMTX_OK/);
      assertCase(
        out,
        device,
        'plug; enable; pcistb 0 4 16',
        /^addressing exception$/,
        /^operand exception$/,
        /PGM_OPERAND/,
      );
    }
  });

  test('z05 (7645b9a79474, v2.12): PCISTG of 0 bytes to a BAR: accepted → operand exception; config length 3 unchanged', async () => {
    const out = await analyse(corpus('z05_'));
    assert.equal(out.result.baseline.qemu?.id, 'v2.9');
    for (const device of ['zpci-intercepted', 'zpci-interpreted', 'zpci-emulated'])
      assertCase(out, device, 'plug; enable; pcistg 0 0 0', /^accepted/, /^operand exception$/, /!len \|\|/);
    // The config-space length check is rewritten: the same operand exception (only the check differs).
    const config = behaviour(out)
      .flatMap(zpciCases)
      .filter((c) => c.steps.join('; ').includes('pcistg 15 0 3'));
    assert.ok(config.length > 0 && config.every((c) => c.internal), 'config length 3: internal only');
  });

  test('z06 (8cbd6aab9579, v2.12): PCILG of 0 bytes from a BAR: accepted → operand exception; config length 3 unchanged', async () => {
    const out = await analyse(corpus('z06_'));
    assert.equal(out.result.baseline.qemu?.id, 'v2.9');
    for (const device of ['zpci-intercepted', 'zpci-interpreted', 'zpci-emulated'])
      assertCase(out, device, 'plug; enable; pcilg 0 0 0', /^accepted/, /^operand exception$/, /!len \|\|/);
    const config = behaviour(out)
      .flatMap(zpciCases)
      .filter((c) => c.steps.join('; ').includes('pcilg 15 0 3'));
    assert.ok(config.length > 0 && config.every((c) => c.internal), 'config length 3: internal only');
  });

  test('z07 (0e7c259adff7, v2.12): the PCISTB rework: length, alignment, handle first, CLP maxstbl 0 → 128; ISM still fenced', async () => {
    const out = await analyse(corpus('z07_'));
    assert.equal(out.result.baseline.qemu?.id, 'v2.9');
    // QEMU's source: pbdev->maxstbl is declared but never assigned (v2.12 to v5.1), so it is 0 and
    // every length fails `len > pbdev->maxstbl` (the MANIFEST row expects 24 to pass: source wins).
    assertCase(
      out,
      'zpci-intercepted',
      'plug; enable; pcistb 0 0 16',
      /^accepted as 2 separate 8-byte writes/,
      /^specification exception$/,
      // on the added check that now decides (it stands in a later hunk than the removed `switch (len)`)
      /^\+.*len > pbdev->maxstbl/,
    );
    const length = findingsWith(
      out,
      'zpci-intercepted',
      'plug; enable; pcistb 0 0 16',
      /accepted/,
      /specification/,
    )[0];
    const why = zpciCases(length).find((c) => c.steps.join('; ') === 'plug; enable; pcistb 0 0 16')!.after
      .why;
    assert.ok(
      why.some((w) => w.decided && /pbdev->maxstbl \(0\)/.test(w.text)),
      why.map((w) => w.text).join(' | '),
    );
    assertCase(
      out,
      'zpci-intercepted',
      'plug; enable; pcistb 0 4 16',
      /^operand exception$/,
      /^specification exception$/,
      /offset % 8/,
    );
    assertCase(out, 'zpci-intercepted', 'pcistb 6 0 16', /status 20/, /^cc 3$/, /FH_MASK_ENABLE|pcias >/);
    // a check the patch rewrites in another hunk sits on its added line, never on the removed one
    // (the PCISTB length, and the PCIAS check moved below the state checks), and so do their lints
    for (const key of ['pcistb/length', 'pcistb/pcias-invalid']) {
      const at = out.result.findings.filter((f) => f.message.startsWith(`${key}`));
      assert.ok(at.length >= 2, `${key}: ${at.length} findings`);
      for (const f of at) assert.match(lineOf(out.text, f), /^\+\s*if \(/, `${f.code} ${key}`);
    }
    assertCase(
      out,
      'zpci-intercepted',
      'plug',
      /CLP reports maxstbl 0/,
      /CLP reports maxstbl 128/,
      /maxstbl, 128/,
    );
    // ISM is refused at plug on both sides (the MSI-X fence of v2.9): no case of it after a plug.
    const ism = behaviour(out)
      .flatMap(zpciCases)
      .filter((c) => c.device === 'ism');
    assert.ok(ism.length > 0);
    assert.ok(
      ism.every((c) => !c.steps.includes('plug')),
      ism.map((c) => c.steps.join('; ')).join(' | '),
    );
  });

  test('q09 (15d0e7942d3b, v7.2): ism: plug: refused (MSI-X mandatory) → plugged, interpreted, on the fence line', async () => {
    const out = await analyse(corpus('q09_'));
    assert.equal(out.result.baseline.qemu?.id, 'v7.2');
    assertCase(
      out,
      'ism',
      'plug',
      /^plug refused \("MSI-X support is mandatory/,
      /^plugged, interpreted$/,
      /!pbdev->interp/,
    );
    assert.deepEqual(visibleZpciDevices(out), ['ism']);
    const text = out.result.findings.find((f) => f.kind === 'behaviour-change')!;
    const c = zpciCases(text)[0];
    assert.ok(c.before.why.some((w) => w.decided && /s390_pci_msix_init\(pbdev\) \(-1\)/.test(w.text)));
  });

  test('q07 (03451953c79e, v8.0): ism: a system reset of an enabled function now resets the ISM device', async () => {
    const out = await analyse(corpus('q07_'));
    assert.equal(out.result.baseline.qemu?.id, 'v7.2');
    assertCase(out, 'ism', 'plug; enable; reset', /./, /the ISM device is reset/, /ZPCI_PFT_ISM/);
    assert.deepEqual(visibleZpciDevices(out), ['ism']);
    assert.ok(unmodelled(out).some((f) => f.function === 's390_pci_shutdown_notifier'));
  });

  test('q02 (the interpretation series, v7.2): interpretation at plug, the fence lifted for interpreted ISM, imaxstbl', async () => {
    const out = await analyse(corpus('q02_'));
    assertCase(out, 'zpci-interpreted', 'plug', /intercepted/, /interpreted/, /pbdev->interp/);
    assertCase(out, 'ism', 'plug', /^plug refused/, /^plugged, interpreted$/, /!pbdev->interp/);
    assertCase(out, 'ism', 'plug', /CLP reports maxstbl 128/, /CLP reports maxstbl 4096/, /imaxstbl|maxstbl/);
  });

  test('z16 (e6b817d4b821, host v5.10): the zPCI caps reach the guest CLP (group 0xf0 for a simulated group); not-modelled caps said', async () => {
    const out = await analyse(corpus('z16_'));
    assert.equal(out.result.baseline.host?.id, 'host-v5.8');
    assertCase(
      out,
      'zpci-intercepted',
      'plug',
      /CLP reports groupId/,
      /CLP reports groupId 0xf0/,
      /ZPCI_GROUP/,
    );
    for (const fn of ['zpci_base_cap', 'zpci_util_cap', 'zpci_pfip_cap'])
      assert.ok(
        unmodelled(out).some((f) => f.function === fn && /^not modelled: /.test(f.message)),
        fn,
      );
  });

  for (const name of ['z09_', 'z20_'])
    test(`${name.slice(0, 3)} (a refactor): no behaviour change, and nothing said "not modelled" either`, async () => {
      const out = await analyse(corpus(name));
      assert.deepEqual(behaviour(out), []);
      assert.deepEqual(unmodelled(out), []);
    });
});

describe(
  'zPCI changes the model does not read: "not modelled", with the place',
  { skip: sharedMissing() },
  () => {
    test('q08 (the DMA series): every change says what and where; the summary counts them', async () => {
      const out = await analyse(corpus('q08_'));
      assert.deepEqual(behaviour(out), []);
      const u = unmodelled(out);
      assert.ok(u.length >= 3);
      for (const f of u) {
        assert.match(f.message, /^not modelled: .+ in (hw\/s390x\/|include\/hw\/s390x\/)/);
        assert.ok(f.diffFile && /s390-pci/.test(f.diffFile), f.diffFile);
        assert.ok(f.function, `${f.message} has its function`);
      }
      assert.ok(u.some((f) => f.function === 'rpcit_service_call'));
    });

    test('a hand-written hunk in s390-pci-inst.c the model does not cover is "not modelled" on its line', async () => {
      await initAnalysis();
      const text = [
        'diff --git a/hw/s390x/s390-pci-inst.c b/hw/s390x/s390-pci-inst.c',
        '--- a/hw/s390x/s390-pci-inst.c',
        '+++ b/hw/s390x/s390-pci-inst.c',
        '@@ -10,6 +10,7 @@ int stpcifc_service_call(' +
          'S390CPU *cpu, uint8_t r1, uint64_t fiba, uint8_t ar,',
        '     fib.fmb_addr = cpu_to_be64(pbdev->fmb_addr);',
        '     fib.gd = cpu_to_be32(pbdev->gd);',
        '+    fib.fc |= 0x20;',
        ' ',
        '     if (s390_cpu_virt_mem_write(cpu, fiba, ar, (uint8_t *)&fib, sizeof(fib))) {',
        '         return 0;',
        '',
      ].join('\n');
      const out = analyzeText(text, { file: 'stpcifc.diff' });
      const u = out.result.findings.filter((f) => f.kind === 'unmodeled-change');
      assert.equal(u.length, 1, JSON.stringify(out.result.findings.map((f) => f.message)));
      assert.match(u[0].message, /^not modelled: stpcifc_service_call in hw\/s390x\/s390-pci-inst\.c/);
      assert.equal(u[0].range.start.line, 6, 'on the added line');
      assert.equal(out.result.findings.filter((f) => f.kind === 'behaviour-change').length, 0);
    });
  },
);
