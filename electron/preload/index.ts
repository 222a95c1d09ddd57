/**
 * The preload: exposes exactly one `Bridge` (shared/ipc.ts) as `window.dataflowBridge`, for the
 * `dataflow:` channels only. No Electron or Node object reaches the page: `on` hands listeners the
 * AppEvent alone, and a failure rejects with the IpcError as plain data.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AppEvent, Bridge, Channel, IpcError, Request, Responses } from '../../shared/ipc.ts';
import type { IpcAnswer } from '../main/ipc-table.ts';
import { CHANNEL_FORM, EVENT_CHANNEL, GLOBAL_NAME, NAMESPACE } from './channels.ts';

const failure = (code: IpcError['code'], message: string): IpcError => ({ code, message });

const bridge: Bridge = {
  async invoke<C extends Channel>(channel: C, payload: Request<C>): Promise<Responses[C]> {
    if (typeof channel !== 'string' || !CHANNEL_FORM.test(channel))
      throw failure('unknown_channel', `unknown channel "${String(channel)}"`);
    let answer: IpcAnswer;
    try {
      answer = (await ipcRenderer.invoke(`${NAMESPACE}:${channel}`, payload)) as IpcAnswer;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw /No handler registered/.test(message)
        ? failure('unknown_channel', `unknown channel "${channel}"`)
        : failure('invalid_payload', `${channel}: ${message}`);
    }
    if (!answer.ok) throw answer.error;
    return answer.result as Responses[C];
  },
  on(listener: (event: AppEvent) => void): () => void {
    const relay = (_event: IpcRendererEvent, appEvent: AppEvent) => listener(appEvent);
    ipcRenderer.on(EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, relay);
    };
  },
};

contextBridge.exposeInMainWorld(GLOBAL_NAME, bridge);
