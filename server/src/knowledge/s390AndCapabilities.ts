/** The PF/VF-shared capabilities (PASID, PRI, ATS); the zPCI names are in zpci.ts. */
import type { KnowledgeEntry } from './types';

export const s390AndCapabilityEntries: KnowledgeEntry[] = [
  {
    name: 'PASID',
    kind: 'concept',
    summary:
      'Process Address Space ID capability: VFs do not have their own; they share the PF\u2019s configuration.',
    details:
      'Enabling PASID on a VF succeeds only if the PF has it on; disabling or restoring it for a VF does nothing. A host exposing a VF to a guest must emulate the capability.',
    commit: '2b0ae7cc3bfc (v5.5)',
    trap: 'A guest that does not know the device is a VF expects its own PASID capability.',
  },
  {
    name: 'PRI',
    kind: 'concept',
    summary: 'Page Request Interface capability: shared by all VFs of a PF; VFs must not implement it.',
    details:
      'PRI Reset and the Stopped status concern the shared interface, so neither passing them through (affects sibling VFs) nor pure emulation is correct for one VF in a guest.',
    commit: '9bf49e36d718 (v5.5)',
    trap: 'PRI reset/stopped cannot be faithfully emulated for a single VF.',
  },
  {
    name: 'ATS',
    kind: 'concept',
    summary:
      'Address Translation Services: each VF has its own enable, but the translation unit size follows the PF.',
    details:
      'Linux requires a VF\u2019s Smallest Translation Unit to match the PF\u2019s (recalled from drivers/pci/ats.c; not re-verified). ATS enable and STU can be emulated per VF.',
    commit: 'drivers/pci/ats.c (commit not recorded here)',
  },
];
