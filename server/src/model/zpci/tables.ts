/**
 * The zPCI model's tables as RowTables (model/ids.ts): the one membership check and "unknown id"
 * message of QEMU versions, device kinds and host kernels, as the vfio model has for its own.
 */
import { RowTable } from '../ids';
import { ZPCI_DEVICE_KINDS } from './devices';
import { HOST_KERNELS } from './host';
import { ZPCI_VERSION_SPECS } from './versions';

export const ZPCI_VERSION_TABLE = new RowTable('QEMU version', 'QEMU versions', ZPCI_VERSION_SPECS);
export const ZPCI_DEVICE_TABLE = new RowTable('zPCI device kind', 'zPCI device kinds', ZPCI_DEVICE_KINDS);
export const HOST_KERNEL_TABLE = new RowTable('host kernel', 'host kernels', HOST_KERNELS);
