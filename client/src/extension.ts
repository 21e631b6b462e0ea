/** The VS Code client (placeholder until the client lands). */
export function activate(): void {}
export function deactivate(): void {}
