/**
 * Facts about enum pci_dev_flags needed to judge a new bit: which bits were taken in the kernel
 * a patch applies to (v5.9's list, domain doc §2.2) and which bits mainline later gave to other
 * flags. Bit numbers moved between kernel versions, so they are kept per version.
 */
import type { KernelId } from '../model/types';

const V5_9: Record<number, string> = {
  0: 'PCI_DEV_FLAGS_MSI_INTX_DISABLE_BUG',
  1: 'PCI_DEV_FLAGS_NO_D3',
  2: 'PCI_DEV_FLAGS_ASSIGNED',
  3: 'PCI_DEV_FLAGS_ACS_ENABLED_QUIRK',
  5: 'PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS',
  6: 'PCI_DEV_FLAGS_NO_BUS_RESET',
  7: 'PCI_DEV_FLAGS_NO_PM_RESET',
  8: 'PCI_DEV_FLAGS_VPD_REF_F0',
  9: 'PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT',
  10: 'PCI_DEV_FLAGS_NO_FLR_RESET',
  11: 'PCI_DEV_FLAGS_NO_RELAXED_ORDERING',
};

/** Bits taken in mainline after v5.10 (not by the proposals of this story). */
export const LATER_MAINLINE_BITS: Record<number, string> = {
  12: 'PCI_DEV_FLAGS_HAS_MSI_MASKING',
  13: 'PCI_DEV_FLAGS_MSIX_TOUCH_ENTRY_DATA_FIRST',
};

/** The dev_flags bits in use in the tree a baseline kernel stands for. */
export function devFlagBits(_kernel: KernelId): Record<number, string> {
  // Every variant of this model is a v5.7..v5.19 tree; v5.9's numbering holds for all of them
  // as far as the recorded facts go (bits 12 and 13 were assigned only later).
  return V5_9;
}
