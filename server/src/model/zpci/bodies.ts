/**
 * The bodies of pcilg_service_call, pcistg_service_call and pcistb_service_call per era, as
 * ordered nodes holding QEMU's C text (read at every release tag from v2.3.0 to v8.0.0 and at
 * qemu/qemu 001cb79d89af; the functions are byte-identical between the eras not listed). A
 * `switch (len) { case 16: ... default: }` is written as the condition that reaches `default`;
 * `case ZPCI_IO_BAR_MIN...ZPCI_IO_BAR_MAX:` as `pcias >= ZPCI_IO_BAR_MIN && pcias <= ZPCI_IO_BAR_MAX`.
 */
import type { AccessNode, BodyNode, CheckNode, CheckOutcome, LoopNode } from './types';

const PRIVILEGED: CheckOutcome = { pgm: 'PGM_PRIVILEGED' };
const SPECIFICATION: CheckOutcome = { pgm: 'PGM_SPECIFICATION' };
const OPERAND: CheckOutcome = { pgm: 'PGM_OPERAND' };
const INVALID_HANDLE: CheckOutcome = { cc: 3 };
const BLOCKED: CheckOutcome = { cc: 1, status: 12 };
const INVALID_AS: CheckOutcome = { cc: 1, status: 20 };

export function check(
  id: string,
  label: string,
  condition: string,
  outcome: CheckOutcome,
  guard?: string,
): CheckNode {
  return guard
    ? { kind: 'check', id, label, condition, outcome, guard }
    : { kind: 'check', id, label, condition, outcome };
}

function access(
  id: string,
  label: string,
  statement: string,
  effect: AccessNode['effect'],
  size: string,
  extra: Partial<AccessNode> = {},
): AccessNode {
  return { kind: 'access', id, label, statement, effect, size, ...extra };
}

/** The era's way of telling "which handle" and "which state" (v2.3 ... v2.12). */
export type HandleEra = 'v2.3' | 'v2.6' | 'v2.7' | 'v2.12';

export const PRIVILEGED_CHECK = check(
  'privileged',
  'problem state',
  'env->psw.mask & PSW_MASK_PSTATE',
  PRIVILEGED,
);
const R2_ODD = check('r2-odd', 'R2 odd', 'r2 & 0x1', SPECIFICATION);

/** The handle and state checks of one era (PCILG/PCISTG and PCISTB share them). */
export function handleChecks(era: HandleEra): CheckNode[] {
  switch (era) {
    case 'v2.3':
      return [
        check('lookup', 'no function for fh', '!pbdev', INVALID_HANDLE),
        check('blocked', 'load/store blocked (error)', 'pbdev->lgstg_blocked', BLOCKED),
      ];
    case 'v2.6':
      return [
        check(
          'lookup',
          'no function for fh, or not enabled',
          '!pbdev || !(pbdev->fh & FH_ENABLED)',
          INVALID_HANDLE,
        ),
        check('blocked', 'load/store blocked (error)', 'pbdev->lgstg_blocked', BLOCKED),
      ];
    case 'v2.7':
      return [
        check('lookup', 'no function for fh', '!pbdev', INVALID_HANDLE),
        check(
          'state-invalid',
          'function reserved, standby, disabled or permanently in error',
          'pbdev->state == ZPCI_FS_RESERVED || pbdev->state == ZPCI_FS_STANDBY || ' +
            'pbdev->state == ZPCI_FS_DISABLED || pbdev->state == ZPCI_FS_PERMANENT_ERROR',
          INVALID_HANDLE,
        ),
        check('state-error', 'function in error', 'pbdev->state == ZPCI_FS_ERROR', BLOCKED),
      ];
    case 'v2.12':
      return [
        check('fh-enable', 'fh enable bit clear', '!(fh & FH_MASK_ENABLE)', INVALID_HANDLE),
        check('lookup', 'no function for fh', '!pbdev', INVALID_HANDLE),
        check(
          'state-error',
          'function in error or permanent error',
          'pbdev->state == ZPCI_FS_PERMANENT_ERROR || pbdev->state == ZPCI_FS_ERROR',
          BLOCKED,
        ),
      ];
  }
}

