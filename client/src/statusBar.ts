/**
 * The status bar: the baseline vfio-lens read the active document against ("vfio-lens: v5.8
 * (detected)", from vfioLens/documentStatus; a click shows the output), and, for a while, what
 * happened to the server (restarted after a crash or a missed answer: said once per incident).
 */
import * as vscode from 'vscode';
import { DocumentStatusRequest } from '../../server/src/lsp/protocol';
import { documentStatusText } from './documentStatusText';
import { SERVED_LANGUAGES, type VfioServer } from './server';

const INCIDENT_SHOWN_MS = 30_000;
const STOPPED = 'vfio-lens: server stopped';

export class VfioStatusBar implements vscode.Disposable {
  private readonly baseline = vscode.window.createStatusBarItem(
    'vfioLens.baseline',
    vscode.StatusBarAlignment.Left,
    10,
  );
  private readonly incident = vscode.window.createStatusBarItem(
    'vfioLens.server',
    vscode.StatusBarAlignment.Left,
    9,
  );
  private readonly disposables: vscode.Disposable[] = [];
  private refreshing = 0;
  private incidentTimer: NodeJS.Timeout | undefined;

  constructor(private readonly server: VfioServer) {
    this.baseline.name = 'vfio-lens baseline';
    this.baseline.command = 'vfioLens.showOutput';
    this.incident.name = 'vfio-lens server';
    this.incident.command = 'vfioLens.showOutput';
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (e.uris.some((u) => u.toString() === active)) void this.refresh();
      }),
      server.onIncident(({ message, level }) => this.showIncident(message, level)),
      server.onStarted(() => {
        if (this.incidentText === STOPPED) this.hideIncident();
        void this.refresh();
      }),
    );
  }

  /** What the baseline item shows now (the end-to-end tests read it). */
  get text(): { baseline?: string; incident?: string } {
    return { baseline: this.baselineText, incident: this.incidentText };
  }
  private baselineText: string | undefined;
  private incidentText: string | undefined;

  async refresh(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    const turn = ++this.refreshing;
    if (!doc || !(SERVED_LANGUAGES as readonly string[]).includes(doc.languageId) || !this.server.isRunning) {
      this.setBaseline(undefined);
      return;
    }
    try {
      const status = await this.server.request(DocumentStatusRequest, { uri: doc.uri.toString() });
      if (turn === this.refreshing) this.setBaseline(documentStatusText(status));
    } catch {
      // a document the server has not read yet: its diagnostics will bring another refresh
      if (turn === this.refreshing) this.setBaseline(undefined);
    }
  }

  private setBaseline(t: { text: string; tooltip: string } | undefined): void {
    this.baselineText = t?.text;
    if (!t) return this.baseline.hide();
    this.baseline.text = t.text;
    this.baseline.tooltip = t.tooltip;
    this.baseline.show();
  }

  private showIncident(message: string, level: 'warning' | 'error'): void {
    clearTimeout(this.incidentTimer);
    this.incidentText = level === 'error' ? STOPPED : 'vfio-lens: server restarted';
    this.incident.text = `$(${level === 'error' ? 'error' : 'warning'}) ${this.incidentText}`;
    this.incident.tooltip = `The ${message}. Click: show the output.`;
    this.incident.backgroundColor = new vscode.ThemeColor(
      level === 'error' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground',
    );
    this.incident.show();
    // a restart is news for a while; a server that stays stopped stays said until the next start
    if (level === 'warning') this.incidentTimer = setTimeout(() => this.hideIncident(), INCIDENT_SHOWN_MS);
  }

  private hideIncident(): void {
    clearTimeout(this.incidentTimer);
    this.incident.hide();
    this.incidentText = undefined;
  }

  dispose(): void {
    clearTimeout(this.incidentTimer);
    for (const d of this.disposables) d.dispose();
    this.baseline.dispose();
    this.incident.dispose();
  }
}
