/** vfio-lens simulate: not built yet. */
export async function simulateCommand(_argv: string[]): Promise<number> {
  process.stderr.write('vfio-lens simulate: not available in this build yet\n');
  return 2;
}
