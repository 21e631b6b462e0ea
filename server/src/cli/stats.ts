/** vfio-lens stats: not built yet. */
export async function statsCommand(_argv: string[]): Promise<number> {
  process.stderr.write('vfio-lens stats: not available in this build yet\n');
  return 2;
}
