/** The simulator webview script (placeholder until the panel lands). */
export {};
