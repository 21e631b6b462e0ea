/** vfio-lens compare: not built yet. */
export async function compareCommand(_argv: string[]): Promise<number> {
  process.stderr.write('vfio-lens compare: not available in this build yet\n');
  return 2;
}
