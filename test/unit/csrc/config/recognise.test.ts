/**
 * The recognisers on hunks written for these tests (each a kernel statement shape, one change):
 * a permission row, a length entry, an MSI row under its flag tests, a decision removed with its
 * branch, a re-spelling the model knows is the same value, names the model does not know, a
 * condition outside the lines read, a new capability with its init function, functions the model
 * has no row for, a non-C file, and input that is no C at all.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyConfigChanges,
  readConfigPatch,
  type ConfigChange,
  type HunkImages,
} from '../../../../server/src/csrc/config';
import { configVariant, type ConfigVariantSpec } from '../../../../server/src/model/vfio/config';
import { compareOn, ready, unaccounted } from './support';

const CONFIG = 'drivers/vfio/pci/vfio_pci_config.c';

/** A hunk from diff-body text: ' ' context, '-' removed, '+' added (tabs as the kernel writes them). */
function hunk(heading: string, body: string, file = CONFIG): HunkImages {
  const pre: HunkImages['pre'] = [];
  const post: HunkImages['post'] = [];
  for (const raw of body.replace(/^\n/, '').replace(/\n$/, '').split('\n')) {
    const mark = raw[0];
    const text = raw.slice(1);
    if (mark !== '+') pre.push({ text, changed: mark === '-' });
    if (mark !== '-') post.push({ text, changed: mark === '+' });
  }
  return { file, heading, pre, post };
}

const model = (cs: ConfigChange[]) => cs.filter((c) => c.kind === 'model');
const v = (id: string): ConfigVariantSpec => configVariant(id)!;

