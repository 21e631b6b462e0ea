/** vfio-lens lsp: not built yet. */
export async function lspCommand(_argv: string[]): Promise<number> {
  process.stderr.write('vfio-lens lsp: not available in this build yet\n');
  return 2;
}
