/**
 * The zPCI lints, each on C written for the test: a PCISTB path that splits ISM's block stores,
 * a check moved past an earlier one, and the fixed PCISTB staging buffer when the guest can be
 * told a larger maxstbl. Each also stays silent where it does not apply.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildContext } from '../../../server/src/analysis/context';
import { analyzeText, initAnalysis } from '../../../server/src/analysis/index';
import type { LintContext } from '../../../server/src/analysis/lints';
import { ZPCI_LINTS } from '../../../server/src/analysis/zpciLints';
import { HOST_KERNELS, ZPCI_VERSION_SPECS } from '../../../server/src/model/zpci';

/** A mail with one patch: each hunk is [file, function heading, lines with their ' ', '-', '+']. */
function patchMail(date: string, hunks: [string, string, string[]][]): string {
  const out = [
    'From: Test Author <test@example.com>',
    `Date: ${date}`,
    'Subject: [PATCH] s390x/pci: a change written for the test',
    '',
    'Written for the vfio-lens tests.',
    '---',
  ];
  let at = 700;
  for (const [file, heading, lines] of hunks) {
    const old = lines.filter((l) => !l.startsWith('+')).length;
    const now = lines.filter((l) => !l.startsWith('-')).length;
    out.push(`diff --git a/${file} b/${file}`, `--- a/${file}`, `+++ b/${file}`);
    out.push(`@@ -${at},${old} +${at},${now} @@ ${heading}`, ...lines);
    at += 100;
  }
  return out.join('\n') + '\n';
}

const INST = 'hw/s390x/s390-pci-inst.c';
const PCISTB = 'int pcistb_service_call(' + 'S390CPU *cpu, uint8_t r1, uint8_t r3, uint64_t gaddr,';

/** PCISTB's length check of v2.3-v2.9 and its store loop, the loop's call reflowed. */
const STORE_LOOP = [
  '    if (len != 16 && len != 32 && len != 64 && len != 128) {',
  '        program_interrupt(env, PGM_SPECIFICATION, 6);',
  '        return 0;',
  '    }',
  '',
  '    for (i = 0; i < len / 8; i++) {',
  '-        memory_region_dispatch_write(mr, env->regs[r3] + i * 8,',
  '-                                     ldq_p(buffer + i * 8), 8,',
  '-                                     MEMTXATTRS_UNSPECIFIED);',
  '+        memory_region_dispatch_write(mr, env->regs[r3] + i * 8, ldq_p(buffer + i * 8),',
  '+                                     8, MEMTXATTRS_UNSPECIFIED);',
  '     }',
].map((l) => (/^[-+]/.test(l) ? l : ` ${l}`));

/** A lint context with only the zPCI reading (the zPCI lints read nothing else). */
const lintContext = (zpci: LintContext['zpci']): LintContext => ({
  readings: [],
  macros: [],
  baseline: 'v5.8',
  effects: [],
  devices: [],
  prose: [],
  zpci,
});

const lintsOf = (text: string, code: string) =>
  analyzeText(text, { file: 'test.patch' }).result.findings.filter((f) => f.code === code);

