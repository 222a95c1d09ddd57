/** The one window: sandboxed, isolated, no Node, showing app://dataflow/index.html. */
import { BrowserWindow } from 'electron';
import { APP_ENTRY } from './app-url.ts';
import { APP_NAME } from './document-state.ts';
import { lockDownContents } from './security.ts';

export function createMainWindow(preload: string, icon: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: APP_NAME,
    icon,
    webPreferences: {
      preload, // eng-disable PRELOAD_JS_CHECK -- reviewed: electron/preload/index.ts exposes only the Bridge of shared/ipc.ts, through contextBridge
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  lockDownContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY);
  return win;
}