/* ---- PCILG / PCISTG ---- */

export interface LoadStoreEra {
  handle: HandleEra;
  /** v2.3 reads `(8 - (offset & 0x7)) < len`; v2.12 adds `!len` and `len == 3` (7645b9a79474, 8cbd6aab9579). */
  lengths: 'v2.3' | 'v2.12';
  /** The BAR access result is checked (88ee13c7b656, v2.8.0). */
  resultChecked: boolean;
  /** How the BAR access is written ("io_mem_read", "memory_region_dispatch_read", "zpci_read_bar"). */
  barCall: 'io_mem' | 'dispatch' | 'zpci_bar';
}

const BAR_CASE = { 'v2.3': 'pcias < 6', 'v2.12': 'pcias >= ZPCI_IO_BAR_MIN && pcias <= ZPCI_IO_BAR_MAX' };
const CONFIG_CASE = { 'v2.3': 'pcias == 15', 'v2.12': 'pcias == ZPCI_CONFIG_BAR' };
const BAR_LENGTH = { 'v2.3': '(8 - (offset & 0x7)) < len', 'v2.12': '!len || (len > (8 - (offset & 0x7)))' };
const CONFIG_LENGTH = {
  'v2.3': '(4 - (offset & 0x3)) < len',
  'v2.12': '!len || (len > (4 - (offset & 0x3))) || len == 3',
};

function barAccess(store: boolean, era: LoadStoreEra): BodyNode[] {
  const statement = {
    io_mem: store ? 'io_mem_write(mr, offset, data, len)' : 'io_mem_read(mr, offset, &data, len)',
    dispatch: store
      ? 'memory_region_dispatch_write(mr, offset, data, len, MEMTXATTRS_UNSPECIFIED)'
      : 'memory_region_dispatch_read(mr, offset, &data, len, MEMTXATTRS_UNSPECIFIED)',
    zpci_bar: store
      ? 'zpci_write_bar(pbdev, pcias, offset, data, len)'
      : 'zpci_read_bar(pbdev, pcias, offset, &data, len)',
  }[era.barCall];
  const nodes: BodyNode[] = [
    access(
      'bar-access',
      store ? 'BAR store' : 'BAR load',
      statement,
      store ? 'bar-store' : 'bar-load',
      'len',
      {
        addr: 'offset',
        ...(era.resultChecked ? { assign: 'result' } : {}),
      },
    ),
  ];
  if (era.resultChecked) nodes.push(check('bar-result', 'BAR access failed', 'result != MEMTX_OK', OPERAND));
  return nodes;
}

function configPath(store: boolean, era: LoadStoreEra): BodyNode[] {
  const length = check(
    'config-length',
    'config length or crossing a word',
    CONFIG_LENGTH[era.lengths],
    OPERAND,
  );
  const lengthValue =
    era.lengths === 'v2.3'
      ? check(
          'config-length-value',
          'length not 1, 2, 4 or 8',
          'len != 1 && len != 2 && len != 4 && len != 8',
          OPERAND,
        )
      : check(
          'config-length-value',
          'zpci_endian_swap refuses the length',
          'zpci_endian_swap(&data, len)',
          OPERAND,
        );
  const configAccess = store
    ? access(
        'config-access',
        'config store',
        'pci_host_config_write_common(pbdev->pdev, offset, pci_config_size(pbdev->pdev), data, len)',
        'config-store',
        'len',
      )
    : access(
        'config-access',
        'config load',
        'pci_host_config_read_common(pbdev->pdev, offset, pci_config_size(pbdev->pdev), len)',
        'config-load',
        'len',
      );
  // PCILG swaps after the read and checks it; PCISTG swaps before the write (v2.12: unchecked).
  if (!store) return [length, configAccess, lengthValue];
  return era.lengths === 'v2.3' ? [length, lengthValue, configAccess] : [length, configAccess];
}