describe('zPCI lints (C written for the test)', () => {
  test('pcistb-block-store-split: a QEMU that plugs ISM intercepted (v2.8, before the MSI-X fence) splits its block stores', async () => {
    await initAnalysis();
    const text = patchMail('Tue, 15 Nov 2016 10:00:00 +0100', [[INST, PCISTB, STORE_LOOP]]);
    const hits = lintsOf(text, 'pcistb-block-store-split');
    assert.equal(hits.length, 1, JSON.stringify(analyzeText(text, { file: 't' }).result.baseline));
    assert.match(hits[0].message, /hands a 128-byte block store to ism as 16 separate 8-byte writes/);
    assert.match(hits[0].message, /needs each block store whole/);
    assert.equal(hits[0].severity, 'warning');
    assert.equal(hits[0].diffFile, INST);
    assert.match(text.split('\n')[hits[0].range.start.line], /^\+\s+memory_region_dispatch_write\(/);
  });

  test('pcistb-block-store-split is silent where ISM never reaches the path (v2.9: refused at plug)', async () => {
    await initAnalysis();
    const text = patchMail('Tue, 15 Nov 2016 10:00:00 +0100', [[INST, PCISTB, STORE_LOOP]]);
    const ctx = buildContext(text, { file: 't' });
    const rule = ZPCI_LINTS.find((l) => l.code === 'pcistb-block-store-split')!;
    assert.equal(rule.check(lintContext(ctx.zpci)).length, 1);
    // The same C on v2.9 (the MSI-X fence refuses ISM at plug): no ISM store reaches the loop.
    const u = ctx.zpci.units[0];
    const fenced = {
      ...u,
      reading: { ...u.reading, after: ZPCI_VERSION_SPECS.find((v) => v.id === 'v2.9')! },
    };
    assert.deepEqual(rule.check(lintContext({ ...ctx.zpci, units: [fenced] })), []);
  });

  test('zpci-check-reordered: the handle check moved in front of the address-space check', async () => {
    await initAnalysis();
    const text = patchMail('Tue, 15 Nov 2016 10:00:00 +0100', [
      [
        INST,
        PCISTB,
        [
          '     pcias = (env->regs[r1] >> 16) & 0xf;',
          '     len = env->regs[r1] & 0xff;',
          ' ',
          '-    if (pcias > 5) {',
          '-        DPRINTF("pcistb invalid space\\n");',
          '-        setcc(cpu, ZPCI_PCI_LS_ERR);',
          '-        s390_set_status_code(env, r1, ZPCI_PCI_ST_INVAL_AS);',
          '-        return 0;',
          '-    }',
          '-',
          '     pbdev = s390_pci_find_dev_by_fh(s390_get_phb(), fh);',
          '     if (!pbdev) {',
          '         DPRINTF("pcistb no pci dev fh 0x%x\\n", fh);',
          '         setcc(cpu, ZPCI_PCI_LS_INVAL_HANDLE);',
          '         return 0;',
          '     }',
          '+',
          '+    if (pcias > 5) {',
          '+        DPRINTF("pcistb invalid space\\n");',
          '+        setcc(cpu, ZPCI_PCI_LS_ERR);',
          '+        s390_set_status_code(env, r1, ZPCI_PCI_ST_INVAL_AS);',
          '+        return 0;',
          '+    }',
        ],
      ],
    ]);
    const hits = lintsOf(text, 'zpci-check-reordered');
    assert.equal(
      hits.length,
      1,
      JSON.stringify(analyzeText(text, { file: 't' }).result.findings.map((f) => f.message)),
    );
    assert.match(
      hits[0].message,
      /^pcistb\/(lookup|pcias-invalid) now on the other side of pcistb\/(pcias-invalid|lookup)/,
    );
    assert.match(text.split('\n')[hits[0].range.start.line], /pcias > 5|s390_pci_find_dev_by_fh|!pbdev/);
    // and the behaviour it warns about: an unknown handle with PCIAS 6 now gets cc 3, not status 20
    const cases = analyzeText(text, { file: 't' })
      .result.findings.filter((f) => f.kind === 'behaviour-change')
      .flatMap((f) => f.changes);
    assert.ok(cases.some((c) => c.steps.join('; ') === 'pcistb 6 0 16'));
  });

  const BUFFER = [
    '     S390PCIBusDevice *pbdev;',
    '     MemoryRegion *mr;',
    '     int i;',
    '     uint32_t fh;',
    '     uint8_t pcias;',
    '     uint8_t len;',
    '     uint8_t buffer[128];',
    '+    MemTxResult result;',
  ];

  test('pcistb-buffer-below-maxstbl: the 128-byte buffer of a QEMU that tells an intercepted ISM maxstbl 4096', async () => {
    await initAnalysis();
    const text = patchMail('Wed, 9 Dec 2020 10:00:00 +0100', [[INST, PCISTB, BUFFER]]);
    const ctx = buildContext(text, { file: 't' });
    const rule = ZPCI_LINTS.find((l) => l.code === 'pcistb-buffer-below-maxstbl')!;
    // As detected (a v5.2-era QEMU): ISM is refused at plug, every intercepted kind gets 128.
    assert.deepEqual(rule.check(lintContext(ctx.zpci)), []);
    // The same C on the seed's ISM RFC (rfc-ism, the fence lifted, the zPCI I/O region's maxstbl)
    // over the RFC host: the guest is told 4096 and QEMU still copies into 128 bytes.
    const u = ctx.zpci.units[0];
    const rfc = {
      ...u,
      reading: { ...u.reading, after: ZPCI_VERSION_SPECS.find((v) => v.id === 'rfc-ism')! },
    };
    const hits = rule.check(lintContext({ ...ctx.zpci, units: [rfc] }));
    assert.equal(hits.length, 1);
    assert.match(
      hits[0].message,
      /staging buffer holds 128 bytes, but under rfc-ism on host-rfc-zpci_io an intercepted ism is told maxstbl 4096/,
    );
    assert.match(text.split('\n')[hits[0].range.start.line], /uint8_t buffer\[128\];/);
    assert.ok(HOST_KERNELS.some((h) => h.id === 'host-rfc-zpci_io'));
  });
});
