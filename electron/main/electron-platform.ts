/** The Electron Platform: native file dialogs on the main window and safeStorage for secrets. */
import { dialog, safeStorage, type BrowserWindow } from 'electron';
import type { SecretCipher } from '../store/secrets.ts';
import type { Platform } from './platform.ts';

/**
 * safeStorage as the secret cipher (after app ready). On Linux, `basic_text` means no keyring was
 * found and the "encryption" is a hard-coded key: reported as such, so the user decides.
 */
export function safeStorageCipher(): SecretCipher {
  if (!safeStorage.isEncryptionAvailable()) return { backend: 'none' };
  const weak = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  return {
    backend: weak ? 'basic_text' : 'os',
    encryptString: (plain) => safeStorage.encryptString(plain),
    decryptString: (blob) => safeStorage.decryptString(blob),
  };
}

export interface ElectronPlatformOptions {
  window(): BrowserWindow | null;
  setDocumentState(state: { title: string; dirty: boolean }): void;
  saveDialogCancelled(): void;
  recentChanged(): void;
}

export function electronPlatform(options: ElectronPlatformOptions): Platform {
  return {
    host: 'electron',
    async openDialog(_sender, { title, defaultPath, filters }) {
      const win = options.window();
      if (!win) return null;
      const chosen = await dialog.showOpenDialog(win, { title, defaultPath, filters, properties: ['openFile'] });
      return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
    },
    async saveDialog(_sender, { title, defaultPath, filters }) {
      const win = options.window();
      if (!win) return null;
      const chosen = await dialog.showSaveDialog(win, {
        title,
        defaultPath,
        filters,
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      if (chosen.canceled || !chosen.filePath) {
        options.saveDialogCancelled();
        return null;
      }
      return chosen.filePath;
    },
    secrets: safeStorageCipher(),
    setDocumentState: (_sender, state) => options.setDocumentState(state),
    recentChanged: () => options.recentChanged(),
  };
}
