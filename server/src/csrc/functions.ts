/** Which function (or aggregate) a hunk is in: from the @@ heading, else from the hunk's own text. */
import type { Node } from 'web-tree-sitter';
import { identifierBefore } from './chars';

/** "bool __vfio_pci_memory_enabled(struct vfio_pci_device *vdev)" -> "__vfio_pci_memory_enabled". */
export function functionFromHeading(heading: string): string | undefined {
  const h = heading.trim();
  if (!h) return undefined;
  const agg = /^(?:typedef\s+)?(struct|enum|union)\s+([A-Za-z_]\w*)/.exec(h);
  if (agg && !h.includes('(')) return `${agg[1]} ${agg[2]}`;
  const paren = h.indexOf('(');
  if (paren < 0) return undefined;
  return identifierBefore(h, paren);
}

/** The name a function declarator declares (through pointer and function declarators). */
export function declaratorName(d: Node | null): string | undefined {
  for (let n = d; n; n = n.childForFieldName('declarator')) {
    if (n.type === 'identifier') return n.text;
  }
  return undefined;
}
