/**
 * The simulator page's Content-Security-Policy: nothing by default; styles and images from the
 * extension only; scripts only with this load's nonce; no <base> and no form submission anywhere.
 */
export function simulatorCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
