/**
 * The models the simulator panel offers, as the server describes them (vfioLens/vocabulary: the
 * vfio-pci model first, then the zPCI model), and how a side the page names becomes the reference
 * a request carries: a kernel id or a patch side (`{ kernel }`, `{ uri, patch?, side }`) for a
 * model whose variants are kernels, `{ qemu, host }` for one whose variants are QEMU versions.
 * Nothing here knows one model, kernel or device from another. No VS Code API here.
 */
import type {
  KernelRef,
  MatrixResult,
  ModelVocabulary,
  ZpciMatrixResult,
  ZpciRef,
} from '../../../server/src/lsp/protocol';
import type { KernelChoice, KernelOption, PageChoices, PageModel } from './messages';

/** A side a request names: of the vfio-pci model (a kernel, a patch side) or of the zPCI model. */
export type PanelRef = KernelRef | ZpciRef;

export const isZpciRef = (ref: PanelRef): ref is ZpciRef => 'qemu' in ref;

/** A patch attached to the panel: its sides are offered by the models whose variants are kernels. */
export interface PatchSideNames {
  before: string;
  after: string;
}

/** Whether a model's sides are kernels a patch can be read against (patch sides are kernel policies). */
const takesPatches = (m: ModelVocabulary): boolean => m.variantParam === 'kernel';

const VARIANT_NAMES: Record<ModelVocabulary['variantParam'], string> = { kernel: 'Kernel', qemu: 'QEMU' };

/** The model of a side: the one whose variants the reference names (a patch side: a kernel model's). */
export function modelOfRef(models: readonly ModelVocabulary[], ref: PanelRef): ModelVocabulary | undefined {
  const param = isZpciRef(ref) ? 'qemu' : 'kernel';
  return models.find((m) => m.variantParam === param);
}

/** One model as the page offers it; a kernel model also offers the attached patch's two sides. */
export function pageModel(m: ModelVocabulary, patch?: PatchSideNames): PageModel {
  // how a step's value is written: the first preset step with its action, else the first exploration step
  const written = [...m.presets.flatMap((p) => p.steps), ...m.alphabet];
  const kernels: KernelOption[] = [];
  if (patch && takesPatches(m)) {
    kernels.push({ value: 'before', label: patch.before }, { value: 'after', label: patch.after });
  }
  kernels.push(...m.variants.map((k) => ({ value: k.id, label: k.label })));
  return {
    id: m.id,
    label: m.label,
    variantName: VARIANT_NAMES[m.variantParam],
    devices: m.devices.map(({ id, label, registers }) =>
      registers ? { id, label, registers } : { id, label },
    ),
    kernels,
    ...(m.hosts
      ? {
          hosts: {
            options: m.hosts.options.map((o) => ({ value: o.id, label: `${o.id}: ${o.label}` })),
            default: m.hosts.default,
          },
        }
      : {}),
    presets: m.presets,
    steps: m.steps.map((s) => {
      const example = written.find((a) => a.startsWith(`${s.action} `))?.slice(s.action.length + 1);
      return example ? { action: s.action, usage: s.usage, example } : { action: s.action, usage: s.usage };
    }),
    defaults: m.defaults,
    legend: m.legend,
    columns: m.columns,
  };
}

/** What a message from the page may name of each model (parseFromPage checks against it). */
export function pageChoices(models: readonly PageModel[]): PageChoices[] {
  return models.map((m) => ({
    id: m.id,
    devices: m.devices.map((d) => d.id),
    kernels: m.kernels.map((k) => k.value),
    ...(m.hosts ? { hosts: m.hosts.options.map((o) => o.value) } : {}),
  }));
}

/**
 * The reference of a side the page chose: a QEMU version on the chosen host (the model's default
 * when none was), a kernel id, or "before"/"after" of the attached patch.
 */
export function choiceRef(
  m: ModelVocabulary,
  choice: KernelChoice,
  host: string | undefined,
  patch: { uri: string; patch?: number } | undefined,
): PanelRef | undefined {
  if (m.variantParam === 'qemu') return { qemu: choice, host: host ?? m.hosts?.default };
  if (choice === 'before' || choice === 'after') {
    return patch ? { uri: patch.uri, patch: patch.patch, side: choice } : undefined;
  }
  return { kernel: choice };
}

/** A zPCI side's name: "v6.0 on host-v6.15". */
export const zpciRefLabel = (ref: ZpciRef): string => (ref.host ? `${ref.qemu} on ${ref.host}` : ref.qemu);

/**
 * The zPCI matrix in the shape the page's matrix view draws (its columns are QEMU versions where
 * the vfio-pci model's are kernels): the same cells, renamed fields only.
 */
export function zpciMatrixForPage(r: ZpciMatrixResult): MatrixResult {
  return {
    scenarios: r.scenarios,
    devices: r.devices as MatrixResult['devices'],
    kernels: r.qemu,
    cells: r.cells.map(({ scenario, device, qemu, summary, steps }) => ({
      scenario,
      device: device as MatrixResult['devices'][number],
      kernel: qemu,
      summary,
      steps,
    })),
  };
}
