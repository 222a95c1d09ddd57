/**
 * What the handlers need from their host that plain Node cannot give: file dialogs, the secret
 * cipher and the window. Electron supplies dialogs and safeStorage (electron-platform.ts); the web
 * host has no dialogs (paths are given explicitly) and no cipher (passwords kept per session).
 */
import type { SecretCipher } from '../store/secrets.ts';
import type { IpcSender } from './ipc-table.ts';

export interface FileDialogOptions {
  title: string;
  /** Suggested file (save) or folder (open). */
  defaultPath?: string;
  filters: { name: string; extensions: string[] }[];
}

export interface Platform {
  host: 'electron' | 'web';
  /** The chosen file, or null when cancelled. Null `openDialog`: this host has no dialogs. */
  openDialog: ((sender: IpcSender, options: FileDialogOptions) => Promise<string | null>) | null;
  saveDialog: ((sender: IpcSender, options: FileDialogOptions) => Promise<string | null>) | null;
  secrets: SecretCipher;
  /** Shows the document's title and dirty state (window title, close prompt); no-op where there is no window. */
  setDocumentState(sender: IpcSender, state: { title: string; dirty: boolean }): void;
  /** A path was opened or saved: the native Open Recent menu follows. */
  recentChanged(): void;
}

/** The web host's platform: explicit paths, passwords in memory. */
export const WEB_PLATFORM: Platform = {
  host: 'web',
  openDialog: null,
  saveDialog: null,
  secrets: { backend: 'none' },
  setDocumentState: () => {},
  recentChanged: () => {},
};
