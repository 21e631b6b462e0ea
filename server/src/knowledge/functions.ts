/** The vfio functions at the decision points, and the kernel functions that set the markers. */
import type { KnowledgeEntry } from './types';

export const functionEntries: KnowledgeEntry[] = [
  {
    name: '__vfio_pci_memory_enabled',
    kind: 'vfio function',
    summary: 'Decision "memory-enabled": may user access reach the BARs right now?',
    details:
      'Called with memory_lock held by the mmap fault handler (false: SIGBUS), by BAR read/write (false: EIO) and by ioeventfds (false: write dropped). It looks at vfio\u2019s virtual COMMAND MEMORY bit, plus a per-device exemption: is_virtfn (v5.8), detached_vf (v2 proposal), the dev_flags bit (v4 proposal), no_command_memory (v5.10); v5.19 also refuses in D3hot.',
    commit: 'abafbc551fdd (v5.8-rc1); ebfa440ce38b; 515ecd5368f1 (v5.10-rc1); 2b2c651baf1c (v5.19)',
    trap: 'The exemption decides whether a VF-like device is usable at all before the user writes COMMAND.',
  },
  {
    name: 'vfio_basic_config_read',
    kind: 'vfio function',
    summary:
      'Decision "read-or-in": reads of the standard header; ORs the virtual MEMORY bit into COMMAND for exempt devices.',
    details:
      'COMMAND bits come from hardware except INTX_DISABLE. For devices whose MEMORY bit is hard-wired 0 the virtual MEMORY bit is added so the user reads back what it wrote; which devices get this was is_virtfn, then no_command_memory.',
    commit: 'since v3.6 (is_virtfn); 515ecd5368f1 (no_command_memory)',
    trap: 'Without the OR-in an s390 detached VF reads MEMORY=0 right after the user set it.',
  },
  {
    name: 'vfio_basic_config_write',
    kind: 'vfio function',
    summary:
      'Decision "restore-condition": a COMMAND write that enables MEMORY/IO the hardware shows off triggers vfio_bar_restore.',
    details:
      'Reads the physical COMMAND, compares the new, virtual and physical MEMORY and IO bits, zaps BAR mmaps when MEMORY goes off, calls vfio_bar_restore when an enable bit is set virtually but off in hardware (or saved BARs differ), then writes through and records MEMORY|IO in the virtual copy.',
    commit: 'memory_lock and zap: abafbc551fdd; MEMORY clause exemption: 515ecd5368f1',
    trap: 'It cannot tell an enable bit the device does not implement from one lost in a reset.',
  },
  {
    name: 'vfio_bar_restore',
    kind: 'vfio function',
    summary:
      'Decision "restore-skip": rewrites the saved BARs after a suspected backdoor reset, logging "reset recovery".',
    details:
      'Returns at once for is_virtfn devices (their header BARs are read-only zero); v2 also skipped detached_vf. Otherwise writes rbar[0..5] and the ROM BAR back and logs once per call.',
    commit: 'since v3.6; message wording changed later (commit unconfirmed)',
    trap: 'An s390 detached VF is not is_virtfn, so it gets its BARs rewritten and the log line on every triggering COMMAND write.',
  },
  {
    name: 'vfio_need_bar_restore',
    kind: 'vfio function',
    summary: 'Part of the restore trigger: true when a saved non-zero BAR no longer reads back the same.',
    details: 'Compares rbar[0..5] with hardware; for a VF all saved BARs are zero so it never fires.',
    commit: 'present before abafbc551fdd (not in v3.6)',
  },
  {
    name: 'vfio_config_init',
    kind: 'vfio function',
    summary:
      'Decision "init-force-memory": builds the virtual config space at open; may force virtual MEMORY on.',
    details:
      'Copies the header from hardware (after pci_enable_device), saves BARs, fixes vendor/device/pin for is_virtfn devices, and since ebfa440ce38b sets the virtual MEMORY bit for devices that cannot implement it (is_virtfn, then no_command_memory).',
    commit: 'ebfa440ce38b (v5.8); 515ecd5368f1 (v5.10-rc1)',
    trap: 'Keep vendor/device/pin fix-ups under is_virtfn: firmware already emulates those for s390 VFs.',
  },
  {
    name: 'vfio_pci_bar_rw',
    kind: 'vfio function',
    summary:
      'read()/write() on a BAR region of the device fd; memory BARs are refused with EIO while memory is disabled.',
    details:
      'I/O-port BARs are never gated; the ROM is a memory resource and is gated. Per-access locking since bc93b9ae0151.',
    commit: 'abafbc551fdd; bc93b9ae0151 (v5.9-rc)',
  },
  {
    name: 'vfio_pci_mmap_fault',
    kind: 'vfio function',
    summary: 'Page fault on an mmap of a BAR: inserts the pages, or SIGBUS while memory is disabled.',
    details:
      'BAR mmaps are zapped when COMMAND MEMORY is cleared and re-faulted on the next touch; later kernels replaced this with huge_fault and unmap_mapping_range, keeping the rule.',
    commit: '11c4cd07ba11, abafbc551fdd (v5.8-rc1)',
  },
  {
    name: 'pci_iov_add_virtfn',
    kind: 'kernel function',
    summary: 'drivers/pci/iov.c: creates one VF pci_dev when SR-IOV is enabled on a PF.',
    details:
      'Sets is_virtfn and physfn, takes IDs from the PF\u2019s SR-IOV data, and since v5.10 sets no_command_memory. Not reached for s390 VFs (the PF has no_vf_scan).',
    commit: '12856e7acde4 (no_command_memory, v5.10-rc1)',
    trap: 'A marker set only here misses s390 VFs and VFs seen inside a guest.',
  },
  {
    name: 'pcibios_bus_add_device',
    kind: 'kernel function',
    summary: 'Arch hook run when a device is added to its bus; on s390 it links VFs and marks them.',
    details:
      'arch/s390/pci/pci_bus.c: for a function with zdev->vfn it calls the VF setup (zpci_bus_setup_virtfn, later zpci_iov_setup_virtfn) and, since 08b6e22b850c, sets no_command_memory whether or not the VF got linked.',
    commit: '08b6e22b850c (v5.10-rc1); v1 detached_vf proposal also used it',
  },
  {
    name: 'pcibios_enable_device',
    kind: 'kernel function',
    summary: 'Arch hook of pci_enable_device(); the v2 detached_vf proposal set its marker here on s390.',
    details: 'v2 marked zdev->vfn && !zbus->multifunction functions as detached in this hook.',
    commit: 'v2 proposal 2020-08-12 (not merged)',
    trap: 'Runs at enable time, later than bus add: anything that looks at the marker earlier sees 0.',
  },
  {
    name: 'zpci_bus_setup_virtfn',
    aliases: ['zpci_iov_setup_virtfn'],
    kind: 'kernel function',
    summary:
      's390: find the VF\u2019s PF on the same zbus and link them (sets is_virtfn/physfn when linked).',
    details:
      'Introduced as zpci_bus_setup_virtfn in pci_bus.c (e5794cf1a270), fixed to mark only linked VFs (3cddb79afc60), moved to pci_iov.c as zpci_iov_setup_virtfn (abb95b7550f8, v5.10). An empty stub without CONFIG_PCI_IOV.',
    commit: 'e5794cf1a270 (v5.8-rc1), 3cddb79afc60, abb95b7550f8 (rename, v5.10-rc1)',
    trap: 'The v5.10 merge renamed it under the no_command_memory patch: a series written against the old name conflicts.',
  },
  ...(
    [
      ['new_mem', 'MEMORY bit of the value the user is writing to COMMAND.'],
      ['virt_mem', 'MEMORY bit of vfio\u2019s virtual COMMAND copy before this write.'],
      ['phys_mem', 'MEMORY bit the hardware COMMAND register shows before this write (0 on a VF).'],
      ['new_io', 'IO bit of the value the user is writing to COMMAND.'],
      ['virt_io', 'IO bit of vfio\u2019s virtual COMMAND copy before this write.'],
      ['phys_io', 'IO bit the hardware COMMAND register shows (0 on a device without I/O space).'],
    ] as const
  ).map(([name, summary]): KnowledgeEntry => ({
    name,
    kind: 'vfio variable',
    summary,
    details:
      'A local of vfio_basic_config_write. The BAR-restore trigger compares the three: an enable bit set now and before, but off in hardware, looks like a backdoor reset.',
    trap: 'A bit the device never implements is off in hardware forever, so the comparison reads it as a reset on every write.',
    commit: 'drivers/vfio/pci/vfio_pci_config.c vfio_basic_config_write (since v3.6)',
  })),
  {
    name: 'vconfig',
    kind: 'vfio variable',
    summary:
      'vfio\u2019s virtual copy of the device\u2019s config space (what the user is shown for virtualised bits).',
    details:
      'Filled from hardware by vfio_config_init at open; its COMMAND MEMORY and IO bits record what the user last wrote and drive the memory-enabled decision.',
    commit: 'drivers/vfio/pci/vfio_pci_config.c (since v3.6)',
  },
  {
    name: 'memory_lock',
    kind: 'vfio variable',
    summary:
      'rw_semaphore of the vfio device: held for reading around BAR access, for writing around COMMAND writes and resets.',
    details:
      'Makes "is memory enabled?" and the access that depends on it atomic with respect to COMMAND writes.',
    commit: 'abafbc551fdd (v5.8-rc1)',
  },
];