export function loadStoreBody(store: boolean, era: LoadStoreEra): BodyNode[] {
  return [
    PRIVILEGED_CHECK,
    R2_ODD,
    ...handleChecks(era.handle),
    {
      kind: 'branch',
      id: 'pcias',
      label: 'address space',
      cases: [
        {
          when: BAR_CASE[era.lengths],
          label: 'BAR (PCIAS 0-5)',
          body: [
            check('bar-length', 'BAR length zero or crossing a doubleword', BAR_LENGTH[era.lengths], OPERAND),
            ...barAccess(store, era),
          ],
        },
        { when: CONFIG_CASE[era.lengths], label: 'config space (PCIAS 15)', body: configPath(store, era) },
        {
          when: null,
          label: 'other PCIAS',
          body: [check('pcias-invalid', 'invalid address space', 'true', INVALID_AS)],
        },
      ],
    },
  ];
}

/* ---- PCISTB ---- */

export interface StoreBlockEra {
  handle: HandleEra;
  /** v2.3: PCIAS first, lengths 16/32/64/128 before the handle; v2.12 (0e7c259adff7): the rework. */
  checks: 'v2.3' | 'v2.12';
  /** The C text of the maxstbl bound (v2.12: pbdev->maxstbl; v5.2: the group's, 28dc86a07299). */
  maxstbl?: string;
  /** How the target range is validated: whole length (ADDRESSING or OPERAND), or per 8 bytes (b3834073dad1). */
  range: 'whole-addressing' | 'whole-operand' | 'whole-operand-attrs' | 'per-8';
  /** Each 8-byte write's result is checked (88ee13c7b656). */
  writeResultChecked: boolean;
  /** The unmerged RFC 6/8: offset, length and gaddr checks only without the relaxed bit. */
  relaxedGuard?: boolean;
  /** The unmerged RFC 7/8: a function with the zPCI I/O region sends the block there. */
  ioRegion?: boolean;
}

const RELAXED_GUARD = '!(pbdev->pci_group->zpci_group.fr & CLP_RSP_QPCIG_MASK_RELAXED)';

function rangeChecks(era: StoreBlockEra): BodyNode[] {
  const addr = era.checks === 'v2.3' ? 'env->regs[r3]' : 'offset';
  switch (era.range) {
    case 'whole-addressing':
      return [
        check('range', 'target range invalid', `!memory_region_access_valid(mr, ${addr}, len, true)`, {
          pgm: 'PGM_ADDRESSING',
        }),
      ];
    case 'whole-operand':
      return [
        check(
          'range',
          'target range invalid',
          `!memory_region_access_valid(mr, ${addr}, len, true)`,
          OPERAND,
        ),
      ];
    case 'whole-operand-attrs':
      return [
        check(
          'range',
          'target range invalid',
          `!memory_region_access_valid(mr, ${addr}, len, true, MEMTXATTRS_UNSPECIFIED)`,
          OPERAND,
        ),
      ];
    case 'per-8': {
      const loop: LoopNode = {
        kind: 'loop',
        id: 'range-loop',
        label: 'each 8-byte piece of the target range',
        variable: 'i',
        test: 'i < len',
        step: 8,
        body: [
          check(
            'range',
            'target piece invalid',
            '!memory_region_access_valid(mr, offset + i, 8, true, MEMTXATTRS_UNSPECIFIED)',
            OPERAND,
          ),
        ],
      };
      return [loop];
    }
  }
}

