/**
 * The Electron main process: one window, the native menu, the handler table on ipcMain, the
 * unsaved-changes prompt. Runs from the bundle (`out/main/index.js`, electron/main/bundle.ts), so
 * the paths below are relative to it: `out/preload`, `out/renderer`, `out/worker`, and the
 * project's (or the package's) `assets/`.
 */
import { app, dialog, ipcMain, Menu, protocol, session, type BrowserWindow } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_EVENT_CHANNEL, type AppEvent, type MenuCommand } from '../../shared/ipc.ts';
import { resolveDataDir } from '../store/data-dir.ts';
import { createCore, type AppCore } from './core.ts';
import { APP_NAME, DocumentState } from './document-state.ts';
import { serveOverIpcMain, windowSenderId } from './electron-ipc.ts';
import { electronPlatform } from './electron-platform.ts';
import { menuTemplate } from './menu.ts';
import { registerAppScheme, serveAppScheme } from './app-protocol.ts';
import { lockDownApp, lockDownSession } from './security.ts';
import { createMainWindow } from './window.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const PATHS = {
  preload: join(here, '..', 'preload', 'index.cjs'),
  renderer: join(here, '..', 'renderer'),
  examples: join(root, 'assets', 'examples'),
  icon: join(root, 'assets', 'icon.png'),
  packageJson: join(root, 'package.json'),
};

/**
 * better-sqlite3 built for Electron: shipped in the package's resources, or named by `npm start`
 * (DATAFLOW_SQLITE_BINDING) when running from a checkout.
 */
function nativeBinding(): string {
  const candidates = [
    process.env.DATAFLOW_SQLITE_BINDING,
    app.isPackaged ? join(process.resourcesPath, 'native', 'better_sqlite3.node') : undefined,
  ];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found)
    throw new Error(
      'better-sqlite3 for Electron is missing; start the app with npm start, which builds it (see electron/main/native-binding.ts)',
    );
  return found;
}

function fail(e: unknown): void {
  dialog.showErrorBox('DataFlow Studio cannot start', e instanceof Error ? e.message : String(e));
  app.exit(1);
}

export function startApp(): void {
  // Before ready: the name decides the userData folder (also when started from a checkout).
  app.setName(APP_NAME);
  registerAppScheme(protocol);
  lockDownApp(app);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.whenReady().then(() => openWindow(), fail);
}

function openWindow(): void {
  lockDownSession(session.defaultSession);
  serveAppScheme(protocol, PATHS.renderer);
  const doc = new DocumentState();
  let win: BrowserWindow | null = null;
  let closing = false;

  const send = (event: AppEvent) => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event);
  };
  const sendMenu = (command: MenuCommand, path?: string) =>
    send(path === undefined ? { type: 'menu', command } : { type: 'menu', command, path });
  const refreshMenu = () => {
    const recent = core.context.store.recentFiles().map((r) => r.path);
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate({ isMac: process.platform === 'darwin', recent, devTools: !app.isPackaged, send: sendMenu }),
      ),
    );
  };
  const closeNow = () => {
    closing = true;
    win?.close();
  };

  const core: AppCore = createCore({
    dataDir: resolveDataDir(app.getPath('userData')),
    examplesDir: PATHS.examples,
    appDir: root,
    homeDir: app.getPath('home'),
    version: (JSON.parse(readFileSync(PATHS.packageJson, 'utf8')) as { version: string }).version,
    nativeBinding: nativeBinding(),
    trusts: (sender) => win !== null && !win.isDestroyed() && sender.id === windowSenderId(win.webContents),
    platform: electronPlatform({
      window: () => win,
      setDocumentState: (state) => {
        const close = doc.update(state);
        if (!win) return;
        win.setTitle(doc.windowTitle());
        win.setDocumentEdited(doc.dirty);
        if (close) closeNow();
      },
      saveDialogCancelled: () => doc.saveCancelled(),
      recentChanged: refreshMenu,
    }),
  });
  serveOverIpcMain(ipcMain, core.table);
  refreshMenu();

  win = createMainWindow(PATHS.preload, PATHS.icon);
  win.on('close', (event) => {
    if (closing || !win) return;
    if (doc.dirty) {
      event.preventDefault();
      const choice = dialog.showMessageBoxSync(win, {
        type: 'warning',
        buttons: ['Save', "Don't Save", 'Cancel'],
        defaultId: 0,
        cancelId: 2,
        message: `Save the changes to ${doc.title}?`,
        detail: 'Your changes are lost if you close without saving.',
      });
      if (choice === 0) {
        doc.saveThenClose();
        sendMenu('file.save');
      } else if (choice === 1) closeNow();
      return;
    }
    if (core.context.runs.running > 0) {
      const choice = dialog.showMessageBoxSync(win, {
        type: 'warning',
        buttons: ['Cancel the Run and Close', 'Keep Running'],
        defaultId: 1,
        cancelId: 1,
        message: 'A run is still going.',
        detail: 'Closing cancels it; a database rolls back what the run had not committed.',
      });
      if (choice !== 0) event.preventDefault();
    }
  });
  win.on('closed', () => {
    win = null;
  });

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    void core.close().finally(() => {
      stopped = true;
      app.quit();
    });
  });
}
