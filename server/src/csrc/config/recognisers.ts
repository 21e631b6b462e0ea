/**
 * The table of recognisers (each reads one kind of statement of one set of functions) and the
 * functions of these files the model has no row for, with the reason given in "not modelled".
 */
import type { Recogniser } from './context';
import { LAYOUT_RECOGNISERS } from './layoutDecisions';
import { LENGTH_RECOGNISERS } from './lengths';
import { OTHER_RECOGNISERS } from './otherDecisions';
import { PERM_TABLE_RECOGNISERS } from './permTables';
import { WRITE_RECOGNISERS } from './writeDecisions';

export const RECOGNISERS: readonly Recogniser[] = [
  ...PERM_TABLE_RECOGNISERS,
  ...LAYOUT_RECOGNISERS,
  ...LENGTH_RECOGNISERS,
  ...WRITE_RECOGNISERS,
  ...OTHER_RECOGNISERS,
];

/** Why a function of the config-space files is outside the model (shown with "not modelled"). */
export const UNMODELLED: Readonly<Record<string, string>> = {
  vfio_pci_get_irq_count: 'the model has no VFIO_DEVICE_GET_IRQ_INFO step (the INTx/MSI counts)',
  vfio_intx_enable: 'the model has no VFIO_DEVICE_SET_IRQS step',
  vfio_pci_set_power_state: "the model's set-power step does not run vfio_pci_set_power_state's body",
  vfio_pci_core_sriov_configure: 'the model has no sriov_configure step',
  pci_enable_ats: "the VF STU test is not read from C (the model's ats-vf rows stay)",
  pci_disable_pri: 'the model has no pci_disable_pri step',
  pci_restore_pri_state: 'the model has no PCI state restore step',
  pci_reset_pri: 'the model has no pci_reset_pri step',
  pci_prg_resp_pasid_required: 'the model has no PRG response step',
  pci_disable_pasid: 'the model has no pci_disable_pasid step',
  pci_restore_pasid_state: 'the model has no PCI state restore step',
  pci_pasid_features: 'the model has no pci_pasid_features step',
  pci_max_pasids: 'the model has no pci_max_pasids step',
  vfio_vc_cap_len: 'the model treats VC, VC9 and MFVC as hidden (no length)',
  vfio_config_free: 'the model has no close step that frees the tables',
  vfio_fill_vconfig_bytes: 'the model fills vconfig from the hardware image directly',
  vfio_default_config_read: "the model's default read is fixed (access.ts)",
  vfio_default_config_write: "the model's default write is fixed (access.ts)",
  vfio_direct_config_read: "the model's direct read is fixed (access.ts)",
};
