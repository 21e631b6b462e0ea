/** vfio-lens analyze: not built yet. */
export async function analyzeCommand(_argv: string[]): Promise<number> {
  process.stderr.write('vfio-lens analyze: not available in this build yet\n');
  return 2;
}