describe('config-space recognisers on written hunks', () => {
  before(ready);

  test("PCIe DEVCTL row and writefn of the 3.7–4.19 change applied to v3.6 give v4.19's EXP entry and its behaviour", () => {
    const r = readConfigPatch([
      hunk(
        'static int __init init_pci_cap_exp_perm(struct perm_bits *perm)',
        `
 	if (alloc_perm_bits(perm, PCI_CAP_EXP_ENDPOINT_SIZEOF_V2))
 		return -ENOMEM;
 
+	perm->writefn = vfio_exp_config_write;
+
 	p_setb(perm, PCI_CAP_LIST_NEXT, (u8)ALL_VIRT, NO_WRITE);
-	p_setw(perm, PCI_EXP_DEVCTL, NO_VIRT, ~PCI_EXP_DEVCTL_PHANTOM);
+	p_setw(perm, PCI_EXP_DEVCTL,
+	       PCI_EXP_DEVCTL_BCR_FLR | PCI_EXP_DEVCTL_PAYLOAD |
+	       PCI_EXP_DEVCTL_READRQ, ~PCI_EXP_DEVCTL_PHANTOM);
 	p_setw(perm, PCI_EXP_DEVCTL2, NO_VIRT, ~PCI_EXP_DEVCTL2_ARI);`,
      ),
    ]);
    assert.deepEqual(
      model(r.changes)
        .map((c) => c.target)
        .sort(),
      ['EXP p_setw row at PCI_EXP_DEVCTL (0x8)', 'EXP writefn'],
    );
    assert.deepEqual(unaccounted(r), []);
    const derived = applyConfigChanges(v('v3.6'), r.changes).variant;
    const exp = (s: ConfigVariantSpec) => s.perms.find((p) => p.cap === 'EXP');
    assert.deepEqual(exp(derived), exp(v('v4.19')));
    const diffs = compareOn(v('v3.6'), derived, 'pf-pcie').map((d) => d.steps.map((s) => s.text).join('; '));
    assert.ok(
      diffs.some((s) => s.includes('cfg-write PCI_EXP_DEVCTL')),
      diffs.join('\n'),
    );
  });

  test('a length entry removed: the capability is hidden (conventional: AF leaves the chain)', () => {
    const r = readConfigPatch([
      hunk(
        'static const u8 pci_cap_length[PCI_CAP_ID_MAX + 1] = {',
        `
 	[PCI_CAP_ID_SATA]	= 0xFF,
-	[PCI_CAP_ID_AF]		= PCI_CAP_AF_SIZEOF,
 };`,
      ),
    ]);
    const [c] = model(r.changes);
    assert.equal(c.target, 'pci_cap_length[0x13]');
    assert.equal(c.after, null);
    const derived = applyConfigChanges(v('mainline'), r.changes).variant;
    const walk = compareOn(v('mainline'), derived, 'conventional').find(
      (d) => d.steps.at(-1)?.text === 'cfg-walk',
    );
    assert.ok(
      walk?.before.chain?.some((e) => e.id === 0x13) && !walk.after.chain?.some((e) => e.id === 0x13),
    );
  });

  test('an MSI row under its flag tests keeps its condition and replaces the model row of that condition', () => {
    const r = readConfigPatch([
      hunk(
        'static int init_pci_cap_msi_perm(struct perm_bits *perm, int len, u16 flags)',
        `
 	if (flags & PCI_MSI_FLAGS_64BIT) {
 		p_setd(perm, PCI_MSI_ADDRESS_HI, ALL_VIRT, ALL_WRITE);
 		p_setw(perm, PCI_MSI_DATA_64, (u16)ALL_VIRT, (u16)ALL_WRITE);
 		if (flags & PCI_MSI_FLAGS_MASKBIT) {
-			p_setd(perm, PCI_MSI_MASK_64, NO_VIRT, ALL_WRITE);
+			p_setd(perm, PCI_MSI_MASK_64, ALL_VIRT, ALL_WRITE);
 			p_setd(perm, PCI_MSI_PENDING_64, NO_VIRT, ALL_WRITE);
 		}`,
      ),
    ]);
    const [c] = model(r.changes);
    assert.equal(c.target, 'MSI p_setd row at PCI_MSI_MASK_64 (0x10)');
    const derived = applyConfigChanges(v('mainline'), r.changes).variant;
    const rows = derived.perms
      .find((p) => p.cap === 'MSI')!
      .rows.filter((row) => row.offset === 'PCI_MSI_MASK_64');
    assert.deepEqual(rows, [
      {
        width: 4,
        offset: 'PCI_MSI_MASK_64',
        virt: 'ALL_VIRT',
        write: 'ALL_WRITE',
        when: '(flags & PCI_MSI_FLAGS_64BIT) && (flags & PCI_MSI_FLAGS_MASKBIT)',
      },
    ]);
    assert.equal(
      derived.perms.find((p) => p.cap === 'MSI')!.rows.length,
      v('mainline').perms.find((p) => p.cap === 'MSI')!.rows.length,
    );
  });

  test('the PowerState trap removed with its branch: pm-trap none, and the user writes PowerState to the device', () => {
    const r = readConfigPatch([
      hunk(
        'static int vfio_pm_config_write(' + 'struct vfio_pci_core_device *vdev, int pos,',
        `
 	count = vfio_default_config_write(vdev, pos, count, perm, offset, val);
 	if (count < 0)
 		return count;
 
-	if (offset == PCI_PM_CTRL) {
-		pci_power_t state = le32_to_cpu(val) & PCI_PM_CTRL_STATE_MASK;
-
-		vfio_lock_and_set_power_state(vdev, state);
-	}
-
 	return count;
 }`,
      ),
    ]);
    const trap = model(r.changes).find((c) => c.target === 'decision pm-trap');
    assert.equal(trap?.after, null);
    assert.deepEqual(unaccounted(r), []);
  });

  test('open-coding is_msi() is the same value: no behaviour change, with how it was shown', () => {
    const r = readConfigPatch([
      hunk(
        'static int vfio_msi_config_write(struct vfio_pci_core_device *vdev, int pos,',
        `
 		/* MSI is enabled via ioctl */
-		if (!is_msi(vdev))
+		if  (vdev->irq_type != VFIO_PCI_MSI_IRQ_INDEX)
 			flags &= ~PCI_MSI_FLAGS_ENABLE;`,
      ),
    ]);
    assert.deepEqual(model(r.changes), []);
    const c = r.changes.find((x) => x.target === 'decision msi-enable-forced-off');
    assert.equal(c?.kind, 'no-behaviour-change');
    assert.match(c!.message, /agree for \d+ probed values of vdev->irq_type/);
  });

  test('a row naming a macro the model does not know is "not modelled" with the name, not silently kept', () => {
    const r = readConfigPatch([
      hunk(
        'static int __init init_pci_cap_exp_perm(struct perm_bits *perm)',
        `
-	p_setw(perm, PCI_EXP_DEVCTL2, NO_VIRT, ~PCI_EXP_DEVCTL2_ARI);
+	p_setw(perm, PCI_EXP_DEVCTL2, NO_VIRT, ~(PCI_EXP_DEVCTL2_ARI | PCI_EXP_DEVCTL2_NEW_BIT));`,
      ),
    ]);
    const c = r.changes.find((x) => x.target?.startsWith('EXP p_setw row at PCI_EXP_DEVCTL2'));
    assert.equal(c?.kind, 'not-modelled');
    assert.match(c!.message, /"PCI_EXP_DEVCTL2_NEW_BIT" is not a name the model knows/);
  });

  test('the shadow-ROM branch removed from vfio_bar_fixup (the v6.14 shape): rom-shadow none', () => {
    const r = readConfigPatch([
      hunk(
        'static void vfio_bar_fixup(struct vfio_pci_core_device *vdev)',
        `
 	if (pci_resource_start(pdev, PCI_ROM_RESOURCE)) {
 		mask = ~(pci_resource_len(pdev, PCI_ROM_RESOURCE) - 1);
 		mask |= PCI_ROM_ADDRESS_ENABLE;
 		*vbar &= cpu_to_le32((u32)mask);
-	} else if (pdev->resource[PCI_ROM_RESOURCE].flags &
-					IORESOURCE_ROM_SHADOW) {
-		mask = ~(0x20000 - 1);
-		mask |= PCI_ROM_ADDRESS_ENABLE;
-		*vbar &= cpu_to_le32((u32)mask);
 	} else
 		*vbar = 0;`,
      ),
    ]);
    const c = model(r.changes).find((x) => x.target === 'decision rom-shadow');
    assert.deepEqual(
      [c?.before, c?.after],
      ['pdev->resource[PCI_ROM_RESOURCE].flags & IORESOURCE_ROM_SHADOW', null],
    );
    const derived = applyConfigChanges(v('v6.13'), r.changes).variant;
    assert.equal(derived.decisions['rom-shadow'], null);
  });

  test('the PCIe FLR support test changed: exp-flr-supported, and pf-pcie resets on a DEVCTL FLR write no more', () => {
    const r = readConfigPatch([
      hunk(
        'static int vfio_exp_config_write(' + 'struct vfio_pci_core_device *vdev, int pos,',
        `
 	if (*ctrl & cpu_to_le16(PCI_EXP_DEVCTL_BCR_FLR)) {
 		u32 cap;
 		int ret;
 
 		*ctrl &= ~cpu_to_le16(PCI_EXP_DEVCTL_BCR_FLR);
 
 		ret = pci_user_read_config_dword(vdev->pdev,
 						 pos - offset + PCI_EXP_DEVCAP,
 						 &cap);
 
-		if (!ret && (cap & PCI_EXP_DEVCAP_FLR)) {
+		if (!ret && (cap & PCI_EXP_DEVCAP_FLR) && !vdev->pdev->is_virtfn) {
 			vfio_pci_zap_and_down_write_memory_lock(vdev);
 			pci_try_reset_function(vdev->pdev);
 			up_write(&vdev->memory_lock);
 		}
 	}`,
      ),
    ]);
    assert.deepEqual(
      model(r.changes).map((c) => c.target),
      ['decision exp-flr-supported'],
    );
    const derived = applyConfigChanges(v('mainline'), r.changes).variant;
    const flr = compareOn(v('mainline'), derived, 'vf').find(
      (d) => d.steps.at(-1)?.text === 'cfg-write PCI_EXP_DEVCTL 2 0xa930',
    );
    assert.ok(
      flr?.before.effects.some((e) => e.kind === 'function-reset') &&
        !flr.after.effects.some((e) => e.kind === 'function-reset'),
    );
  });

  test('a decision naming a macro the model has no value for is "not modelled", not forked on', () => {
    const r = readConfigPatch([
      hunk(
        'static int vfio_cap_init(struct vfio_pci_core_device *vdev)',
        `
-		if (cap && cap <= PCI_CAP_ID_MAX) {
+		if (cap && cap <= PCI_CAP_ID_LAST) {
 			len = pci_cap_length[cap];`,
      ),
    ]);
    const c = r.changes.find((x) => x.target === 'decision cap-length-known');
    assert.equal(c?.kind, 'not-modelled');
    assert.match(c!.message, /"PCI_CAP_ID_LAST" is a macro whose value the model does not know/);
  });

  test('msi-flags-covered changed in the write function only: the one model decision says the two now differ', () => {
    const r = readConfigPatch([
      hunk(
        'static int vfio_msi_config_read(struct vfio_pci_core_device *vdev, int pos,',
        `
 	if (offset <= PCI_MSI_FLAGS && offset + count >= PCI_MSI_FLAGS) {
 		start = vfio_find_cap_start(vdev, pos);
 	}`,
      ),
      hunk(
        'static int vfio_msi_config_write(struct vfio_pci_core_device *vdev, int pos,',
        `
-	if (offset <= PCI_MSI_FLAGS && offset + count >= PCI_MSI_FLAGS) {
+	if (offset <= PCI_MSI_FLAGS && offset + count > PCI_MSI_FLAGS) {
 		start = vfio_find_cap_start(vdev, pos);
 	}`,
      ),
    ]);
    const c = model(r.changes).find((x) => x.target === 'decision msi-flags-covered');
    assert.match(c?.message ?? '', /more than one form of it; the model has one/);
  });

  test('vconfig[PCI_INTERRUPT_PIN] = 0 under a condition outside the lines read: not modelled, with why', () => {
    const r = readConfigPatch([
      hunk(
        'int vfio_config_init(struct vfio_pci_core_device *vdev)',
        `
 		*(__le16 *)&vconfig[PCI_DEVICE_ID] = cpu_to_le16(pdev->device);
+		vconfig[PCI_INTERRUPT_PIN] = 0;
 	}`,
      ),
    ]);
    const c = r.changes.find((x) => x.target === 'decision pin-zero');
    assert.equal(c?.kind, 'not-modelled');
    assert.match(c!.message, /outside the lines read/);
  });

  test('a new extended capability with its init function and length: PASID visible, header read-only (pf-pcie)', () => {
    const r = readConfigPatch([
      hunk(
        'static const u16 pci_ext_cap_length[PCI_EXT_CAP_ID_MAX + 1] = {',
        `
-	[PCI_EXT_CAP_ID_PASID]	=	0,	/* not yet */
+	[PCI_EXT_CAP_ID_PASID]	=	PCI_EXT_CAP_PASID_SIZEOF,
 };`,
      ),
      hunk(
        'static int __init init_pci_ext_cap_pwr_perm(struct perm_bits *perm)',
        `
 	return 0;
 }
 
+static int __init init_pci_ext_cap_pasid_perm(struct perm_bits *perm)
+{
+	if (alloc_perm_bits(perm, pci_ext_cap_length[PCI_EXT_CAP_ID_PASID]))
+		return -ENOMEM;
+
+	p_setd(perm, 0, ALL_VIRT, NO_WRITE);
+	return 0;
+}
+`,
      ),
      hunk(
        'int __init vfio_pci_init_perm_bits(void)',
        `
 	ret |= init_pci_ext_cap_pwr_perm(&ecap_perms[PCI_EXT_CAP_ID_PWR]);
+	ret |= init_pci_ext_cap_pasid_perm(&ecap_perms[PCI_EXT_CAP_ID_PASID]);
 	ecap_perms[PCI_EXT_CAP_ID_VNDR].writefn = vfio_raw_config_write;`,
      ),
    ]);
    assert.deepEqual(unaccounted(r), []);
    const { variant, refused } = applyConfigChanges(v('mainline'), r.changes);
    assert.deepEqual(refused, []);
    const pasid = variant.perms.find((p) => p.cap === 'ext PASID');
    assert.deepEqual(
      pasid && { init: pasid.init, alloc: pasid.alloc, readfn: pasid.readfn, writefn: pasid.writefn },
      {
        init: 'init_pci_ext_cap_pasid_perm',
        alloc: 'PCI_EXT_CAP_PASID_SIZEOF',
        readfn: 'vfio_default_config_read',
        writefn: 'vfio_default_config_write',
      },
    );
    const walk = compareOn(v('mainline'), variant, 'pf-pcie').find(
      (d) => d.steps.at(-1)?.text === 'cfg-walk',
    );
    assert.ok(
      walk && !walk.before.chain?.some((e) => e.id === 0x1b) && walk.after.chain?.some((e) => e.id === 0x1b),
    );
  });

  test('functions the model has no row for say so with the reason; a new function is one change', () => {
    const r = readConfigPatch([
      hunk(
        'static int vfio_vc_cap_len(struct vfio_pci_core_device *vdev, u16 pos)',
        `
-	len += (1 + evcc) * PCI_CAP_VC_PER_VC_SIZEOF;
+	len += (2 + evcc) * PCI_CAP_VC_PER_VC_SIZEOF;`,
      ),
      hunk(
        'static int vfio_virt_config_read(' + 'struct vfio_pci_core_device *vdev, int pos,',
        `
 	return count;
 }
 
+static int vfio_new_helper(struct vfio_pci_core_device *vdev)
+{
+	return vdev->pdev->devfn;
+}`,
      ),
    ]);
    const texts = r.changes.map((c) => c.message);
    assert.ok(
      texts.some((t) =>
        /^not modelled: vfio_vc_cap_len in drivers\/vfio\/pci\/vfio_pci_config\.c \(the model treats VC/.test(
          t,
        ),
      ),
      texts.join('\n'),
    );
    assert.ok(
      texts.some((t) => /^not modelled: vfio_new_helper in drivers\/vfio\/pci\/vfio_pci_config\.c/.test(t)),
      texts.join('\n'),
    );
    assert.deepEqual(unaccounted(r), []);
  });

  test("PCI_EXT_CAP_ID_MAX redefined is the model's table bound; a value it does not know is not modelled", () => {
    const r = readConfigPatch([
      hunk(
        '',
        `\n-#define PCI_EXT_CAP_ID_MAX	PCI_EXT_CAP_ID_PTM\n+#define PCI_EXT_CAP_ID_MAX	PCI_EXT_CAP_ID_DVSEC`,
        'include/uapi/linux/pci_regs.h',
      ),
      hunk(
        '',
        `\n-#define PCI_CAP_ID_MAX		PCI_CAP_ID_EA\n+#define PCI_CAP_ID_MAX		PCI_CAP_ID_FPB`,
        'include/uapi/linux/pci_regs.h',
      ),
    ]);
    const ext = r.changes.find((c) => c.target === '#define PCI_EXT_CAP_ID_MAX');
    assert.deepEqual(ext?.edits, [{ kind: 'id-max', space: 'ext', value: 0x23, atLeast: false }]);
    assert.equal(r.changes.find((c) => c.target === '#define PCI_CAP_ID_MAX')?.kind, 'not-modelled');
  });

  test('a file that is not C, and text that is no C at all, end in "not modelled" without an exception', () => {
    const r = readConfigPatch([
      hunk(
        '',
        '\n+vfio_add_ext_cap_dropped(const char *vdev, uint16_t cap, uint16_t offset) "%s %x@%x"',
        'hw/vfio/trace-events',
      ),
      hunk(
        'int vfio_config_init(struct vfio_pci_core_device *vdev)',
        '\n+)))) {{ ]] ;; if ( while\n-"unterminated\n+/* open comment',
      ),
    ]);
    assert.match(r.changes[0].message, /^not modelled: hw\/vfio\/trace-events is not C source/);
    assert.deepEqual(unaccounted(r), []);
    assert.deepEqual(readConfigPatch([]).changes, []);
  });

  test('a long hunk reads in time linear in its lines (no output per pair of lines)', () => {
    const body = Array.from(
      { length: 400 },
      (_, i) => `+\tp_setb(perm, ${i + 8}, NO_VIRT, (u8)ALL_WRITE);`,
    ).join('\n');
    const r = readConfigPatch([
      hunk('static int __init init_pci_cap_basic_perm(struct perm_bits *perm)', `\n${body}`),
    ]);
    assert.equal(model(r.changes).length, 400);
  });
});
