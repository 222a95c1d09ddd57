/** Builds the canvas benchmark page (bench/editor-canvas.ts drives it) into dist/bench-canvas/. */
import { benchPageConfig } from '../support/page-config.ts';

export default benchPageConfig(new URL('.', import.meta.url), 'bench-canvas');
