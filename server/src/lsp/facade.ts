/**
 * The model's facade (server/src/analysis/modelRuns.ts) as the server's custom requests see it:
 * the same functions, with the same defaults, as the CLI's simulate / compare / matrix commands.
 */
import {
  behaviourMatrix,
  comparePolicies,
  kernelSpec,
  reachableStates,
  simulateScript,
} from '../analysis/modelRuns';
import { initCParser } from '../csrc/treeSitter';
import type { SimulationFacade } from './customRequests';

export function simulationFacade(): SimulationFacade {
  return {
    // The facade parses C expressions with tree-sitter-c: load it once, before the first call.
    ready: () => initCParser(),
    // The CLI's JSON always carries the operands (explain); so does the server unless asked not to.
    simulateScript: (device, kernel, steps, explain) =>
      simulateScript(device, kernel, steps, explain ?? true),
    comparePolicies: (a, b, options) => comparePolicies(a, b, options),
    reachableStates: (device, kernel, options) => reachableStates(device, kernel, options),
    behaviourMatrix: (specs) =>
      behaviourMatrix(specs?.map((s) => (typeof s === 'string' ? kernelSpec(s) : s))),
  };
}
