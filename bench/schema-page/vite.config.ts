/** Builds the schema browser benchmark page (bench/schema-browser.ts drives it) into dist/bench-schema/. */
import { benchPageConfig } from '../support/page-config.ts';

export default benchPageConfig(new URL('.', import.meta.url), 'bench-schema');
