/**
 * Severity overrides (vfioLens.severity), applied in this one place: by a finding's code first,
 * then by its kind, else its own; "off" hides it. The analysis itself never applies them, so a
 * change of severities re-uses the analysis it has (the language server re-publishes, the model
 * does not run again).
 */
import type { Finding, Severity } from './types';

export type SeveritySetting = Severity | 'off';
export type SeverityOverrides = Readonly<Record<string, SeveritySetting>>;

/** One severity lower: what a finding about code the patch leaves as it was ranks at. */
export const ONE_LOWER: Readonly<Record<Severity, Severity>> = {
  error: 'warning',
  warning: 'information',
  information: 'hint',
  hint: 'hint',
};

/** The severity a finding gets under the overrides (a pre-existing finding one below its code's). */
export function severityUnder(
  finding: Pick<Finding, 'code' | 'kind' | 'severity' | 'preExisting'>,
  overrides: SeverityOverrides,
): SeveritySetting {
  const set = overrides[finding.code] ?? overrides[finding.kind];
  if (set === undefined) return finding.severity;
  return finding.preExisting && set !== 'off' ? ONE_LOWER[set] : set;
}

/** The findings as the overrides show them: "off" ones left out, the others with their severity. */
export function applySeverities(findings: readonly Finding[], overrides: SeverityOverrides): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const severity = severityUnder(f, overrides);
    if (severity === 'off') continue;
    out.push(severity === f.severity ? f : { ...f, severity });
  }
  return out;
}
