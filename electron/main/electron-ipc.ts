/**
 * Serves the handler table over Electron's ipcMain: one `ipcMain.handle('dataflow:<channel>')`
 * per channel of the contract. A request counts as the window's only when it comes from the main
 * window's top frame showing an app:// page; anything else gets a sender the table refuses.
 * Answers are envelopes (`IpcAnswer`), unwrapped by the preload.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_NAMESPACE, requests, type AppEvent } from '../../shared/ipc.ts';
import { isAppUrl } from './app-url.ts';
import type { HandlerTable, IpcSender } from './ipc-table.ts';

/** The sender id of the main window (what the core's `trusts` accepts). */
export function windowSenderId(contents: WebContents): string {
  return `window:${contents.id}`;
}

const UNTRUSTED: IpcSender = { id: 'untrusted', send: () => {} };

function senderOf(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null || !isAppUrl(frame.url)) return UNTRUSTED;
  const contents = event.sender;
  return {
    id: windowSenderId(contents),
    send: (appEvent: AppEvent) => {
      if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, appEvent);
    },
  };
}

export function serveOverIpcMain(ipcMain: IpcMain, table: HandlerTable): void {
  for (const channel of Object.keys(requests)) {
    ipcMain.handle(`${IPC_NAMESPACE}:${channel}`, (event, payload: unknown) =>
      table.dispatch(channel, senderOf(event), payload),
    );
  }
}
