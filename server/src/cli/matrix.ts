/** vfio-lens matrix: not built yet. */
export async function matrixCommand(_argv: string[]): Promise<number> {
  process.stderr.write('vfio-lens matrix: not available in this build yet\n');
  return 2;
}