function writeOut(era: StoreBlockEra): BodyNode[] {
  const addr = era.checks === 'v2.3' ? 'env->regs[r3] + i * 8' : 'offset + i * 8';
  const statement = era.writeResultChecked
    ? `result = memory_region_dispatch_write(mr, ${addr}, ldq_p(buffer + i * 8), 8, MEMTXATTRS_UNSPECIFIED)`
    : `memory_region_dispatch_write(mr, ${addr}, ldq_p(buffer + i * 8), 8, MEMTXATTRS_UNSPECIFIED)`;
  const body: BodyNode[] = [
    access('write', '8-byte write', statement, 'bar-store', '8', {
      addr,
      ...(era.writeResultChecked ? { assign: 'result' } : {}),
    }),
  ];
  if (era.writeResultChecked)
    body.push(check('write-result', 'an 8-byte write failed', 'result != MEMTX_OK', OPERAND));
  return [
    access(
      'guest-read',
      'read the source from guest memory',
      's390_cpu_virt_mem_read(cpu, gaddr, ar, buffer, len)',
      'guest-read',
      'len',
      {
        buffer: 128,
      },
    ),
    {
      kind: 'loop',
      id: 'write-loop',
      label: 'len / 8 separate 8-byte writes',
      variable: 'i',
      test: 'i < len / 8',
      step: 1,
      body,
    },
  ];
}

export function storeBlockBody(era: StoreBlockEra): BodyNode[] {
  if (era.checks === 'v2.3') {
    return [
      PRIVILEGED_CHECK,
      check('pcias-invalid', 'invalid address space', 'pcias > 5', INVALID_AS),
      check(
        'length',
        'length not 16, 32, 64 or 128',
        'len != 16 && len != 32 && len != 64 && len != 128',
        SPECIFICATION,
      ),
      ...handleChecks(era.handle),
      ...rangeChecks(era),
      ...writeOut(era),
    ];
  }
  const guard = era.relaxedGuard ? RELAXED_GUARD : undefined;
  const maxstbl = era.maxstbl ?? 'pbdev->maxstbl';
  const defaultPath = [...rangeChecks(era), ...writeOut(era)];
  const tail: BodyNode[] = era.ioRegion
    ? [
        {
          kind: 'branch',
          id: 'ops',
          label: 'pbdev->ops.pcistb',
          cases: [
            {
              when: 'pbdev->io_region',
              label: 'the vfio zPCI I/O region (s390_pci_vfio_pcistb)',
              body: [
                access(
                  'region-write',
                  'one block store through the zPCI I/O region',
                  'ret = pbdev->ops.pcistb(pbdev, cpu, gaddr, ar, pcias, len, offset)',
                  'region-block',
                  'len',
                  { addr: 'offset' },
                ),
              ],
            },
            { when: null, label: 'pcistb_default', body: defaultPath },
          ],
        },
      ]
    : defaultPath;
  return [
    PRIVILEGED_CHECK,
    ...handleChecks(era.handle),
    check('pcias-invalid', 'invalid address space', 'pcias > ZPCI_IO_BAR_MAX', INVALID_AS),
    check('offset-align', 'offset not a multiple of 8', 'offset % 8', SPECIFICATION, guard),
    check(
      'length',
      'length not above 8, a multiple of 8, at most maxstbl',
      `(len <= 8) || (len % 8) || (len > ${maxstbl})`,
      SPECIFICATION,
      guard,
    ),
    ...(era.relaxedGuard
      ? [
          check(
            'gaddr-align',
            'guest address not doubleword aligned',
            'gaddr & 0x07UL',
            SPECIFICATION,
            guard,
          ),
          check('boundary', 'crossing a 4K boundary', '((offset & 0xfff) + len) > 0x1000', SPECIFICATION),
        ]
      : [
          check('boundary', 'crossing a 4K boundary', '((offset & 0xfff) + len) > 0x1000', SPECIFICATION),
          check('gaddr-align', 'guest address not doubleword aligned', 'gaddr & 0x07UL', SPECIFICATION),
        ]),
    ...tail,
  ];
}
