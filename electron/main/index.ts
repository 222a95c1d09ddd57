/** The Electron entry (bundled to out/main/index.js). */
import { startApp } from './app.ts';

startApp();
