/**
 * What each stable finding code means, for the rules of the SARIF output (and the README's table
 * of finding codes, which a test keeps in step with this one). `name` is the rule's friendly name.
 */
export interface FindingCodeDoc {
  name: string;
  short: string;
  full: string;
}

export const FINDING_CODES: Record<string, FindingCodeDoc> = {
  'behaviour-change': {
    name: 'BehaviourChange',
    short: 'A changed decision line changes what a device does',
    full: "A changed line of vfio-pci's Command-register emulation (a decision point) makes a modelled device kind behave differently in some step sequence: the message names the devices, the shortest sequences and the outcomes before and after. A case that worked and now fails is a warning, one that failed and now works information, a difference of internal paths only a hint.",
  },
  'marker-defined': {
    name: 'MarkerDefined',
    short: 'The patch defines a device marker',
    full: 'The patch defines a struct pci_dev bitfield or a PCI_DEV_FLAGS_* bit that marks a kind of device (for example no_command_memory); a bit another kernel gives to another flag is named.',
  },
  'marker-set': {
    name: 'MarkerSet',
    short: 'The patch sets a device marker on a known path',
    full: 'The patch sets a device marker in a function the model knows (VF creation, s390 zPCI bus setup): the message names the device kinds that now carry it and the vfio-pci decisions that read it, or says that none reads it yet.',
  },
  'unmodeled-change': {
    name: 'UnmodeledChange',
    short: 'A change the model does not reach',
    full: 'The patch changes code the executable model does not cover (a marker set on an unknown path, a decision it cannot read): its effect is not modelled, which is not the same as no change.',
  },
  'bisect-marker-undefined': {
    name: 'BisectMarkerUndefined',
    short: 'A patch uses a marker that no earlier patch or the baseline defines',
    full: 'A patch of a series uses a device marker that neither the baseline kernel nor a patch before it defines, so the series does not build at that patch (bisection breaks); a per-patch check that cannot see the earlier patches says what it expects from them instead.',
  },
  'read-problem': {
    name: 'ReadProblem',
    short: 'Part of the input could not be read as a patch',
    full: 'The reader met something it could not read as mail, diff or C (a hunk whose line counts do not match, a broken header, an undecodable part); the message says where and what was skipped.',
  },
  'series-incomplete': {
    name: 'SeriesIncomplete',
    short: 'Patches of the series are missing before one that is here',
    full: 'The document holds patches of a series (as patches or quoted in replies) but not an earlier one; the later patches are read as if the missing ones changed nothing vfio-lens models, and their behaviour findings say so.',
  },
  'analysis-budget': {
    name: 'AnalysisBudget',
    short: 'The analysis stopped at its time budget',
    full: 'The analysis stopped after its time budget (vfioLens.analysisBudgetMs): hunks past half of it were not read, patches past all of it were not compared; neither is the same as no change.',
  },
  'is-virtfn-for-command-memory': {
    name: 'IsVirtfnForCommandMemory',
    short: 'is_virtfn decides Command MEMORY emulation',
    full: 'A decision point asks pdev->is_virtfn whether the device implements Command MEMORY; is_virtfn answers "is this a linked SR-IOV VF" and is 0 for a detached s390 VF and for a VF under CONFIG_PCI_IOV=n, so those are missed. Mark the device itself, as no_command_memory does.',
  },
  'dev-flags-bit-collision': {
    name: 'DevFlagsBitCollision',
    short: 'A new PCI_DEV_FLAGS_* bit is already taken',
    full: 'A PCI_DEV_FLAGS_* bit the patch defines is already used by another flag in the target kernel (or is given to another flag by later mainline), so two meanings share one bit.',
  },
  'mse-means-vf-mse': {
    name: 'MseMeansVfMse',
    short: '"MSE" used for the Command register MEMORY bit',
    full: 'The patch\'s own words (subject, message, added lines) say "MSE" for the Command register bit; the specification uses MSE for the VF MSE bit of the PF\'s SR-IOV capability (PCI_SRIOV_CTRL_MSE). Say "Memory Space Enable" or PCI_COMMAND_MEMORY instead.',
  },
  'is-virtfn-without-physfn': {
    name: 'IsVirtfnWithoutPhysfn',
    short: 'is_virtfn set without physfn',
    full: 'The patch sets is_virtfn on a device without setting physfn; common code, vfio-pci among it, assumes that is_virtfn implies a linked PF in physfn (3cddb79afc60 restricted s390 to linked VFs for this reason).',
  },
  'restore-on-unimplemented-enable': {
    name: 'RestoreOnUnimplementedEnable',
    short: 'The BAR restore still runs for an enable bit the device lacks',
    full: "vfio_basic_config_write's restore condition still reaches vfio_bar_restore when a guest writes an enable bit (MEMORY or IO) the device does not implement, which rewrites its BARs and logs a reset recovery on every such write; the message lists the devices and the writes.",
  },
  'synthesised-cap-id': {
    name: 'SynthesisedCapabilityId',
    short: 'A synthesised capability header carries another ID than it claims',
    full: 'A capability header the patch builds (PCI_EXT_CAP(N, ...)) in code that names one capability (PASID, PRI, ...), or a #define of a PCI_EXT_CAP_ID_*/PCI_CAP_ID_* constant, carries another ID than pci_regs.h gives that capability (PASID is 0x1b, PRI 0x13; 0x18 is LTR, 0x19 Secondary PCIe): a guest walking the chain finds another capability.',
  },
  'pri-reset-stopped-per-vf': {
    name: 'PriResetStoppedPerVf',
    short: 'PRI Reset or Stopped emulated for one device',
    full: "vfio emulates PRI Control Reset or PRI Status Stopped per device. A VF has no PRI capability of its own (PCIe r5.0 9.3.7.11): the PF's is shared by every VF, so a reset for one VF cannot be issued in hardware, and software alone cannot promise that one VF's outstanding page requests stopped (Kevin Tian's point in seed 003).",
  },
  'shared-cap-writable-per-vf': {
    name: 'SharedCapabilityWritablePerVf',
    short: 'A shared capability register made writable per VF',
    full: "A permission row lets a user's write of a PASID or PRI register reach the hardware (write bits that are not virtualized). On a VF those registers are the PF's, shared by every VF: one VF's write changes them for the PF and all its VFs.",
  },
  'zpci-check-reordered': {
    name: 'ZpciCheckReordered',
    short: 'A zPCI instruction check moved past an earlier one',
    full: "A patch moves one of QEMU's PCILG/PCISTG/PCISTB checks to the other side of another: a guest operand that fails both now gets the other check's condition code or program interrupt. The message names the checks; the behaviour-change findings show the cases.",
  },
  'pcistb-block-store-split': {
    name: 'PcistbBlockStoreSplit',
    short: 'PCISTB hands a block store to a device needing block stores as 8-byte writes',
    full: "The patched QEMU's PCISTB path writes a guest's block store to the device as separate 8-byte writes, and a device kind that needs each block store whole (ISM: one non-MIO PCISTB) is plugged intercepted there, so its stores arrive split.",
  },
  'pcistb-buffer-below-maxstbl': {
    name: 'PcistbBufferBelowMaxstbl',
    short: "QEMU's fixed PCISTB staging buffer is smaller than the maxstbl a guest is told",
    full: "pcistb_service_call copies the guest's block into a fixed buffer (uint8_t buffer[128]); under the patched QEMU an intercepted function is told a larger maxstbl, so a longer store overruns it. The message names the version, host, device kind and maxstbl.",
  },
};
